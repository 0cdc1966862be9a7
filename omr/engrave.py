"""Engrave fragments with verovio (MEI -> SVG) and rasterise with cairosvg.

A fragment (see :mod:`omr.fragments`) is written as a small MEI document
(built here: far cheaper than a music21 MusicXML export and fully explicit:
which accidentals are printed is decided by :func:`displayed_accidentals`),
engraved on one system by verovio, rasterised by cairosvg and cropped to
the staff +- 3 staff spaces (found by horizontal projection of the raster),
then scaled to :data:`HEIGHT` px. verovio and cairosvg are imported inside
the functions so ``import omr`` stays light.
"""
import io
import re
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .fragments import is_change
from .pitch_tokens import TOKEN_RE

#: Stored image height (px): 10 staff spaces -> 6.4 px per space.
HEIGHT = 64
#: Staff spaces kept above the top and below the bottom staff line.
MARGIN_SPACES = 3
#: Accidental token suffix -> (alter, MEI accid value).
ACCID = {'': (0, 'n'), '#': (1, 's'), 'b': (-1, 'f'), '##': (2, 'x'),
         'bb': (-2, 'ff')}
#: Key signature order of sharps (flats: reversed).
SHARP_ORDER = 'FCGDAEB'
CLEF_ATTRS = {'treble': ('G', 2), 'bass': ('F', 4)}
#: Barline of :mod:`omr.decorate` -> MEI ``measure/@right``.
MEI_BARS = {'single': '', 'double': ' right="dbl"',
            'rptend': ' right="rptend"', 'end': ' right="end"'}
#: verovio layout: one system, no header. verovio's default spacing gives
#: ~5.3 staff spaces between noteheads on average (~17 px at height 32;
#: measured on corpus fragments, see tests/test_omr/test_engrave.py), well
#: above the >= 10 px wanted for CTC. ``scale`` 70 renders ~7 px per staff
#: space, a little above the stored 6.4 (rasterising dominates the cost).
VEROVIO_OPTIONS = {
    'breaks': 'none', 'header': 'none', 'footer': 'none',
    'adjustPageHeight': True, 'adjustPageWidth': True, 'scale': 70,
    'pageMarginLeft': 20, 'pageMarginRight': 20, 'pageMarginTop': 0,
    'pageMarginBottom': 0, 'spacingLinear': 0.25, 'spacingNonLinear': 0.6,
    'xmlIdSeed': 1,
}
MEI_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><mei xmlns="http://www.'
            'music-encoding.org/ns/mei" meiversion="5.0"><meiHead><fileDesc>'
            '<titleStmt><title/></titleStmt><pubStmt/></fileDesc></meiHead>'
            '<music><body><mdiv><score>')
MEI_TAIL = '</section></score></mdiv></body></music></mei>'

_TOOLKIT = None


def key_alter(step: str, fifths: int) -> int:
    """Alteration the key signature gives a step (e.g. F in G major: 1)."""
    if fifths > 0:
        return 1 if step in SHARP_ORDER[:fifths] else 0
    return -1 if step in SHARP_ORDER[::-1][:-fifths] else 0


def displayed_accidentals(measures: Sequence[Sequence[list]],
                          fifths: int) -> List[List[Optional[str]]]:
    """Printed accidental (MEI ``@accid`` or None) of every event.

    Common-practice rule: a note shows an accidental when its alteration
    differs from what its staff position currently has (key signature, or
    an earlier accidental on the same step and octave in the measure); tie
    continuations show none. A key change event (``['key', fifths]``,
    :mod:`omr.fragments`) sets the key signature from there on; change
    events show none.
    """
    out = []
    for events in measures:
        state, shown = {}, []
        for ev in events:
            if ev[0] == 'key':
                fifths = ev[1]
            if ev[0] == 'r' or is_change(ev):
                shown.append(None)
                continue
            step, acc, octave = TOKEN_RE.match(ev[0]).groups()
            alter, mei = ACCID[acc or '']
            place = (step, octave)
            current = state.get(place, key_alter(step, fifths))
            state[place] = alter
            tied = ev[3] in ('t', 'm')
            shown.append(mei if alter != current and not tied else None)
        out.append(shown)
    return out


def _beam_groups(events: Sequence[list]) -> Dict[int, int]:
    """Valid beam groups of a measure as {first index: last index}."""
    groups, start = {}, None
    for i, ev in enumerate(events):
        beamable = ev[0] != 'r' and not is_change(ev) and ev[1] in (
            '8', '16', '32', '64')
        beam = ev[4] if beamable else ''
        if beam == 'start':
            start = i
        elif beam == 'stop' and start is not None:
            groups[start] = i
            start = None
        elif beam != 'continue':
            start = None
    return groups


