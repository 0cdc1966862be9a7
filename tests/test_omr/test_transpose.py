"""Fragment transposition: respelled labels, key signature, crop window."""
import pytest

pytest.importorskip('music21', reason='music21 is not installed')

from music21 import interval  # noqa: E402

from engraving_helpers import CHANGES  # noqa: E402
from omr.labels import UnsupportedNotation  # noqa: E402
from omr.transpose import transpose_fragment, transpose_tokens  # noqa: E402


def fragment(tokens, fifths=0, clef='treble'):
    """One measure of quarter notes with a rest after the first."""
    events = [[t, '4', 0, '', ''] for t in tokens]
    events.insert(1, ['r', '4', 0])
    return dict(clef=clef, fifths=fifths, meter=None, measures=[events],
                tokens=list(tokens), piece='p', part=0)


def test_a_major_to_d_major_moves_up_a_fourth():
    frag = fragment(['G#4', 'A4', 'C#5'], fifths=3)
    out = transpose_fragment(frag, 2)
    assert out['fifths'] == 2
    assert out['tokens'] == ['C#5', 'D5', 'F#5']  # leading tone stays sharp
    notes = [ev[0] for ev in out['measures'][0] if ev[0] != 'r']
    assert notes == out['tokens']
    assert out['measures'][0][1] == ['r', '4', 0]
    assert frag['tokens'] == ['G#4', 'A4', 'C#5']  # the input is untouched
    assert frag['measures'][0][0][0] == 'G#4'


def test_flat_keys_and_naturals_respelled():
    # F major with a B natural, moved to Db major (down a third).
    out = transpose_fragment(fragment(['F4', 'B4', 'Bb4'], fifths=-1), -5)
    assert out['tokens'] == ['Db4', 'G4', 'Gb4']


def test_other_direction_when_the_window_is_left():
    # D6 is the top of the treble window: up a tone would leave it.
    out = transpose_fragment(fragment(['C6', 'D6', 'C6'], fifths=0), 2)
    assert out['tokens'] == ['D5', 'E5', 'D5']
    bass = transpose_fragment(fragment(['C2', 'E2', 'G2'], clef='bass'), -2)
    assert bass['tokens'] == ['Bb2', 'D3', 'F3']  # down would leave C2


def test_triple_accidental_is_refused():
    # Gb major to F# major is a diminished second: A#4 would be G###4.
    assert transpose_fragment(fragment(['A#4', 'B4', 'C5'], -6), 6) is None
    assert transpose_fragment(fragment(['Bb4', 'B4', 'C5'], -6),
                              6)['tokens'] == ['A#4', 'A##4', 'B#4']
    with pytest.raises(UnsupportedNotation, match='accidental'):
        transpose_tokens(['F##4'], interval.Interval('A1'))


def test_changes_move_with_the_fragment():
    moved = transpose_fragment(CHANGES, -3)  # Bb major -> Eb major: up 4th
    assert moved['tokens'] == ['F5', 'E5', 'D5', 'A3', 'F3', 'C#3', 'D3',
                               'E5']
    assert moved['measures'][1][:2] == [['key', 2], ['time', '2/4']]
    assert moved['measures'][0][3] == ['clef', 'bass']
    # a key change past 7 sharps: the fragment stays as it is
    assert transpose_fragment(CHANGES, 5) is None
    assert CHANGES['measures'][1][0] == ['key', 3]  # the original is kept
