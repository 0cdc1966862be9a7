"""Error classes of pitch-mode readings (omr/error_analysis.py)."""
from collections import Counter

import pytest

from omr.error_analysis import (ERROR_CLASSES, alteration_confusion,
                                classify_error, summarize)


@pytest.mark.parametrize('truth,read,expected', [
    ('C#5 D5 E5', 'C#5 D5 E5', 'correct'),
    ('C#5 D5 E5', 'C#5 D5', 'length'),
    ('C#5 D5 E5', 'C#5 D5 E5 E5', 'length'),
    ('C#5 D5 E5', 'C#5 E5 E5', 'staff_position'),
    ('C#5 D5 E5', 'C#4 D5 E5', 'staff_position'),  # octave
    ('C#5 D5 E5', 'C5 D5 Eb5', 'letter_wide'),  # two letters, each whole
    # Ab major read as Eb major: every D one flat short
    ('Eb4 Db4 Db4 C4 Ab3', 'Eb4 D4 D4 C4 Ab3', 'letter_wide'),
    ('F#4 F#4 G4', 'F#4 F4 G4', 'accidental'),  # carried sharp missed
    ('F4 F#4 F4', 'F4 F4 F4', 'accidental'),  # printed sharp missed
    ('Bb4 Bb4', 'B4 B#4', 'accidental'),  # two different changes
])
def test_classify_error(truth, read, expected):
    assert classify_error(truth.split(), read.split()) == expected
    assert expected in ERROR_CLASSES


def test_alteration_confusion_counts_accidental_mistakes_only():
    assert alteration_confusion('Eb4 Db4 Db4 C4'.split(),
                                'Eb4 D4 D4 C#4'.split()) == Counter({
                                    ('b', ''): 2, ('', '#'): 1})
    assert alteration_confusion('Bbb3 F##4'.split(),
                                'Bb3 F#4'.split()) == Counter({
                                    ('bb', 'b'): 1, ('##', '#'): 1})
    # a wrong staff position or length: no accidental confusion counted
    assert alteration_confusion('Bb4 A4'.split(), 'B4 G4'.split()) == \
        Counter()
    assert alteration_confusion('Bb4 A4'.split(), 'B4'.split()) == Counter()


def test_summarize():
    pairs = [('C5 D5'.split(), 'C5 D5'.split()),
             ('Bb4 A4'.split(), 'B4 A4'.split()),
             ('F#4 F#4'.split(), 'F#4 F4'.split()),
             ('C5 D5'.split(), 'C5'.split())]
    summary = summarize(pairs)
    assert summary['fragments'] == 4
    assert summary['classes'] == dict(correct=1, length=1, staff_position=0,
                                      letter_wide=1, accidental=1)
    assert summary['confusion'] == {('b', ''): 1, ('#', ''): 1}
    assert summary['errors'] == ['correct', 'letter_wide', 'accidental',
                                 'length']
