"""Third engraver: LilyPond (Debian ``lilypond``), held out from training.

A fragment (with its ``decor``, :mod:`omr.decorate`) is written as
LilyPond source and engraved to SVG by the ``lilypond`` program: its own
music font (Emmentaler), spacing, beams and slurs, the look of LilyPond
and of the many editions set with it. The engine never draws it for
training (:data:`omr.engravers.HELD_OUT`): it measures how a model reads
an engraver it has never seen.

What is printed follows the other engravers exactly: the barlines stand
where the fragment's measures end (``\\cadenzaOn`` with explicit
``\\bar``, since a cut fragment's measures need not fill the meter),
beams are the fragment's beam groups, and an accidental shows where
:func:`omr.engrave.displayed_accidentals` prints one (forced ``!``,
hidden elsewhere), so the labels read the same way for every engraver.
About a second a fragment (LilyPond's start-up).
"""
import os
import random
import shutil
import subprocess
import tempfile
from typing import Dict, List

from ..engrave import _beam_groups, displayed_accidentals
from ..fragments import is_change
from ..pitch_tokens import TOKEN_RE

__all__ = ['fragment_lilypond', 'lilypond_style', 'render_lilypond_svg',
           'lilypond_available']

#: Key signature (fifths + 7) -> LilyPond tonic of the major key.
MAJOR = ('ces', 'ges', 'des', 'aes', 'ees', 'bes', 'f', 'c', 'g', 'd', 'a',
         'e', 'b', 'fis', 'cis')
ALTER = {'': '', '#': 'is', '##': 'isis', 'b': 'es', 'bb': 'eses'}
BARS = {'single': '|', 'double': '||', 'rptend': ':|.', 'end': '|.'}


def _pitch(token: str) -> str:
    """``'C#5'`` -> ``"cis''"`` (absolute octave: ``c'`` is C4)."""
    step, acc, octave = TOKEN_RE.match(token).groups()
    octave = int(octave)
    marks = "'" * max(0, octave - 3) + ',' * max(0, 3 - octave)
    return step.lower() + ALTER[acc or ''] + marks


def _duration(dur: str, dots: int) -> str:
    return ('\\breve' if dur == 'breve' else dur) + '.' * dots


def lilypond_style(rng: random.Random) -> Dict:
    """Random LilyPond engraving options: spacing increment, staff line,
    stem and beam thickness, ledger line overhang (LilyPond units)."""
    return dict(
        spacing=round(rng.uniform(1.0, 1.8), 2),
        staff_thickness=round(rng.uniform(0.8, 1.6), 2),
        stem_thickness=round(rng.uniform(1.0, 1.8), 2),
        beam_thickness=round(rng.uniform(0.4, 0.55), 2),
        ledger_extra=round(rng.uniform(0.0, 0.4), 2))


def _change(event: list) -> str:
    """LilyPond command of a change event (:mod:`omr.fragments`)."""
    kind, value = event[:2]
    if kind == 'clef':
        return f'\\clef {value}'
    if kind == 'key':
        return f'\\key {MAJOR[value + 7]} \\major'
    sym = event[2] if len(event) > 2 else None
    return ('' if sym in ('common', 'cut') else
            '\\numericTimeSignature ') + f'\\time {value}'


