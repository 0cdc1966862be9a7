"""The diverse score engine: engravers, fonts, decorations, labels."""
import json
import os.path as osp
import random
import sys

import lmdb
import numpy as np
import pytest

pytest.importorskip('verovio', reason='verovio is not installed')
pytest.importorskip('cairosvg', reason='cairosvg is not installed')

from crnn_plugin.runtime import find_staff_lines, normalize_staff  # noqa
from engraving_helpers import (CHANGES, change_fragments,  # noqa: E402
                               read_abcm2ps_pitches, read_verovio_pitches)
from omr import fragments as F  # noqa: E402
from omr.decorate import decorate  # noqa: E402
from omr.engravers import (HELD_OUT, PROGRAMS, STYLES,  # noqa: E402
                           TRAIN_STYLES, draw_style, engrave_styled,
                           engrave_styled_many)
from omr.engravers.abc import (abcm2ps_available, fragment_abc,  # noqa
                               render_abc_svg)
from omr.engravers.lilypond import fragment_lilypond  # noqa: E402
from omr.engravers.musescore import fragment_musicxml  # noqa: E402
from omr.engravers.verovio_style import render_verovio  # noqa: E402
from omr.semantic import pitches_of, semantic_tokens  # noqa: E402

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', 'tools',
                            'data'))
import omr_synth  # noqa: E402

FRAG = dict(
    clef='treble', fifths=2, meter='4/4', tokens=['F#4', 'G4', 'C5', 'C5',
                                                  'Bb4'],
    measures=[[['F#4', '8', 0, '', 'start'], ['G4', '8', 0, '', 'stop'],
               ['C5', '4', 1, 'i', ''], ['r', '8', 0]],
              [['C5', '2', 0, 't', ''], ['Bb4', '4', 0, '', '']]],
    piece='x#0', part=0)


def test_held_out_styles_are_never_drawn_for_training():
    assert set(HELD_OUT) <= set(STYLES) and not set(HELD_OUT) & set(
        TRAIN_STYLES)
    rng = random.Random(0)
    names = {draw_style(rng)['name'] for _ in range(200)}
    assert names == set(TRAIN_STYLES)


def test_decorations_and_semantic_labels():
    frag = decorate(FRAG, random.Random(3))
    assert frag['tokens'] == FRAG['tokens'] and 'decor' not in FRAG
    frag['decor'].update(meter_sym='common', bars=['double', 'rptend'],
                         rptstart=False)
    tokens = semantic_tokens(frag)
    assert tokens == [
        'clef-G2', 'keySignature-2', 'timeSignature-C', 'note-F#4_eighth',
        'note-G4_eighth', 'note-C5_quarter.', 'tie', 'rest-eighth',
        'barline-double', 'note-C5_half', 'note-Bb4_quarter', 'repeat-end']
    assert pitches_of(tokens) == FRAG['tokens']


def test_abc_source():
    frag = dict(FRAG, decor=dict(meter_sym='cut', bars=['single', 'end'],
                                 rptstart=True, slurs=[(0, 1)],
                                 marks=[(4, 'dyn', 'p', 'below'),
                                        (2, 'text', 'dolce', 'above')]))
    abc = fragment_abc(frag, dict(options=dict(notespacingfactor=1.5)))
    lines = abc.splitlines()
    assert lines[:5] == ['%%notespacingfactor 1.5', 'X:1', 'M:C|', 'L:1/64',
                         'K:D clef=treble']
    # F# is in the key (no accidental), the beam is one word, the slur
    # spans it, C natural and Bb need theirs, a tie continuation none
    assert lines[5] == '|: (F8G8) "^dolce"=c24- z8 | c32 !p!_B16 |]'


def _installed(name: str):
    """``name`` as a parameter, skipped where its program is missing."""
    _, installed = PROGRAMS.get(name.split('/')[0], (None, lambda: True))
    return pytest.param(name, marks=pytest.mark.skipif(
        not installed(), reason=f'{name}: not installed'))


@pytest.mark.parametrize('name', [_installed(s) for s in STYLES])
def test_every_style_renders_deterministically(name):
    rng = random.Random(name)
    frag = decorate(FRAG, rng)
    style = draw_style(rng, [name])
    img = engrave_styled(frag, style)
    assert img.dtype == np.uint8 and img.ndim == 2
    assert np.array_equal(img, engrave_styled(frag, style))
    staff = find_staff_lines(img)
    assert staff.space == pytest.approx(style['space'], rel=0.1)


