"""Random chromatic alterations: labels follow the notes, ties and double
accidentals stay, the engraver shows the new signs."""
import random

import pytest

pytest.importorskip('music21', reason='music21 is not installed')

from engraving_helpers import CHANGES  # noqa: E402
from omr.chromatic import alter_fragment  # noqa: E402
from omr.engrave import displayed_accidentals  # noqa: E402
from omr.fragments import is_change  # noqa: E402


def fragment(tokens, fifths=-1, ties=None):
    """One measure of quarter notes (ties: one tie field per note)."""
    ties = ties or [''] * len(tokens)
    events = [[t, '4', 0, tie, ''] for t, tie in zip(tokens, ties)]
    events.insert(1, ['r', '4', 0])
    return dict(clef='treble', fifths=fifths, meter=None, measures=[events],
                tokens=list(tokens), piece='p', part=0)


def notes(frag):
    return [ev[0] for m in frag['measures'] for ev in m
            if ev[0] != 'r' and not is_change(ev)]


def test_every_note_moves_to_another_single_accidental_at_rate_1():
    frag = fragment(['F4', 'Bb4', 'C#5', 'F4'])
    out = alter_fragment(frag, random.Random(0), 1.0)
    assert out['tokens'] == notes(out)
    for old, new in zip(frag['tokens'], out['tokens']):
        assert new != old and new[0] == old[0] and new[-1] == old[-1]
        assert new[1:-1] in ('b', '', '#')
    assert frag['tokens'] == ['F4', 'Bb4', 'C#5', 'F4']  # input untouched
    assert out['measures'][0][1] == ['r', '4', 0]


def test_rate_0_and_tied_or_double_sharp_notes_stay():
    frag = fragment(['F4', 'F4', 'G##4', 'A4'], ties=['i', 't', '', ''])
    assert alter_fragment(frag, random.Random(1), 0.0) == frag
    out = alter_fragment(frag, random.Random(1), 1.0)
    assert out['tokens'][:3] == ['F4', 'F4', 'G##4']
    assert out['tokens'][3] in ('Ab4', 'A#4')


def test_changes_are_kept_and_the_share_follows_the_rate():
    out = alter_fragment(CHANGES, random.Random(3), 1.0)
    assert out['measures'][1][:2] == [['key', 3], ['time', '2/4']]
    assert out['tokens'] == notes(out)
    rng = random.Random(4)
    frag = fragment(['C4', 'D4', 'E4', 'F4', 'G4'] * 40, fifths=0)
    moved = sum(a != b for a, b in zip(
        frag['tokens'], alter_fragment(frag, rng, 0.1)['tokens']))
    assert 5 <= moved <= 40  # 20 expected of 200


def test_an_f_flat_in_b_flat_major_is_printed_with_its_flat():
    frag = fragment(['G4', 'F4', 'D4'], fifths=-1)  # F is natural in Bb
    drawn = (alter_fragment(frag, random.Random(s), 0.5) for s in range(100))
    out = next(f for f in drawn if f['tokens'] == ['G4', 'Fb4', 'D4'])
    shown = displayed_accidentals(out['measures'], out['fifths'])
    assert shown == [[None, None, 'f', None]]  # the rest, then the flat
