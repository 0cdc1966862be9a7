"""omr.semantic_errors: every symbol edit gets one class."""
from rapidfuzz.distance import Levenshtein

from omr.semantic_errors import edit_classes, summarize_semantic, symbol_kind


def test_symbol_kinds():
    assert [symbol_kind(s) for s in (
        'note-C#5_half.', 'rest-quarter', 'keySignature--2',
        'timeSignature-C/', 'clef-F4', 'barline-double', 'repeat-end',
        'tie')] == ['note', 'rest', 'keySignature', 'timeSignature', 'clef',
                    'barline', 'repeat', 'tie']


def test_note_substitutions_are_told_apart():
    truth = ['note-C5_half.', 'note-D5_quarter', 'note-E5_eighth',
             'note-F5_whole']
    read = ['note-C5_half', 'note-D5_eighth', 'note-G5_eighth',
            'note-A5_half']
    assert edit_classes(truth, read) == [
        'note dot', 'note duration', 'note pitch', 'note pitch+duration']


def test_kinds_values_missed_and_extra():
    truth = ['clef-G2', 'keySignature-2', 'timeSignature-3/4',
             'note-C5_half']
    read = ['clef-G2', 'keySignature-0', 'rest-half', 'note-C5_half']
    assert edit_classes(truth, read) == [
        'keySignature value', 'timeSignature -> rest']
    assert edit_classes(['note-C5_half', 'tie'], ['note-C5_half']) == [
        'missed tie']
    assert edit_classes(['barline'], ['barline', 'barline']) == [
        'extra barline']
    assert edit_classes(truth, truth) == []
    # one class per edit of a minimal script, whatever it aligns
    long_read = read + ['barline', 'tie']
    assert len(edit_classes(truth, long_read)) == Levenshtein.distance(
        truth, long_read)


def test_summary_counts_edits_like_the_symbol_error_rate():
    pairs = [(['clef-G2', 'note-C5_half.'], ['clef-G2', 'note-C5_half']),
             (['clef-F4', 'rest-whole'], ['clef-F4', 'rest-whole']),
             (['keySignature-1', 'tie'], ['keySignature-0'])]
    summary = summarize_semantic(pairs)
    assert summary['fragments'] == 3 and summary['right'] == 1
    assert summary['symbols'] == 6
    assert summary['edits'] == sum(Levenshtein.distance(t, r)
                                   for t, r in pairs) == 3
    assert summary['classes'] == {'note dot': 1, 'keySignature value': 1,
                                  'missed tie': 1}
    assert summary['errors'][1] == []