@pytest.mark.parametrize('name', ['verovio/Bravura', 'abcm2ps/abcm2ps'])
def test_normalised_input_does_not_depend_on_crop_or_staff_size(name):
    style = draw_style(random.Random(1), [name])
    ref = None
    for space, margins in ((6.0, (0, 0, 0, 0)), (11.0, (2, 1, 3, 0.5)),
                           (8.3, (0.5, 2, 0, 3))):
        img = engrave_styled(FRAG, dict(style, space=space, margins=margins))
        out = normalize_staff(img, height=64)
        staff = find_staff_lines(out)
        assert staff.top == pytest.approx(19.2, abs=1.0)
        assert staff.bottom == pytest.approx(44.8, abs=1.0)
        if ref is None:
            ref = out
        assert abs(out.shape[1] - ref.shape[1]) <= 0.03 * ref.shape[1] + 2
        w = min(out.shape[1], ref.shape[1])
        assert np.abs(out[:, :w].astype(int) - ref[:, :w]).mean() < 20


def test_diverse_lmdb_has_semantic_labels_and_is_deterministic(tmp_path):
    bach = [f for f in F.corpus_files() if f.startswith('bach/bwv')]
    val = [f for f in bach if F.split_of(f) == 'val'][:2]
    pngs = []
    for run in ('a', 'b'):
        out = tmp_path / run
        omr_synth.main([
            '--out', str(out), '--engine', 'diverse', '--splits', 'val',
            '--val', '6', '--workers', '1', '--files', *val, '--seed', '5',
            '--no-aug', '--preview', '', '--cache', str(tmp_path / 'cache')])
        meta = json.loads((out / 'meta.json').read_text())
        assert meta['engine'] == 'diverse'
        assert sum(meta['splits']['val']['styles'].values()) == 6
        env = lmdb.open(str(out / 'val'), readonly=True, lock=False)
        with env.begin() as txn:
            assert int(txn.get(b'num-samples')) == 6
            for i in range(1, 7):
                label = txn.get(b'label-%09d' % i).decode().split()
                sem = txn.get(b'semantic-%09d' % i).decode().split()
                assert sem[0] in ('clef-G2', 'clef-F4')
                assert pitches_of(sem) == label
                pngs.append(txn.get(b'image-%09d' % i))
        env.close()
    assert pngs[:6] == pngs[6:]


@pytest.mark.parametrize('name', ['verovio/Bravura', 'verovio/Petaluma',
                                  'abcm2ps/abcm2ps',
                                  _installed('lilypond/Emmentaler'),
                                  _installed('musescore/Gonville')])
def test_clef_and_key_changes_render_deterministically(name):
    frags = (CHANGES, ) + change_fragments()[:6]
    for i, frag in enumerate(frags):
        rng = random.Random(f'{name}:{i}')
        frag = decorate(frag, rng)
        style = draw_style(rng, [name])
        img = engrave_styled(frag, style)
        assert np.array_equal(img, engrave_styled(frag, style))
        staff = find_staff_lines(img)
        assert staff.space == pytest.approx(style['space'], rel=0.1)


def test_verovio_draws_the_labelled_pitches_across_changes():
    """Pitches read back from the drawing (clef glyphs, key signatures,
    accidentals, notehead positions) are the pitch labels."""
    frags = (CHANGES, ) + change_fragments()
    assert len(frags) >= 5
    for frag in frags:
        svg = render_verovio(decorate(frag, random.Random(0)),
                             draw_style(random.Random(0), ['verovio/Bravura']))
        assert read_verovio_pitches(svg) == frag['tokens']


def test_lilypond_source():
    frag = dict(FRAG, decor=dict(meter_sym=None, bars=['double', 'rptend'],
                                 rptstart=True, slurs=[(0, 1)],
                                 marks=[(4, 'dyn', 'p', 'below'),
                                        (2, 'text', 'dolce', 'above')]))
    src = fragment_lilypond(frag, dict(options=None))
    music = src[src.index('\n{ ') + 1:].splitlines()
    assert music[0] == ('{ \\clef treble \\key d \\major '
                        '\\numericTimeSignature \\time 4/4 \\cadenzaOn '
                        '\\autoBeamOff \\bar ".|:"')
    # F# in the key: its sharp hidden; C natural and Bb forced; the tie
    # continuation hidden; bars where the fragment's measures end
    hide = '\\tweak Accidental.stencil ##f '
    assert music[1].split(' \\bar ') == [
        f"  {hide}fis'8[( {hide}g'8]) c''!4.~^\\markup {{ \\italic "
        '"dolce" } r8', f'"||" {hide}c' + "''2 bes'!4_\\p", '":|."']
    common = fragment_lilypond(dict(frag, decor=dict(
        frag['decor'], meter_sym='common')), dict(options=None))
    assert '\\time 4/4' in common and 'numeric' not in common