def fragment_mei(frag: Dict) -> str:
    """MEI document of a fragment (``clef``, ``fifths``, ``meter``,
    ``measures``; see :mod:`omr.fragments`), with its ``decor`` (meter
    symbol, barlines, slurs, dynamics and words: :mod:`omr.decorate`) when
    it has one.

    Clef changes (:mod:`omr.fragments` change events) are ``<clef>``
    elements of the layer where they occur; key and time changes open
    their measure with a ``<scoreDef>``.
    """
    decor = frag.get('decor') or {}
    shape, line = CLEF_ATTRS[frag['clef']]
    fifths = frag.get('fifths', 0)
    meter = ''
    if frag.get('meter') and re.fullmatch(r'\d+/\d+', frag['meter']):
        meter = _mei_meter(frag['meter'], decor.get('meter_sym'))
    parts = [MEI_HEAD, '<scoreDef><staffGrp><staffDef n="1" lines="5" ',
             f'clef.shape="{shape}" clef.line="{line}" '
             f'keysig="{_mei_keysig(fifths)}"',
             f'{meter}/></staffGrp></scoreDef><section>']
    shown = displayed_accidentals(frag['measures'], fifths)
    bars = decor.get('bars') or []
    note_id = 0
    for m, events in enumerate(frag['measures']):
        right = MEI_BARS.get(bars[m] if m < len(bars) else 'single', '')
        left = ' left="rptstart"' if m == 0 and decor.get('rptstart') else ''
        new_def = ''.join(
            f' keysig="{_mei_keysig(ev[1])}"' if ev[0] == 'key' else
            _mei_meter(ev[1], ev[2] if len(ev) > 2 else None)
            for ev in events if ev[0] in ('key', 'time'))
        if new_def:
            parts.append(f'<scoreDef{new_def}/>')
        parts.append(f'<measure n="{m + 1}"{left}{right}><staff n="1">'
                     '<layer n="1">')
        first_id = note_id
        groups = _beam_groups(events)
        beam_end = None
        for i, ev in enumerate(events):
            if i in groups:
                parts.append('<beam>')
                beam_end = groups[i]
            if ev[0] == 'clef':
                parts.append('<clef shape="{}" line="{}"/>'.format(
                    *CLEF_ATTRS[ev[1]]))
                continue
            if is_change(ev):
                continue  # key and time: the measure's <scoreDef>
            dots = f' dots="{ev[2]}"' if ev[2] else ''
            if ev[0] == 'r':
                parts.append(f'<rest dur="{ev[1]}"{dots}/>')
            else:
                step, acc, octave = TOKEN_RE.match(ev[0]).groups()
                attrs = f'pname="{step.lower()}" oct="{octave}" dur="{ev[1]}"'
                if shown[m][i]:
                    attrs += f' accid="{shown[m][i]}"'
                elif acc:
                    attrs += f' accid.ges="{ACCID[acc][1]}"'
                if ev[3]:
                    attrs += f' tie="{ev[3]}"'
                parts.append(f'<note xml:id="n{note_id}" {attrs}{dots}/>')
                note_id += 1
            if i == beam_end:
                parts.append('</beam>')
                beam_end = None
        parts.append('</layer></staff>')
        parts.extend(_control_events(decor, first_id, note_id))
        parts.append('</measure>')
    parts.append(MEI_TAIL)
    return ''.join(parts)


def _mei_keysig(fifths: int) -> str:
    """MEI ``@keysig`` of a key signature: ``'2s'``, ``'3f'``, ``'0'``."""
    return f'{abs(fifths)}{"s" if fifths > 0 else "f"}' if fifths else '0'


def _mei_meter(meter: str, sym: Optional[str] = None) -> str:
    """MEI meter attributes of ``'3/4'`` (and ``'common'``/``'cut'``)."""
    count, unit = meter.split('/')
    out = f' meter.count="{count}" meter.unit="{unit}"'
    return out + (f' meter.sym="{sym}"' if sym else '')


def _control_events(decor: Dict, first: int, stop: int) -> List[str]:
    """MEI slurs, dynamics and words of the notes ``first..stop-1``."""
    out = []
    for a, b in decor.get('slurs', ()):
        if first <= a < stop:
            out.append(f'<slur staff="1" startid="#n{a}" endid="#n{b}"/>')
    for i, kind, text, place in decor.get('marks', ()):
        if first <= i < stop:
            tag = 'dynam' if kind == 'dyn' else 'dir'
            out.append(f'<{tag} staff="1" startid="#n{i}" place="{place}">'
                       f'{text}</{tag}>')
    return out


def render_svg(mei: str) -> str:
    """Engrave MEI to SVG with a per-process verovio toolkit."""
    global _TOOLKIT
    if _TOOLKIT is None:
        import verovio
        verovio.enableLog(verovio.LOG_ERROR)
        _TOOLKIT = verovio.toolkit()
        _TOOLKIT.setOptions(VEROVIO_OPTIONS)
    if not _TOOLKIT.loadData(mei):
        raise ValueError('verovio could not load the MEI')
    return _TOOLKIT.renderToSVG(1)


