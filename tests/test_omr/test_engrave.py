import re

import numpy as np
import pytest

pytest.importorskip('verovio', reason='verovio is not installed')
pytest.importorskip('cairosvg', reason='cairosvg is not installed')

from engraving_helpers import CHANGES  # noqa: E402
from omr import engrave as E  # noqa: E402

FRAG = dict(clef='treble', fifths=3, meter='3/4', measures=[
    [['C#5', '8', 0, '', 'start'], ['D5', '8', 0, '', 'stop'],
     ['C5', '4', 0, 'i', ''], ['r', '4', 0]],
    [['C5', '2', 1, 't', ''], ['G3', '4', 0, '', ''], ['D6', '4', 0, '', '']],
])


def test_displayed_accidentals():
    shown = E.displayed_accidentals(FRAG['measures'], 3)
    # A major: C#5 is in the key; C5 needs a natural, its tie continuation
    # none; G3 (G# in the key) a natural; D6 none.
    assert shown == [[None, None, 'n', None], [None, 'n', None]]
    assert E.displayed_accidentals([[['F#4', '4', 0, '', ''],
                                     ['F4', '4', 0, '', ''],
                                     ['F4', '4', 0, '', '']]], 0) == [
                                         ['s', 'n', None]]
    assert E.key_alter('B', -2) == -1 and E.key_alter('E', -1) == 0


def test_accidentals_and_mei_follow_changes():
    shown = E.displayed_accidentals(CHANGES['measures'], -2)
    # Bb major: B and E natural; A major: C natural, G# none
    assert shown == [[None, 'n', None, None, 'n'],
                     [None, None, 'n', None], [None, None, None]]
    mei = E.fragment_mei(CHANGES)
    layers = re.findall(r'<layer n="1">(.*?)</layer>', mei)
    assert re.findall(r'<(clef|note)(?: shape="(.)")?', layers[0]) == [
        ('note', ''), ('note', ''), ('note', ''), ('clef', 'F'),
        ('note', '')]
    assert '</measure><scoreDef keysig="3s" meter.count="2" ' \
        'meter.unit="4"/><measure n="2">' in mei
    assert '<clef shape="G" line="2"/>' in layers[2]
    img = E.engrave_fragment(CHANGES)
    assert img.shape[0] == E.HEIGHT


def test_engrave_fragment_height_staff_ink():
    svg = E.render_svg(E.fragment_mei(FRAG))
    raster = E.rasterize(svg)
    top, bottom = E.find_staff(raster)
    assert bottom > top
    img = E.crop_staff(raster)
    assert img.dtype == np.uint8 and img.shape[0] == E.HEIGHT
    assert img.shape[1] > 100
    ink = img < 128
    assert 0.01 < ink.mean() < 0.5
    # The 5 staff lines are at rows 3..7 spaces of a 10-space window.
    top, bottom = E.find_staff(img)
    assert abs(top - 0.3 * E.HEIGHT) < 2 and abs(bottom - 0.7 * E.HEIGHT) < 2
    # G3 (below) and D6 (above) noteheads stay inside: ink near both edges.
    assert ink[:6].any() and ink[-6:].any()


def test_notehead_spacing_at_height_32():
    svg = E.render_svg(E.fragment_mei(FRAG))
    gaps, space = E.notehead_gaps(svg)
    assert len(gaps) == 5 and space > 0  # 6 noteheads
    px_at_32 = np.mean(gaps) * 32 / 10  # 10 staff spaces -> 32 px
    assert px_at_32 >= 10


@pytest.mark.parametrize('clef', ['treble', 'bass'])
def test_engrave_tokens(clef):
    img = E.engrave_tokens(['C#4', 'Bb3', 'B3', 'F##3', 'C4'], clef)
    assert img.shape[0] == 64 and (img < 128).any()
    wider = E.engrave_tokens(['C4'] * 10, clef)
    assert wider.shape[1] > img.shape[1]
    with pytest.raises(ValueError):
        E.engrave_tokens(['H4'], clef)
    with pytest.raises(ValueError):
        E.engrave_tokens(['C4'], 'alto')