def fragment_lilypond(frag: Dict, style: Dict) -> str:
    """LilyPond source of a fragment in a :func:`lilypond_style` style.

    Args:
        frag (dict): A fragment (``clef``, ``fifths``, ``meter``,
            ``measures``, optional ``decor``).
        style (dict): ``options``: from :func:`lilypond_style`.

    Returns:
        str: A LilyPond file engraving one staff on one line.
    """
    opt = style.get('options') or lilypond_style(random.Random(0))
    decor = frag.get('decor') or {}
    meter = frag.get('meter')
    head = [f'\\clef {frag["clef"]}',
            f'\\key {MAJOR[frag.get("fifths", 0) + 7]} \\major']
    if meter:
        meter_sym = decor.get('meter_sym')
        head.append(_change(['time', meter, meter_sym]))
    else:
        head.append('\\omit Staff.TimeSignature')
    head += ['\\cadenzaOn', '\\autoBeamOff']
    if decor.get('rptstart'):
        head.append('\\bar ".|:"')
    slur_start = {a for a, _ in decor.get('slurs', ())}
    slur_end = {b for _, b in decor.get('slurs', ())}
    marks: Dict[int, List[str]] = {}
    for i, kind, text, place in decor.get('marks', ()):
        side = '^' if place == 'above' else '_'
        marks.setdefault(i, []).append(
            f'{side}\\{text}' if kind == 'dyn' else
            f'{side}\\markup {{ \\italic "{text}" }}')
    shown = displayed_accidentals(frag['measures'], frag.get('fifths', 0))
    bars = decor.get('bars') or ['single'] * len(frag['measures'])
    body, note = [], 0
    for m, events in enumerate(frag['measures']):
        groups = _beam_groups(events)
        ends = set(groups.values())
        for i, ev in enumerate(events):
            if is_change(ev):
                body.append(_change(ev))
                continue
            length = _duration(ev[1], ev[2])
            if ev[0] == 'r':
                body.append('r' + length)
                continue
            pitch = _pitch(ev[0])
            item = (pitch + '!' if shown[m][i] else
                    '\\tweak Accidental.stencil ##f ' + pitch) + length
            item += '~' if ev[3] in ('i', 'm') else ''
            item += '[' if i in groups else ']' if i in ends else ''
            item += '(' if note in slur_start else ''
            item += ')' if note in slur_end else ''
            item += ''.join(marks.get(note, []))
            body.append(item)
            note += 1
        body.append(f'\\bar "{BARS[bars[m]]}"')
    return '\n'.join([
        '\\version "2.24.0"',
        '\\header { tagline = ##f }',
        '\\paper { indent = 0 line-width = 2000\\mm ragged-right = ##t '
        'paper-width = 2100\\mm print-page-number = ##f }',
        '\\layout { \\context { \\Score \\omit BarNumber',
        f'  \\override SpacingSpanner.spacing-increment = #{opt["spacing"]}',
        '  \\override NonMusicalPaperColumn.line-break-permission = ##f }',
        '  \\context { \\Staff',
        f'  \\override StaffSymbol.thickness = #{opt["staff_thickness"]}',
        f'  \\override StaffSymbol.ledger-extra = #{opt["ledger_extra"]}',
        f'  \\override Stem.thickness = #{opt["stem_thickness"]}',
        f'  \\override Beam.beam-thickness = #{opt["beam_thickness"]} }} }}',
        '{ ' + ' '.join(head), '  ' + ' '.join(body), '}', ''])


def lilypond_available() -> bool:
    """Whether the ``lilypond`` program is on the PATH."""
    return shutil.which('lilypond') is not None


def render_lilypond_svg(source: str) -> str:
    """Engrave LilyPond source; the SVG cropped to the music.

    Args:
        source (str): A LilyPond file (:func:`fragment_lilypond`).

    Returns:
        str: The SVG document.

    Raises:
        RuntimeError: If lilypond is missing or writes no SVG.
    """
    if not lilypond_available():
        raise RuntimeError('lilypond not found: apt-get install lilypond')
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, 'f.ly'), 'w', encoding='utf-8') as f:
            f.write(source)
        run = subprocess.run(
            ['lilypond', '-s', '-dbackend=svg', '-dcrop',
             '-dno-point-and-click', 'f.ly'],
            cwd=tmp, capture_output=True, text=True, timeout=60, check=False)
        out = os.path.join(tmp, 'f.cropped.svg')
        if not os.path.exists(out):
            raise RuntimeError('lilypond wrote no SVG: '
                               + run.stderr.strip()[-300:])
        with open(out, encoding='utf-8') as f:
            return f.read()