def rasterize(svg: str, zoom: float = 1.0) -> np.ndarray:
    """SVG -> grayscale uint8 array (white background) via cairosvg."""
    import cairosvg
    from PIL import Image
    png = cairosvg.svg2png(bytestring=svg.encode(), background_color='white',
                           scale=zoom)
    return np.asarray(Image.open(io.BytesIO(png)).convert('L'))


def find_staff(gray: np.ndarray) -> Tuple[float, float]:
    """Top and bottom staff-line rows (centres) of a one-staff raster.

    Staff lines are the rows whose ink covers most of the inked width;
    ledger lines, beams and slurs are much shorter.

    Raises:
        ValueError: if there are not exactly 5 such line groups.
    """
    ink = gray < 192
    cols = np.flatnonzero(ink.any(axis=0))
    if cols.size == 0:
        raise ValueError('empty rendering')
    width = cols[-1] - cols[0] + 1
    rows = np.flatnonzero(ink.sum(axis=1) > 0.6 * width)
    if rows.size == 0:
        raise ValueError('no staff line found')
    groups = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    if len(groups) != 5:
        raise ValueError(f'expected 5 staff lines, found {len(groups)}')
    return float(groups[0].mean()), float(groups[-1].mean())


def crop_staff(gray: np.ndarray, height: int = HEIGHT) -> np.ndarray:
    """Crop to the staff +- :data:`MARGIN_SPACES` spaces, scale to
    ``height`` (width proportional). Returns (height, W) uint8."""
    from PIL import Image
    top, bottom = find_staff(gray)
    space = (bottom - top) / 4
    y0 = int(round(top - MARGIN_SPACES * space))
    y1 = int(round(bottom + MARGIN_SPACES * space)) + 1
    pad = max(0, -y0), max(0, y1 - gray.shape[0])
    img = np.pad(gray, (pad, (0, 0)), constant_values=255)
    img = img[y0 + pad[0]:y1 + pad[0]]
    cols = np.flatnonzero((img < 128).any(axis=0))
    margin = int(space)
    img = img[:, max(0, cols[0] - margin):cols[-1] + margin + 1]
    width = max(1, int(round(img.shape[1] * height / img.shape[0])))
    return np.asarray(Image.fromarray(img).resize((width, height),
                                                  Image.LANCZOS))


def engrave_fragment(frag: Dict, height: int = HEIGHT,
                     zoom: float = 1.0) -> np.ndarray:
    """Grayscale (height, W) uint8 image of a fragment's staff."""
    return crop_staff(rasterize(render_svg(fragment_mei(frag)), zoom),
                      height)


def engrave_tokens(tokens: Sequence[str], clef: str = 'treble',
                   height: int = HEIGHT) -> np.ndarray:
    """Engrave pitch tokens as quarter notes (4 per bar, C major key
    signature, accidentals printed where needed), e.g. to show what a
    model recognised (``omr/recognize.py --render``).

    Args:
        tokens (list[str]): Pitch tokens, e.g. ``['C#5', 'D5']``; paper
            tokens (no accidental) work too.
        clef (str): ``'treble'`` or ``'bass'``. Defaults to ``'treble'``.
        height (int): Output height. Defaults to :data:`HEIGHT`.

    Returns:
        np.ndarray: (height, W) uint8 grayscale image.
    """
    if clef not in CLEF_ATTRS:
        raise ValueError(f'clef must be one of {sorted(CLEF_ATTRS)}')
    for t in tokens:
        if TOKEN_RE.match(t) is None:
            raise ValueError(f'not a pitch token: {t!r}')
    notes = [[t, '4', 0, '', ''] for t in tokens]
    measures = [notes[i:i + 4] for i in range(0, len(notes), 4)] or [
        [['r', '1', 0]]]
    frag = dict(clef=clef, fifths=0, meter=None, measures=measures)
    return engrave_fragment(frag, height)


def notehead_gaps(svg: str) -> Tuple[List[float], float]:
    """Horizontal distances between consecutive noteheads of a verovio SVG,
    in staff spaces, and the staff space (SVG units). For checking the
    spacing options."""
    xs = [float(x) for x in re.findall(
        r'class="notehead">\s*<use[^>]*translate\(([-\d.]+),', svg)]
    lines = [float(y) for y in re.findall(
        r'<path d="M[-\d.]+ ([-\d.]+) L[-\d.]+ \1"', svg)[:5]]
    space = (lines[4] - lines[0]) / 4
    return [(b - a) / space for a, b in zip(xs, xs[1:])], space
