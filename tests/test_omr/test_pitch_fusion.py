"""A semantic reading with a pitch model's pitches."""
from omr.pitch_fusion import with_pitches

SYMBOLS = ['clef-F4', 'keySignature--2', 'note-E3_half', 'tie',
           'note-E3_quarter', 'rest-eighth', 'note-B2', 'barline']


def test_notes_take_the_pitches_and_keep_durations():
    symbols, scores, taken = with_pitches(SYMBOLS, ['Eb3', 'Eb3', 'Bb2'],
                                          [.9] * 8, [.5, 1., .95])
    assert taken
    assert symbols == ['clef-F4', 'keySignature--2', 'note-Eb3_half', 'tie',
                       'note-Eb3_quarter', 'rest-eighth', 'note-Bb2',
                       'barline']
    assert scores == [.9, .9, .5, .9, .9, .9, .9, .9]


def test_reading_stands_when_note_counts_differ():
    for pitches in (['Eb3', 'Eb3'], ['Eb3', 'Eb3', 'Bb2', 'C3'], []):
        symbols, scores, taken = with_pitches(SYMBOLS, pitches, [.9] * 8,
                                              [.1] * len(pitches))
        assert not taken and symbols == SYMBOLS and scores == [.9] * 8


def test_without_scores_and_without_notes():
    symbols, scores, taken = with_pitches(SYMBOLS, ['E3', 'F3', 'B2'])
    assert taken and scores is None
    assert [s for s in symbols if s.startswith('note-')] == [
        'note-E3_half', 'note-F3_quarter', 'note-B2']
    assert with_pitches(['clef-G2', 'rest-whole'], []) == (
        ['clef-G2', 'rest-whole'], None, True)
    # the caller's list is not changed
    assert SYMBOLS[4] == 'note-E3_quarter'
