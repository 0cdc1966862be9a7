"""Plain helpers for the engraving tests: what a verovio or abcm2ps SVG
shows, read back from the drawing (clef, key signature and accidental
glyphs and the notehead positions), independent of the MEI or ABC the
engine wrote; and fragments with clef, key and time changes."""
import re
from collections import Counter
from functools import lru_cache
from typing import Dict, List, Tuple

#: SMuFL glyphs: clefs (normal and change size) and accidentals.
G_CLEFS, F_CLEFS = ('E050', 'E07A'), ('E062', 'E07C')
SHARP, FLAT, NATURAL = 'E262', 'E260', 'E261'
ALTER = {SHARP: '#', FLAT: 'b', NATURAL: ''}
#: Diatonic index (octave * 7 + step) of the bottom staff line.
BOTTOM = {'treble': 4 * 7 + 2, 'bass': 2 * 7 + 4}
STEPS = 'CDEFGAB'
SYMBOL_RE = re.compile(
    r'class="(measure|clef|keyAccid|notehead|accid)">\s*'
    r'(?:<use xlink:href="#(E[0-9A-F]{3})[^"]*" '
    r'transform="translate\(([-\d.]+), ([-\d.]+)\))?')


def read_verovio_pitches(svg: str) -> List[str]:
    """Pitch tokens a reader sees in a one-staff verovio SVG.

    Every notehead's staff position is read under the last clef drawn
    before it; its alteration is its own accidental glyph, else an earlier
    one on the same position in the measure, else the key signature drawn
    last (its sharps or flats; naturals cancel).
    """
    lines = [float(y) for y in re.findall(
        r'<path d="M[-\d.]+ ([-\d.]+) L[-\d.]+ \1"', svg)[:5]]
    bottom, half = lines[4], (lines[4] - lines[0]) / 8
    clef, key, measure = 'treble', {}, {}
    key_fresh = False
    notes: List[list] = []  # [diatonic index, alteration]
    for kind, glyph, _, y in SYMBOL_RE.findall(svg):
        pos = round((bottom - float(y)) / half) if y else None
        if kind != 'keyAccid':
            key_fresh = False
        if kind == 'measure':
            measure = {}
        elif kind == 'clef':
            clef = 'treble' if glyph in G_CLEFS else 'bass'
        elif kind == 'keyAccid':
            if not key_fresh:
                key, key_fresh = {}, True
            step = STEPS[(BOTTOM[clef] + pos) % 7]
            if glyph != NATURAL:
                key[step] = ALTER[glyph]
        elif kind == 'notehead':
            index = BOTTOM[clef] + pos
            notes.append([index, measure.get(index,
                                             key.get(STEPS[index % 7], ''))])
        elif kind == 'accid':
            notes[-1][1] = measure[notes[-1][0]] = ALTER[glyph]
    out = []
    for index, alter in notes:
        out.append(f'{STEPS[index % 7]}{alter}{index // 7}')
    return out


#: Corpus files whose fragments (seed 0) have a key change (a string
#: quartet, G major to C major) and treble <-> bass clef changes (a
#: keyboard prelude).
CHANGE_FILES = ('mozart/k80/movement3.mxl', 'bach/bwv846.mxl')
#: A made-up fragment with both clef directions, a key and a time change.
CHANGES = dict(
    clef='treble', fifths=-2, meter='3/4', piece='x#0', part=0,
    tokens=['C5', 'B4', 'A4', 'E3', 'C3', 'G#2', 'A2', 'B4'],
    measures=[[['C5', '4', 0, '', ''], ['B4', '8', 0, '', 'start'],
               ['A4', '8', 0, '', 'stop'], ['clef', 'bass'],
               ['E3', '4', 0, '', '']],
              [['key', 3], ['time', '2/4'], ['C3', '4', 0, '', ''],
               ['G#2', '4', 0, '', '']],
              [['A2', '4', 0, '', ''], ['clef', 'treble'],
               ['B4', '4', 0, '', '']]])


@lru_cache(maxsize=1)
def change_fragments() -> Tuple[Dict, ...]:
    """The fragments of :data:`CHANGE_FILES` (seed 0) that carry a clef,
    key or time change."""
    from omr import fragments as F
    out = []
    for relpath in CHANGE_FILES:
        frags = F.file_fragments(F.parse_file(relpath), 0, Counter(),
                                 changes=True)
        out += [f for f in frags
                if any(F.is_change(ev) for m in f['measures'] for ev in m)]
    return tuple(out)


#: abcm2ps SVG symbols: noteheads, clefs (normal and small) and accidentals.
ABC_USE_RE = re.compile(r'<use x="([\d.]+)" y="([\d.]+)" xlink:href="#'
                        r'(hd|Hd|HD|HDD|[st]?[tb]clef|sh\d|ft\d|nt\d|dsh\d|'
                        r'dft\d)"')
ABC_BAR_RE = re.compile(r'd="M([\d.]+) ([\d.]+)v-24\.00"')
#: The staff: five lines drawn from the bottom one up.
ABC_STAFF_RE = re.compile(r'd="m[\d.]+ ([\d.]+)\s+h[\d.]+\s+M')
ABC_ALTER = {'sh': '#', 'ft': 'b', 'nt': '', 'dsh': '##', 'dft': 'bb'}


def read_abcm2ps_pitches(svg: str) -> List[str]:
    """Pitch tokens a reader sees in a one-staff abcm2ps SVG (a fragment
    without decorations), read as :func:`read_verovio_pitches` reads
    verovio's: symbols left to right, an accidental just left of a
    notehead on its line or space belongs to it, other accidentals form
    key signatures; barlines reset the measure's accidentals."""
    bottom = float(ABC_STAFF_RE.search(svg).group(1))
    symbols = [(float(x), kind, float(y))
               for x, y, kind in ABC_USE_RE.findall(svg)]
    symbols += [(float(x), 'bar', 0.0) for x, y in ABC_BAR_RE.findall(svg)
                if float(y) == bottom]
    symbols.sort()
    heads = [(x, y) for x, kind, y in symbols if kind.lower().startswith(
        'h')]
    clef, key, measure, out = 'treble', {}, {}, []
    key_fresh = False
    for x, kind, y in symbols:
        pos = round((bottom - y) / 3)
        accid = re.match(r'(dsh|dft|sh|ft|nt)\d', kind)
        own = accid and any(0 < hx - x < 15 and hy == y for hx, hy in heads)
        if not (accid and not own):
            key_fresh = False
        if kind == 'bar':
            measure = {}
        elif kind.endswith('clef'):
            clef = 'bass' if kind.endswith('bclef') else 'treble'
        elif accid and not own:
            if not key_fresh:
                key, key_fresh = {}, True
            if accid.group(1) != 'nt':
                key[STEPS[(BOTTOM[clef] + pos) % 7]] = ABC_ALTER[
                    accid.group(1)]
        elif accid:
            measure[BOTTOM[clef] + pos] = ABC_ALTER[accid.group(1)]
        else:
            index = BOTTOM[clef] + pos
            alter = measure.get(index, key.get(STEPS[index % 7], ''))
            out.append(f'{STEPS[index % 7]}{alter}{index // 7}')
    return out
