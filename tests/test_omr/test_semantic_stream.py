"""Semantic symbols -> music21 -> MusicXML/MIDI -> verovio, and back."""
import re

import pytest

music21 = pytest.importorskip('music21', reason='music21 is not installed')

from engraving_helpers import CHANGES, change_fragments  # noqa: E402
from omr.export import write_midi, write_musicxml  # noqa: E402
from omr.semantic import semantic_tokens  # noqa: E402
from omr.semantic_stream import semantic_stream, stream_semantic  # noqa
from semantic_helpers import corpus_fragments  # noqa: E402

SYMBOLS = ['clef-F4', 'keySignature--2', 'timeSignature-C/', 'repeat-start',
           'note-Bb2_half.', 'tie', 'barline', 'note-Bb2_eighth',
           'rest-sixteenth', 'note-Eb3_sixteenth', 'barline-double',
           'note-F3_whole', 'repeat-end']


def test_stream_has_durations_rests_meter_key_clef():
    part = semantic_stream(SYMBOLS)
    measures = list(part.getElementsByClass('Measure'))
    assert len(measures) == 3
    first = measures[0]
    assert first.clef.sign == 'F' and first.keySignature.sharps == -2
    assert first.timeSignature.ratioString == '2/2'
    assert first.timeSignature.symbol == 'cut'
    events = [(type(e).__name__, e.quarterLength)
              for e in part.recurse().notesAndRests]
    assert events == [('Note', 3.0), ('Note', 0.5), ('Rest', 0.25),
                      ('Note', 0.25), ('Note', 4.0)]
    assert stream_semantic(part) == SYMBOLS


def test_musicxml_round_trip_on_corpus_fragments(tmp_path):
    path = str(tmp_path / 'f.musicxml')
    for frag in corpus_fragments():
        symbols = semantic_tokens(frag)
        write_musicxml(symbols, path, mode='semantic')
        assert stream_semantic(music21.converter.parse(path)) == symbols


def test_midi_has_the_durations(tmp_path):
    path = write_midi(SYMBOLS, str(tmp_path / 'f.mid'), mode='semantic')
    notes = list(music21.converter.parse(path).recurse().notes)
    # tied Bb2 (3 + 0.5 quarters) is one MIDI note; the repeat is played
    assert [(n.pitch.midi, n.quarterLength) for n in notes] == [
        (46, 3.5), (51, 0.25), (53, 4.0)] * 2


def mei_key_and_meter(mei: str) -> list:
    """Key and time signature symbols of verovio's MEI (music21's MEI
    reader skips verovio's ``keySig``/``meterSig`` elements); a hidden
    meter (a measure's own length) is no symbol."""
    out = []
    key = re.search(r'<keySig[^>]*\bsig="(\d)([sf]?)"', mei)
    fifths = 0 if key is None else int(key.group(1)) * (
        -1 if key.group(2) == 'f' else 1)
    out.append(f'keySignature-{fifths}')
    meter = re.search(r'<meterSig(?![^>]*visible="false")[^>]*>', mei)
    if meter:
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', meter.group(0)))
        out.append({'common': 'timeSignature-C', 'cut': 'timeSignature-C/'}
                   .get(attrs.get('sym'),
                        f'timeSignature-{attrs["count"]}/{attrs["unit"]}'))
    return out


def test_verovio_re_engraves_the_musicxml_to_the_same_symbols(tmp_path):
    verovio = pytest.importorskip('verovio')
    verovio.enableLog(verovio.LOG_ERROR)
    toolkit = verovio.toolkit()
    path = str(tmp_path / 'f.musicxml')
    frags = corpus_fragments()[::4]
    for symbols in [SYMBOLS] + [semantic_tokens(f) for f in frags]:
        write_musicxml(symbols, path, mode='semantic')
        assert toolkit.loadFile(path)
        svg = toolkit.renderToSVG(1)
        notes = sum(s.startswith('note-') for s in symbols)
        assert svg.count('class="note"') == notes
        mei = toolkit.getMEI()
        engraved = stream_semantic(music21.converter.parse(mei,
                                                           format='mei'))
        header = [s for s in symbols if s.startswith(('keySig', 'timeSig'))]
        assert mei_key_and_meter(mei) == header
        assert [s for s in engraved if not s.startswith(
            ('keySig', 'timeSig'))] == [
                s for s in symbols if s not in header]


def test_unsupported_content_is_a_value_error():
    chord = music21.stream.Measure([music21.chord.Chord(['C4', 'E4'])])
    with pytest.raises(ValueError, match='no semantic symbol'):
        stream_semantic(music21.stream.Part([chord]))
    alto = music21.stream.Measure([music21.clef.AltoClef(),
                                   music21.note.Note('C4')])
    with pytest.raises(ValueError, match='clef'):
        stream_semantic(music21.stream.Part([alto]))


def test_musicxml_round_trip_with_clef_key_and_time_changes(tmp_path):
    path = str(tmp_path / 'f.musicxml')
    for frag in (CHANGES, ) + change_fragments():
        symbols = semantic_tokens(frag)
        write_musicxml(symbols, path, mode='semantic')
        assert stream_semantic(music21.converter.parse(path)) == symbols
    part = semantic_stream(semantic_tokens(CHANGES))
    changes = [(m.number, type(el).__name__)
               for m in part.getElementsByClass('Measure')
               for el in m if not isinstance(el, music21.note.GeneralNote)]
    assert changes == [(1, 'TrebleClef'), (1, 'KeySignature'),
                       (1, 'TimeSignature'), (1, 'BassClef'),
                       (2, 'KeySignature'), (2, 'TimeSignature'),
                       (3, 'TrebleClef')]


@pytest.mark.parametrize('symbols', [
    # no meter: MusicXML writers bar at 4/4 and split longer measures
    ['clef-G2', 'keySignature-0', 'note-C4_half', 'note-A3_half',
     'note-C4_whole', 'barline', 'note-B3_breve', 'tie', 'barline',
     'note-B3_breve', 'barline'],
    # a measure longer than the written meter, then the meter again
    ['clef-F4', 'keySignature-1', 'timeSignature-3/4', 'note-G3_half.',
     'barline', 'note-A3_whole', 'barline', 'note-B3_quarter',
     'note-C4_half', 'barline']])
def test_measures_longer_than_the_meter_keep_their_notes(tmp_path, symbols):
    path = str(tmp_path / 'f.musicxml')
    write_musicxml(symbols, path, mode='semantic')
    score = music21.converter.parse(path)
    assert stream_semantic(score) == symbols
    notes = sum(s.startswith('note-') for s in symbols)
    assert len(list(score.recurse().notes)) == notes
