"""Fourth engraver: MuseScore 3 (Debian ``musescore3``).

A fragment (with its ``decor``, :mod:`omr.decorate`) becomes a music21
stream (:func:`omr.semantic_stream.semantic_stream` of its semantic
symbols, plus its slurs, dynamics and words), is written as MusicXML,
imported by MuseScore, given a random style (music font, note spacing,
line widths) and engraved to SVG: MuseScore's own layout, beaming and
accidentals, the look of the scores users write and screenshot.
Training draws its Bravura and Gonville fonts; Emmentaler and MuseJazz are
held out (:data:`omr.engravers.HELD_OUT`).

MuseScore 3 bundles the music fonts Emmentaler (its default), Gonville,
MuseJazz (handwritten-looking) and Bravura. Two MuseScore runs (MusicXML ->
MuseScore file, restyled -> SVG), ~0.9 s a fragment one by one, mostly the
program's start-up; :func:`render_musescore_svgs` engraves many fragments
in the same two runs (~0.15 s a fragment).
"""
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple, Union

__all__ = ['MUSESCORE_FONTS', 'fragment_musicxml', 'musescore_style',
           'render_musescore_svg', 'render_musescore_svgs',
           'musescore_available']

#: Music fonts MuseScore 3 bundles (style ``musicalSymbolFont``).
MUSESCORE_FONTS = ('Emmentaler', 'Gonville', 'MuseJazz', 'Bravura')
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


def _run_jobs(jobs: List[Tuple[str, str]], cwd: str) -> None:
    """One MuseScore run converting every ``(input, output)`` file of
    ``jobs`` (paths relative to ``cwd``): a job file, so the program starts
    once for all of them."""
    with open(os.path.join(cwd, 'job.json'), 'w', encoding='utf-8') as f:
        json.dump([{'in': i, 'out': o} for i, o in jobs], f)
    env = dict(os.environ, QT_QPA_PLATFORM='offscreen')
    try:
        subprocess.run([PROGRAM, '-j', 'job.json'], cwd=cwd, env=env,
                       capture_output=True, timeout=60 + 5 * len(jobs),
                       check=False)
    except subprocess.TimeoutExpired:
        pass  # the missing outputs are retried or reported per fragment


def _engrave_in(tmp: str, frags: Sequence[Dict], styles: Sequence[Dict]
                ) -> List[Union[str, Exception]]:
    """Engrave fragments in the folder ``tmp`` with two MuseScore runs
    (MusicXML -> MuseScore file; restyled file -> SVG)."""
    out: List[Optional[Union[str, Exception]]] = []  # None: pending
    for i, frag in enumerate(frags):
        try:
            xml = fragment_musicxml(frag)
        except Exception as e:  # music21 cannot write this fragment
            out.append(e)
            continue
        with open(os.path.join(tmp, f'f{i}.musicxml'), 'w',
                  encoding='utf-8') as f:
            f.write(xml)
        out.append(None)
    _run_jobs([(f'f{i}.musicxml', f'f{i}.mscx')
               for i, o in enumerate(out) if o is None], tmp)
    for i, style in enumerate(styles):
        if out[i] is not None:
            continue
        path = os.path.join(tmp, f'f{i}.mscx')
        if not os.path.exists(path):
            out[i] = RuntimeError('MuseScore could not import the MusicXML')
            continue
        with open(path, encoding='utf-8') as f:
            mscx = f.read()
        with open(path, 'w', encoding='utf-8') as f:
            f.write(re.sub(r'<Style>.*?</Style>',
                           _style_xml(style['options']), mscx, count=1,
                           flags=re.S))
    _run_jobs([(f'f{i}.mscx', f'f{i}.svg')
               for i, o in enumerate(out) if o is None], tmp)
    for i in range(len(frags)):
        if out[i] is not None:
            continue
        if os.path.exists(os.path.join(tmp, f'f{i}-2.svg')):
            out[i] = RuntimeError('MuseScore needed more than one page')
            continue
        svg = os.path.join(tmp, f'f{i}-1.svg')
        if not os.path.exists(svg):
            out[i] = RuntimeError('MuseScore wrote no SVG')
            continue
        with open(svg, encoding='utf-8') as f:
            out[i] = f.read()
    return out


def render_musescore_svgs(frags: Sequence[Dict], styles: Sequence[Dict]
                          ) -> List[Union[str, Exception]]:
    """Engrave several fragments, each in its :func:`musescore_style`
    style, starting MuseScore twice for all of them (~0.15 s a fragment
    instead of ~0.9 s one by one: the program's start-up is most of it).

    A fragment the batch left without an SVG (MuseScore stopped part way)
    is engraved again on its own, so every result equals
    :func:`render_musescore_svg`'s.

    Args:
        frags (Sequence[dict]): (Decorated) fragments of
            :mod:`omr.fragments`.
        styles (Sequence[dict]): Their styles (:func:`omr.engravers.
            draw_style`, ``options`` from :func:`musescore_style`).

    Returns:
        list: Per fragment, the SVG document of its (one) page, or the
        exception saying why there is none (RuntimeError from MuseScore's
        side, music21's own when it cannot write the fragment).

    Raises:
        RuntimeError: If MuseScore is missing.
    """
    if not musescore_available():
        raise RuntimeError('mscore3 not found: apt-get install musescore3')
    with tempfile.TemporaryDirectory() as tmp:
        out = _engrave_in(tmp, frags, styles)
    if len(frags) > 1:
        for i, result in enumerate(out):
            if isinstance(result, RuntimeError):  # not music21's
                with tempfile.TemporaryDirectory() as tmp:
                    out[i] = _engrave_in(tmp, frags[i:i + 1],
                                         styles[i:i + 1])[0]
    return out


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
    result = render_musescore_svgs([frag], [style])[0]
    if isinstance(result, Exception):
        raise result
    return result
