"""decode_with_lexicon equals exhaustive CTC scoring (restricted to N_δ)."""
import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from crnn_plugin.lexicon import (Lexicon, decode_with_lexicon,
                                 score_lexicon_ids)
from crnn_plugin.models.common import CharsetDictionary

DICT = CharsetDictionary('lower_digits')
BLANK = DICT.padding_idx  # 36: MMOCR puts the blank last
word = st.text(alphabet='abcde', min_size=1, max_size=7)
FAST = settings(max_examples=40, deadline=None)


def synth_log_probs(text, num_frames, seed):
    """Peaky (T, 37) log-probabilities around a random alignment of text."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 1, (num_frames, 37))
    labels = DICT.str2idx(text)[:num_frames]
    frames = np.sort(rng.choice(num_frames, len(labels), replace=False))
    path = np.full(num_frames, BLANK)
    path[frames] = labels
    logits[np.arange(num_frames), path] += rng.uniform(2, 6)
    return torch.from_numpy(logits).float().log_softmax(-1)


def greedy(log_probs):
    best = log_probs.argmax(-1).tolist()
    return [k for k, _ in itertools.groupby(best) if k != BLANK]


def reference(log_probs, lexicon, query, delta):
    """Exhaustive scores over the whole lexicon, argmax over N_δ."""
    all_ids = np.arange(len(lexicon))
    scores = score_lexicon_ids(log_probs, lexicon, all_ids, BLANK)
    near = [i for i in all_ids
            if Levenshtein.distance(query, lexicon.labels[i]) <= delta]
    finite = [i for i in near if torch.isfinite(scores[i])]
    if not finite:
        return None, scores
    return max(finite, key=lambda i: (scores[i].item(), -i)), scores


@FAST
@given(st.lists(word, min_size=1, max_size=40), word, st.integers(0, 3),
       st.integers(4, 12), st.integers(0, 2**16),
       st.sampled_from(['bktree', 'scan']))
def test_bktree_decoding_equals_exhaustive_restricted_to_n_delta(
        words, text, delta, num_frames, seed, search):
    lexicon = Lexicon(words, DICT)
    log_probs = synth_log_probs(text, num_frames, seed)
    query = greedy(log_probs)
    decision = decode_with_lexicon(log_probs, query, lexicon, BLANK, delta,
                                   exhaustive_below=0, on_empty='greedy',
                                   search=search)
    expected, scores = reference(log_probs, lexicon, query, delta)
    assert decision.word_id == expected
    assert decision.delta == delta and not decision.widened
    if expected is None:
        assert decision.method == 'greedy'
    else:
        assert decision.method == 'bktree'
        assert decision.log_prob == scores[expected].item()


@FAST
@given(st.lists(word, min_size=1, max_size=40), word, st.integers(4, 12),
       st.integers(0, 2**16))
def test_small_lexicon_equals_exhaustive_search(words, text, num_frames,
                                                seed):
    lexicon = Lexicon(words, DICT)
    log_probs = synth_log_probs(text, num_frames, seed)
    decision = decode_with_lexicon(log_probs, greedy(log_probs), lexicon,
                                   BLANK, delta=0, exhaustive_below=1000)
    expected, scores = reference(log_probs, lexicon, [], delta=100)
    assert decision.word_id == expected
    assert decision.method == ('greedy' if expected is None else 'exhaustive')
    assert decision.delta is None
    if expected is not None:
        assert decision.num_candidates == len(lexicon)
        posterior = (scores[expected] - scores.double().logsumexp(0)).exp()
        assert decision.confidence == pytest.approx(posterior.item())


@FAST
@given(st.lists(word, min_size=1, max_size=30), word, st.integers(0, 2),
       st.integers(4, 10), st.integers(0, 2**16))
def test_widen_finds_the_smallest_delta_with_a_candidate(
        words, text, delta, num_frames, seed):
    lexicon = Lexicon(words, DICT)
    log_probs = synth_log_probs(text, num_frames, seed)
    query = greedy(log_probs)
    decision = decode_with_lexicon(log_probs, query, lexicon, BLANK, delta,
                                   exhaustive_below=0, on_empty='widen')
    if decision.word_id is None:  # no word fits into num_frames at all
        assert reference(log_probs, lexicon, query, 100)[0] is None
        return
    for smaller in range(delta, decision.delta):
        assert reference(log_probs, lexicon, query, smaller)[0] is None
    expected, _ = reference(log_probs, lexicon, query, decision.delta)
    assert decision.word_id == expected
    assert decision.widened == (decision.delta > delta)


def test_empty_candidate_set_greedy_vs_widen():
    lexicon = Lexicon(['zzzzz', 'hello'], DICT)
    log_probs = synth_log_probs('ab', 10, 0)
    query = greedy(log_probs)
    kept = decode_with_lexicon(log_probs, query, lexicon, BLANK, 1,
                               exhaustive_below=0, on_empty='greedy')
    assert kept.word_id is None and kept.method == 'greedy'
    assert kept.num_candidates == 0 and kept.log_prob == float('-inf')
    widened = decode_with_lexicon(log_probs, query, lexicon, BLANK, 1,
                                  exhaustive_below=0, on_empty='widen')
    assert widened.word_id is not None and widened.widened
    assert widened.delta > 1 and widened.method == 'bktree'
    capped = decode_with_lexicon(log_probs, query, lexicon, BLANK, 1,
                                 exhaustive_below=0, max_delta=2)
    assert capped.word_id is None and capped.delta == 2


def test_words_too_long_for_the_frames_fall_back():
    lexicon = Lexicon(['abcdefgh'], DICT)
    log_probs = synth_log_probs('abc', 4, 0)
    decision = decode_with_lexicon(log_probs, greedy(log_probs), lexicon,
                                   BLANK, 3)
    assert decision.word_id is None and decision.method == 'greedy'


def test_margin_keeps_a_confident_reading_outside_the_lexicon():
    lexicon = Lexicon(['abcd', 'zzzz'], DICT)
    path = [DICT.str2idx(c)[0] for c in 'abce']
    logits = torch.zeros(8, 37)
    logits[0::2, BLANK] = 4.0
    logits[1::2][torch.arange(4), torch.tensor(path)] = 8.0
    logits[7, DICT.str2idx('d')[0]] = 6.0  # 'd' second best for 'e'
    log_probs = logits.log_softmax(-1)
    query = greedy(log_probs)
    assert DICT.idx2str(query) == 'abce'
    closed = decode_with_lexicon(log_probs, query, lexicon, BLANK, 1)
    assert lexicon.words[closed.word_id] == 'abcd'
    greedy_log_prob = score_lexicon_ids(
        log_probs, Lexicon(['abce'], DICT), np.array([0]), BLANK).item()
    gap = greedy_log_prob - closed.log_prob
    assert gap > 0
    kept = decode_with_lexicon(log_probs, query, lexicon, BLANK, 1,
                               margin=gap * 0.9)
    assert kept.word_id is None and kept.method == 'margin'
    assert kept.log_prob == closed.log_prob
    taken = decode_with_lexicon(log_probs, query, lexicon, BLANK, 1,
                                margin=gap * 1.1)
    assert taken == closed


def test_margin_with_an_empty_greedy_reading():
    lexicon = Lexicon(['a'], DICT)
    log_probs = torch.full((4, 37), -20.0)
    log_probs[:, BLANK] = 0.0
    log_probs[1, 0] = -1.0  # 'a' possible but unlikely
    decision = decode_with_lexicon(log_probs.log_softmax(-1), [], lexicon,
                                   BLANK, 3, margin=0.5)
    assert decision.word_id is None and decision.method == 'margin'


@pytest.mark.parametrize('kwargs,match', [(dict(delta=-1), 'delta'),
                                          (dict(on_empty='skip'), 'on_empty'),
                                          (dict(margin=-1.0), 'margin')])
def test_bad_arguments(kwargs, match):
    lexicon = Lexicon(['a'], DICT)
    with pytest.raises(ValueError, match=match):
        decode_with_lexicon(torch.zeros(3, 37), [0], lexicon, BLANK,
                            **kwargs)
