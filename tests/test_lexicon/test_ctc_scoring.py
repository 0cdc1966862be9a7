"""CTC scoring equals the sum over all alignments (paper eq. 1)."""
import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from crnn_plugin.lexicon import (best_candidate, ctc_log_likelihood,
                                 probs_to_log_probs)
from crnn_plugin.runtime.ctc import min_ctc_frames


def collapse(path, blank):
    """The CTC map B: merge repeats, then drop blanks."""
    return tuple(k for k, _ in itertools.groupby(path) if k != blank)


def brute_force(log_probs, label_seq, blank):
    """p(l|y) = sum over all T-frame paths pi with B(pi) = l."""
    num_frames, num_classes = log_probs.shape
    total = 0.0
    for path in itertools.product(range(num_classes), repeat=num_frames):
        if collapse(path, blank) == tuple(label_seq):
            total += math.exp(sum(log_probs[t, k] for t, k in enumerate(path)))
    return total


def pad(seqs):
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    labels = np.zeros((len(seqs), max(1, lengths.max())), dtype=np.int64)
    for i, s in enumerate(seqs):
        labels[i, :len(s)] = s
    return labels, lengths


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(2, 4), st.data())
def test_matches_sum_over_alignments(num_frames, num_classes, data):
    blank = num_classes - 1  # MMOCR: blank = padding = last class
    seed = data.draw(st.integers(0, 2**16))
    log_probs = torch.randn(
        num_frames, num_classes, dtype=torch.float64,
        generator=torch.Generator().manual_seed(seed)).log_softmax(-1)
    seqs = data.draw(
        st.lists(st.lists(st.integers(0, blank - 1), max_size=num_frames + 1),
                 min_size=1, max_size=6))
    labels, lengths = pad(seqs)
    scores = ctc_log_likelihood(log_probs, labels, lengths, blank)
    for seq, score in zip(seqs, scores.exp().tolist()):
        assert score == pytest.approx(
            brute_force(log_probs.numpy(), seq, blank), rel=1e-9, abs=1e-15)


def test_unalignable_candidates_are_minus_inf_not_nan():
    log_probs = probs_to_log_probs(torch.full((3, 3), 1 / 3))
    labels, lengths = pad([[0, 0], [0, 1, 0], [0, 0, 0], [1]])
    scores = ctc_log_likelihood(log_probs, labels, lengths, blank=2)
    assert not torch.isnan(scores).any()
    assert torch.isfinite(scores).tolist() == [True, True, False, True]
    assert min_ctc_frames(labels, lengths).tolist() == [3, 3, 5, 1]


def test_zero_probabilities_stay_finite():
    probs = torch.zeros(4, 3)
    probs[:, 0] = 1.0  # blank (2) and label 1 have probability 0
    labels, lengths = pad([[0], [1]])
    scores = ctc_log_likelihood(probs_to_log_probs(probs), labels, lengths, 2)
    assert scores[0] == pytest.approx(0.0, abs=1e-6)
    assert scores[1] < -80 and torch.isfinite(scores[1])


def test_scores_do_not_depend_on_the_batch():
    gen = torch.Generator().manual_seed(0)
    log_probs = torch.randn(26, 37, generator=gen).log_softmax(-1)
    seqs = [np.random.default_rng(i).integers(0, 36, size=1 + i % 9).tolist()
            for i in range(50)]
    labels, lengths = pad(seqs)
    together = ctc_log_likelihood(log_probs, labels, lengths, 36)
    chunked = ctc_log_likelihood(log_probs, labels, lengths, 36, chunk_size=7)
    alone = torch.cat([
        ctc_log_likelihood(log_probs, *pad([s]), 36) for s in seqs])
    assert torch.equal(together, chunked) and torch.equal(together, alone)


def test_blank_in_candidates_is_rejected():
    with pytest.raises(ValueError, match='blank'):
        ctc_log_likelihood(torch.zeros(2, 3), np.array([[2]]), np.array([1]),
                           blank=2)


def test_best_candidate_first_of_ties_and_posterior():
    best = best_candidate(torch.tensor([0.2, 0.4, 0.4]).log())
    assert best.index == 1
    assert best.log_prob == pytest.approx(math.log(0.4))
    assert best.confidence == pytest.approx(0.4)
    only = best_candidate(torch.tensor([float('-inf'), -3.0]))
    assert only.index == 1 and only.confidence == pytest.approx(1.0)
    assert best_candidate(torch.full((2, ), float('-inf'))) is None
    assert best_candidate(torch.zeros(0)) is None
