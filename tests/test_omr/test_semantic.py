"""Semantic labels <-> fragments, and the pitches within them."""
import random

import pytest

pytest.importorskip('music21', reason='music21 is not installed')

from engraving_helpers import CHANGES, change_fragments  # noqa: E402
from omr.decorate import decorate  # noqa: E402
from omr.semantic import fragment_of, pitches_of, semantic_tokens  # noqa
from omr.semantic_tokens import VOCABULARY, split_symbols  # noqa: E402
from semantic_helpers import corpus_fragments  # noqa: E402


def test_fragment_of_inverts_semantic_tokens_on_corpus_fragments():
    for frag in corpus_fragments():
        symbols = semantic_tokens(frag)
        back = fragment_of(symbols, strict=True)
        assert semantic_tokens(back) == symbols
        assert back['tokens'] == frag['tokens'] == pitches_of(symbols)
        for key in ('clef', 'fifths', 'meter'):
            assert back[key] == frag[key]
        # events as drawn, without the beams (not in the labels)
        assert [[e[:4] for e in m] for m in back['measures']] == [
            [e[:4] for e in m] for m in frag['measures']]
        assert back['decor']['bars'] == frag['decor']['bars']


def test_fragment_of_reads_incomplete_model_output():
    frag = fragment_of(['note-C5', 'rest-eighth.', 'tie', 'note-D5_half',
                        'bogus', '_quarter'])
    assert frag['clef'] == 'treble' and frag['fifths'] == 0
    assert frag['meter'] is None
    # a note without duration is a quarter; a tie after a rest is dropped
    assert frag['measures'] == [[['C5', '4', 0, '', ''], ['r', '8', 1],
                                 ['D5', '2', 0, '', '']]]
    assert frag['decor']['bars'] == ['single'] and frag['tokens'] == [
        'C5', 'D5']
    with pytest.raises(ValueError, match='bogus'):
        fragment_of(['clef-G2', 'bogus'], strict=True)
    assert fragment_of([])['measures'] == [[]]


def test_ties_across_barlines_and_chains():
    symbols = ['clef-G2', 'keySignature-0', 'note-E4_whole', 'tie',
               'barline', 'note-E4_half', 'tie', 'note-E4_quarter',
               'barline-end']
    frag = fragment_of(symbols)
    assert [e[3] for m in frag['measures'] for e in m] == ['i', 'm', 't']
    assert semantic_tokens(frag) == symbols


def test_pitches_of_model_tokens_and_symbols():
    assert pitches_of(['note-F#5', '_eighth', 'note-Bbb3_half', 'tie',
                       'rest-half', 'notes-C4', 'note-H4']) == ['F#5', 'Bbb3']


def test_change_symbols_where_they_are_drawn():
    symbols = semantic_tokens(CHANGES)
    assert ' '.join(symbols) == (
        'clef-G2 keySignature--2 timeSignature-3/4 note-C5_quarter '
        'note-B4_eighth note-A4_eighth clef-F4 note-E3_quarter barline '
        'keySignature-3 timeSignature-2/4 note-C3_quarter note-G#2_quarter '
        'barline note-A2_quarter clef-G2 note-B4_quarter barline')
    back = fragment_of(symbols, strict=True)
    assert (back['clef'], back['fifths'], back['meter']) == (
        'treble', -2, '3/4')
    # the labels have no beams; the events are the fragment's otherwise
    assert [[ev[:4] for ev in m] for m in back['measures']] == [
        [ev[:4] for ev in m] for m in CHANGES['measures']]


def test_change_fragments_round_trip_in_the_model_vocabulary():
    for i, frag in enumerate((CHANGES, ) + change_fragments()):
        symbols = semantic_tokens(decorate(frag, random.Random(i), 2.0))
        assert any(s.startswith(('clef', 'key', 'time'))
                   for s in symbols[3:])
        assert semantic_tokens(fragment_of(symbols, strict=True)) == symbols
        assert pitches_of(symbols) == frag['tokens']
        assert set(split_symbols(symbols)) <= set(VOCABULARY)
    # a model's reading: C meters as changes keep their symbol
    read = ['clef-G2', 'keySignature-0', 'note-C4_quarter', 'barline',
            'timeSignature-C/', 'note-D4_half', 'barline']
    assert fragment_of(read)['measures'][1][0] == ['time', '2/2', 'cut']
    assert semantic_tokens(fragment_of(read)) == read
