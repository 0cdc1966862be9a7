"""Fourth engraver: MuseScore 3 (Debian ``musescore3``), held out from
training.

A fragment (with its ``decor``, :mod:`omr.decorate`) becomes a music21
stream (:func:`omr.semantic_stream.semantic_stream` of its semantic
symbols, plus its slurs, dynamics and words), is written as MusicXML,
imported by MuseScore, given a random style (music font, note spacing,
line widths) and engraved to SVG: MuseScore's own layout, beaming and
accidentals, the look of the scores users write and screenshot. The
engine never draws it for training (:data:`omr.engravers.HELD_OUT`).

MuseScore 3 bundles the music fonts Emmentaler (its default), Gonville
and MuseJazz (handwritten-looking). About 0.5 s a fragment (two MuseScore
runs: MusicXML -> MuseScore file, restyled -> SVG).
"""
import os
import random
import re
import shutil
import subprocess
import tempfile
from typing import Dict

__all__ = ['MUSESCORE_FONTS', 'fragment_musicxml', 'musescore_style',
           'render_musescore_svg', 'musescore_available']

#: Music fonts MuseScore 3 bundles (style ``musicalSymbolFont``).
MUSESCORE_FONTS = ('Emmentaler', 'Gonville', 'MuseJazz')
PROGRAM = 'mscore3'


def musescore_style(rng: random.Random, font: str) -> Dict:
    """Random MuseScore style values (sizes in staff spaces)."""
    return dict(font=font,
                measureSpacing=round(rng.uniform(1.0, 1.6), 2),
                minNoteDistance=round(rng.uniform(0.3, 0.7), 2),
                staffLineWidth=round(rng.uniform(0.06, 0.14), 3),
                stemWidth=round(rng.uniform(0.08, 0.14), 3),
                barWidth=round(rng.uniform(0.12, 0.2), 3),
                beamWidth=round(rng.uniform(0.4, 0.55), 2))


def fragment_musicxml(frag: Dict) -> str:
    """MusicXML of a fragment: its semantic symbols' stream with the
    fragment's slurs, dynamics and words, no title or composer.

    Args:
        frag (dict): A (decorated) fragment of :mod:`omr.fragments`.

    Returns:
        str: The MusicXML document.
    """
    from music21 import dynamics, expressions, metadata, spanner, stream
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    from ..semantic import semantic_tokens
    from ..semantic_stream import semantic_stream
    part = semantic_stream(semantic_tokens(frag))
    decor = frag.get('decor') or {}
    notes = list(part.recurse().notes)  # noteheads, as decor counts them
    for first, last in decor.get('slurs', ()):
        part.insert(0, spanner.Slur(notes[first:last + 1]))
    for i, kind, text, place in decor.get('marks', ()):
        mark = (dynamics.Dynamic(text) if kind == 'dyn' else
                expressions.TextExpression(text))
        if kind == 'text':
            mark.style.fontStyle = 'italic'
        mark.placement = place
        notes[i].activeSite.insert(notes[i].offset, mark)
    score = stream.Score()
    score.insert(0, metadata.Metadata())
    score.append(part)
    xml = GeneralObjectExporter(score).parse().decode('utf-8')
    # music21 names untitled scores "Music21 Fragment" by "Music21"
    return re.sub(r'\s*<(movement-title|creator type="composer")>[^<]*'
                  r'</(movement-title|creator)>', '', xml)


def musescore_available() -> bool:
    """Whether the MuseScore 3 program (``mscore3``) is on the PATH."""
    return shutil.which(PROGRAM) is not None


def _style_xml(options: Dict) -> str:
    font = options['font']
    # a small staff space on a short A4-wide page: up to ~200 spaces on
    # one line, a small raster to measure
    values = dict(Spatium=0.8, pageWidth=8.27, pageHeight=2.5,
                  pagePrintableWidth=7.5, lastSystemFillLimit=1,
                  musicalSymbolFont=font,
                  musicalTextFont=f'{font} Text',
                  **{k: v for k, v in options.items() if k != 'font'})
    return '<Style>' + ''.join(f'<{k}>{v}</{k}>'
                               for k, v in values.items()) + '</Style>'


def _run(args, cwd: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM='offscreen')
    subprocess.run([PROGRAM] + args, cwd=cwd, env=env, capture_output=True,
                   timeout=60, check=False)


def render_musescore_svg(frag: Dict, style: Dict) -> str:
    """Engrave a fragment with MuseScore in a :func:`musescore_style`
    style; the SVG of its (one) page.

    Args:
        frag (dict): A (decorated) fragment of :mod:`omr.fragments`.
        style (dict): From :func:`omr.engravers.draw_style`; ``options``
            from :func:`musescore_style`.

    Returns:
        str: The SVG document (a short A4-wide page).

    Raises:
        RuntimeError: If MuseScore is missing, writes no SVG or needs more
            than one page.
    """
    if not musescore_available():
        raise RuntimeError('mscore3 not found: apt-get install musescore3')
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, 'f.musicxml'), 'w',
                  encoding='utf-8') as f:
            f.write(fragment_musicxml(frag))
        _run(['-o', 'f.mscx', 'f.musicxml'], tmp)
        path = os.path.join(tmp, 'f.mscx')
        if not os.path.exists(path):
            raise RuntimeError('MuseScore could not import the MusicXML')
        with open(path, encoding='utf-8') as f:
            mscx = f.read()
        with open(path, 'w', encoding='utf-8') as f:
            f.write(re.sub(r'<Style>.*?</Style>',
                           _style_xml(style['options']), mscx, count=1,
                           flags=re.S))
        _run(['-o', 'f.svg', 'f.mscx'], tmp)
        if os.path.exists(os.path.join(tmp, 'f-2.svg')):
            raise RuntimeError('MuseScore needed more than one page')
        out = os.path.join(tmp, 'f-1.svg')
        if not os.path.exists(out):
            raise RuntimeError('MuseScore wrote no SVG')
        with open(out, encoding='utf-8') as f:
            return f.read()
