"""Second engraver: ABC notation engraved by abcm2ps (Debian ``abcm2ps``).

A fragment (with its ``decor``, :mod:`omr.decorate`) is written as ABC
2.1 (``L:1/64`` so every duration is an integer length; accidentals only
where :func:`omr.engrave.displayed_accidentals` prints one, which is
ABC's own rule too; clef, key and time changes as inline fields),
engraved to SVG by the ``abcm2ps`` program (its own PostScript-derived
music glyphs and spacing: a different engraver, not another font) and
rasterised by cairosvg. ~50 ms a fragment.
"""
import os
import shutil
import subprocess
import tempfile
from typing import Dict, List

from ..engrave import _beam_groups, displayed_accidentals
from ..fragments import is_change
from ..pitch_tokens import TOKEN_RE

__all__ = ['fragment_abc', 'render_abc_svg', 'abcm2ps_available']

#: MEI ``@dur`` -> length in 64ths.
LENGTH = {'breve': 128, '1': 64, '2': 32, '4': 16, '8': 8, '16': 4,
          '32': 2, '64': 1}
ACCID = {'s': '^', 'f': '_', 'n': '=', 'x': '^^', 'ff': '__'}
MAJOR = ('Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E',
         'B', 'F#', 'C#')
BARS = {'single': '|', 'double': '||', 'rptend': ':|', 'end': '|]'}


def _length(dur: str, dots: int) -> int:
    base = LENGTH[dur]
    return base + sum(base >> k for k in range(1, dots + 1))


def _pitch(token: str, accid) -> str:
    step, _, octave = TOKEN_RE.match(token).groups()
    octave = int(octave)
    name = step if octave <= 4 else step.lower()
    marks = ',' * max(0, 4 - octave) + "'" * max(0, octave - 5)
    return ACCID.get(accid, '') + name + marks


def fragment_abc(frag: Dict, style: Dict) -> str:
    """ABC source of a fragment, with the style's formatting directives.

    Args:
        frag (dict): A fragment (``clef``, ``fifths``, ``meter``,
            ``measures``, optional ``decor``).
        style (dict): ``options``: abcm2ps format parameters
            (``{'notespacingfactor': 1.4, ...}``).

    Returns:
        str: One ABC tune.
    """
    decor = frag.get('decor') or {}
    meter = frag.get('meter')
    sym = {'common': 'C', 'cut': 'C|'}.get(decor.get('meter_sym'))
    lines = [f'%%{k} {v}' for k, v in style.get('options', {}).items()]
    lines += ['X:1', f'M:{sym or meter or "none"}', 'L:1/64',
              f'K:{MAJOR[frag.get("fifths", 0) + 7]} clef={frag["clef"]}']
    slur_start = {a for a, _ in decor.get('slurs', ())}
    slur_end = {b for _, b in decor.get('slurs', ())}
    marks: Dict[int, List[str]] = {}
    for i, kind, text, place in decor.get('marks', ()):
        marks.setdefault(i, []).append(
            f'!{text}!' if kind == 'dyn' else
            f'"{"^" if place == "above" else "_"}{text}"')
    shown = displayed_accidentals(frag['measures'], frag.get('fifths', 0))
    bars = decor.get('bars') or ['single'] * len(frag['measures'])
    body = ['|:' if decor.get('rptstart') else '']
    note = 0
    for m, events in enumerate(frag['measures']):
        groups = _beam_groups(events)
        beam_end = -1
        for i, ev in enumerate(events):
            if i in groups:
                beam_end = groups[i]
            if is_change(ev):
                body.append(' ' + _inline_field(ev))
                continue
            length = _length(ev[1], ev[2])
            if ev[0] == 'r':
                item = f'z{length}'
            else:
                item = ''.join(marks.get(note, []))
                item += '(' if note in slur_start else ''
                item += _pitch(ev[0], shown[m][i]) + str(length)
                item += '-' if ev[3] in ('i', 'm') else ''
                item += ')' if note in slur_end else ''
                note += 1
            # notes of a beam group are written without spaces
            body.append(item if i <= beam_end and i not in groups
                        else ' ' + item)
        body.append(' ' + BARS[bars[m]])
    lines.append(''.join(body).strip())
    return '\n'.join(lines) + '\n'


def _inline_field(event: list) -> str:
    """ABC inline field of a change event (:mod:`omr.fragments`):
    ``[K:clef=bass]``, ``[K:D]``, ``[M:3/4]``."""
    kind, value = event[:2]
    if kind == 'clef':
        return f'[K:clef={value}]'
    if kind == 'key':
        return f'[K:{MAJOR[value + 7]}]'
    sym = {'common': 'C', 'cut': 'C|'}.get(event[2] if len(event) > 2
                                           else None)
    return f'[M:{sym or value}]'


def abcm2ps_available() -> bool:
    """Whether the ``abcm2ps`` program is on the PATH."""
    return shutil.which('abcm2ps') is not None


def render_abc_svg(abc: str) -> str:
    """Engrave ABC with abcm2ps; the SVG of the (single) tune.

    Raises:
        RuntimeError: If abcm2ps is missing or writes no SVG.
    """
    if not abcm2ps_available():
        raise RuntimeError('abcm2ps not found: apt-get install abcm2ps '
                           '(tools/setup.sh --with-synth installs it)')
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'f.abc')
        with open(src, 'w', encoding='utf-8') as f:
            f.write(abc)
        subprocess.run(['abcm2ps', '-q', '-g', '-O', 'f.svg', 'f.abc'],
                       cwd=tmp, capture_output=True, timeout=30,
                       check=False)
        out = os.path.join(tmp, 'f001.svg')
        if not os.path.exists(out):
            raise RuntimeError('abcm2ps wrote no SVG')
        with open(out, encoding='utf-8') as f:
            return f.read()
