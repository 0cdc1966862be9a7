import pytest

music21 = pytest.importorskip('music21', reason='music21 is not installed')
from music21 import chord, converter, key, note, stream  # noqa: E402

from omr.labels import (UnsupportedNotation,  # noqa: E402
                        carry_measure_accidentals, note_tokens, pitch_token)
from omr.pitch_dictionary import PitchDictionary  # noqa: E402


def _abc(body, k='A'):
    return converter.parse(f'X:1\nM:4/4\nL:1/4\nK:{k}\n{body}\n',
                           format='abc')


def _tokens(s, mode='pitch'):
    return note_tokens(s.recurse().notesAndRests, mode)


def test_key_signature_applies_to_written_note_without_accidental():
    # A major: a written C5 without accidental is C#5; an explicit natural
    # and a later un-marked C in the same measure are C5.
    # (music21's ABC parser needs carry_measure_accidentals for the 2nd.)
    s = _abc('c d =c c|c4|')
    assert _tokens(s)[:3] == ['C#5', 'D5', 'C5']
    assert carry_measure_accidentals(s.parts[0]) == 1
    assert _tokens(s) == ['C#5', 'D5', 'C5', 'C5', 'C#5']
    assert _tokens(s, 'paper') == ['C5', 'D5', 'C5', 'C5', 'C5']


def test_tie_over_barline_keeps_the_pitch():
    s = _abc('c3 ^f-|f =f f2|', k='C')
    carry_measure_accidentals(s.parts[0])
    assert _tokens(s) == ['C5', 'F#5', 'F#5', 'F5', 'F5']


def test_tie_gives_two_tokens():
    s = converter.parse("tinyNotation: 4/4 c''2~ c''2 d''4")
    assert _tokens(s) == ['C6', 'C6', 'D6']
    s = _abc('e2- e2|')
    assert _tokens(s) == ['E5', 'E5']


def test_explicit_accidentals_are_spelled():
    s = _abc('^^F _B =F __E, ^B,|', k='C')
    assert _tokens(s) == ['F##4', 'Bb4', 'F4', 'Ebb3', 'B#3']
    p = stream.Part([key.KeySignature(-3), note.Note('C-4'), note.Note('B#3'),
                     note.Note('E-5'), note.Note('E4')])
    assert _tokens(p) == ['Cb4', 'B#3', 'Eb5', 'E4']
    assert pitch_token(note.Note('C-4').pitch, 'paper') == 'C4'


def test_rests_produce_nothing():
    s = _abc('z c z2|z4|')
    assert _tokens(s) == ['C#5']
    assert _tokens(_abc('z4|')) == []


def test_complex_duration_counts_its_noteheads():
    p = stream.Part([note.Note('G4', quarterLength=1.25), note.Note('A4')])
    assert _tokens(p) == ['G4', 'G4', 'A4']


@pytest.mark.parametrize('reason', ['chord', 'grace', 'cue', 'unpitched'])
def test_unsupported_notation_is_detected(reason):
    if reason == 'chord':
        bad = chord.Chord(['C4', 'E4'])
    elif reason == 'grace':
        bad = note.Note('D4').getGrace()
    elif reason == 'cue':
        bad = note.Note('D4')
        bad.style.noteSize = 'cue'
    else:
        bad = note.Unpitched()
    p = stream.Part([note.Note('C4'), bad, note.Note('E4')])
    with pytest.raises(UnsupportedNotation) as err:
        _tokens(p)
    assert err.value.reason == reason


def test_chord_in_abc_is_detected():
    with pytest.raises(UnsupportedNotation, match='chord'):
        _tokens(_abc('c [ce] d|'))


def test_microtonal_accidental_is_rejected():
    with pytest.raises(UnsupportedNotation, match='accidental'):
        pitch_token(music21.pitch.Pitch('C~4'))


def test_tokens_are_in_the_dictionary():
    s = _abc('^^F _B =F __E, ^B, c d e|', k='Eb')
    d = PitchDictionary()
    tokens = _tokens(s)
    assert all(d.contains(t) for t in tokens)
    assert d.idx2str(d.str2idx(' '.join(tokens))) == ' '.join(tokens)
