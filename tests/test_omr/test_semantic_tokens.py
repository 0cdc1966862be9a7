"""Model tokens of semantic labels: vocabulary, lossless split/join."""
import pytest

from omr.semantic_tokens import (DENOMINATOR_TOKENS, DURATION_TOKENS,
                                 NOTE_TOKENS, TIME_TOKENS, VOCABULARY,
                                 join_symbols, split_symbols)

pytest.importorskip('music21', reason='music21 is not installed')

from omr.semantic import semantic_tokens  # noqa: E402
from semantic_helpers import corpus_fragments  # noqa: E402


def test_vocabulary_sizes_and_order():
    assert len(VOCABULARY) == len(set(VOCABULARY)) == 292
    assert len(NOTE_TOKENS) == 180 and NOTE_TOKENS[:3] == (
        'note-C2', 'note-C#2', 'note-Cb2')
    assert len(DURATION_TOKENS) == 24 and DURATION_TOKENS[-1] == \
        '_sixty_fourth..'
    assert TIME_TOKENS[-1] == 'timeSignature-32'
    assert DENOMINATOR_TOKENS == ('/1', '/2', '/4', '/8', '/16', '/32',
                                  '/64')


def test_corpus_labels_split_into_vocabulary_and_join_back():
    frags = corpus_fragments()
    seen = set()
    for frag in frags:
        symbols = semantic_tokens(frag)
        tokens = split_symbols(symbols)
        assert set(tokens) <= set(VOCABULARY), symbols
        notes = sum(s.startswith('note-') for s in symbols)
        meter = any('/' in s and s[-1].isdigit() for s in symbols)
        assert len(tokens) == len(symbols) + notes + meter
        assert join_symbols(tokens) == (symbols, None)
        assert join_symbols(symbols) == (symbols, None)  # idempotent
        seen.update(tokens)
    # the fragments exercise every family of the vocabulary
    for token in ('clef-F4', 'keySignature--7', 'keySignature-7',
                  'timeSignature-C', 'timeSignature-3', '/4', 'tie',
                  'repeat-start', 'repeat-end', 'barline-double',
                  'barline-end', '_quarter.'):
        assert token in seen, token
    assert any(t.startswith('rest-') for t in seen)


def test_join_scores_and_broken_pairs():
    tokens = ['timeSignature-6', '/8', 'note-C4', '_eighth.', 'note-D4',
              'tie', '_half', 'note-E4']
    symbols, scores = join_symbols(tokens, [.9, .5, .8, .7, .6, 1., .4, .3])
    assert symbols == ['timeSignature-6/8', 'note-C4_eighth.', 'note-D4',
                       'tie', '_half', 'note-E4']
    assert scores == [.5, .7, .6, 1., .4, .3]
    assert join_symbols([]) == ([], None)
    # a numerator never takes a duration, a note never a denominator
    assert join_symbols(['timeSignature-3', '_half', 'note-C4', '/4'])[0] \
        == ['timeSignature-3', '_half', 'note-C4', '/4']