def test_abc_source_with_changes():
    abc = fragment_abc(CHANGES, dict(options={}))
    lines = abc.splitlines()
    assert lines[:3] == ['X:1', 'M:3/4', 'L:1/64']
    assert lines[3] == 'K:Bb clef=treble'
    # B and E natural against the flats; in A major (3 sharps) C needs a
    # natural and G# none
    assert lines[4] == ('c16 =B8A8 [K:clef=bass] =E,16 | [K:A] [M:2/4] '
                        '=C,16 G,,16 | A,,16 [K:clef=treble] B16 |')


def test_musicxml_for_musescore_carries_symbols_and_decorations():
    music21 = pytest.importorskip('music21')
    from omr.semantic_stream import stream_semantic
    for frag in (FRAG, CHANGES):
        frag = dict(frag, decor=dict(
            meter_sym=None, rptstart=False, slurs=[(0, 2)],
            bars=['single'] * (len(frag['measures']) - 1) + ['end'],
            marks=[(1, 'dyn', 'mf', 'below'),
                   (2, 'text', 'dolce', 'above')]))
        xml = fragment_musicxml(frag)
        assert 'Music21' not in xml
        score = music21.converter.parse(xml, format='musicxml')
        assert stream_semantic(score) == semantic_tokens(frag)
        assert len(score.recurse().getElementsByClass('Slur')) == 1
        assert [d.value for d in score.recurse().getElementsByClass(
            'Dynamic')] == ['mf']
        assert [t.content for t in score.recurse().getElementsByClass(
            'TextExpression')] == ['dolce']


def test_lilypond_source_with_changes():
    src = fragment_lilypond(CHANGES, dict(options=None))
    body = src.splitlines()[-2]
    assert '\\clef bass' in body and '\\key a \\major' in body
    assert '\\numericTimeSignature \\time 2/4' in body
    assert body.count('\\bar "|"') == len(CHANGES['measures'])


@pytest.mark.skipif(not abcm2ps_available(), reason='abcm2ps not installed')
def test_abcm2ps_draws_the_labelled_pitches_across_changes():
    """The same read-back on abcm2ps's drawing (fragments without
    decorations: dynamics and words are not read)."""
    for i, frag in enumerate((CHANGES, ) + change_fragments()):
        style = draw_style(random.Random(i), ['abcm2ps/abcm2ps'])
        svg = render_abc_svg(fragment_abc(frag, style))
        assert read_abcm2ps_pitches(svg) == frag['tokens']


def test_synth_names_a_missing_engraver_program(tmp_path, monkeypatch):
    from omr import engravers
    monkeypatch.setitem(engravers.PROGRAMS, 'lilypond',
                        ('lilypond', lambda: False))
    with pytest.raises(SystemExit, match='apt-get install lilypond'):
        omr_synth.main(['--out', str(tmp_path), '--engine', 'diverse',
                        '--styles', 'lilypond/Emmentaler', '--splits', 'val'])
    assert not (tmp_path / 'val').exists()


@pytest.mark.skipif(not PROGRAMS['musescore'][1](),
                    reason='musescore3 is not installed')
def test_musescore_batch_draws_what_one_by_one_draws():
    rng = random.Random(5)
    frags = [decorate(f, rng)
             for f in (FRAG, CHANGES) + tuple(change_fragments()[:2])]
    for frag, font in zip(frags, ('Emmentaler', 'Gonville', 'MuseJazz',
                                  'Bravura')):
        frag['style'] = draw_style(rng, [f'musescore/{font}'])
    broken = dict(frags[0], measures=None)  # no MusicXML can be written
    mixed = [frags[0], broken, dict(frags[1], style=draw_style(
        rng, ['verovio/Leipzig']))] + frags[1:]
    images = engrave_styled_many(mixed)
    assert isinstance(images[1], Exception)
    for frag, img in zip(mixed[:1] + mixed[2:], images[:1] + images[2:]):
        assert np.array_equal(img, engrave_styled(frag, frag['style']))
