"""Semantic labels of a fragment: clef, key, meter, notes with durations,
rests, ties and barlines (a PrIMuS-style vocabulary).

Stored beside the pitch label by ``tools/data/omr_synth.py --engine
diverse`` (LMDB key ``semantic-%09d``) for models that read rhythm too.
Tokens, left to right as engraved::

    clef-G2 | clef-F4
    keySignature-<fifths>          e.g. keySignature-2 (D major), -3
    timeSignature-3/4 | timeSignature-C | timeSignature-C/
    repeat-start
    note-<pitch>_<duration><dots>  e.g. note-F#5_eighth, note-C4_half.
    tie                            after a note tied to the next one
    rest-<duration><dots>          e.g. rest-quarter, rest-whole
    barline | barline-double | barline-end | repeat-end

Durations: breve, whole, half, quarter, eighth, sixteenth, thirty_second,
sixty_fourth; each dot adds ``'.'``. Pitches are pitch-mode tokens
(:mod:`omr.labels`), so the pitch label is the semantic label's notes.
"""
import re
from typing import Dict, List

__all__ = ['semantic_tokens', 'pitches_of', 'DURATION_NAMES']

#: MEI ``@dur`` -> duration name.
DURATION_NAMES = {'breve': 'breve', '1': 'whole', '2': 'half',
                  '4': 'quarter', '8': 'eighth', '16': 'sixteenth',
                  '32': 'thirty_second', '64': 'sixty_fourth'}
CLEFS = {'treble': 'clef-G2', 'bass': 'clef-F4'}
BARLINES = {'single': 'barline', 'double': 'barline-double',
            'end': 'barline-end', 'rptend': 'repeat-end'}
NOTE_RE = re.compile(r'note-([A-G](?:##|bb|#|b)?\d)_')


def semantic_tokens(frag: Dict) -> List[str]:
    """Semantic tokens of a fragment (with or without ``decor``).

    Args:
        frag (dict): A fragment of :mod:`omr.fragments`, optionally
            decorated (:func:`omr.decorate.decorate`).

    Returns:
        list[str]: The tokens (see module docstring).

    Example:
        >>> frag = dict(clef='treble', fifths=1, meter='3/4', measures=[
        ...     [['G4', '4', 0, 'i', ''], ['G4', '8', 1, 't', ''],
        ...      ['r', '16', 0]]], tokens=['G4', 'G4'])
        >>> ' '.join(semantic_tokens(frag))
        'clef-G2 keySignature-1 timeSignature-3/4 note-G4_quarter tie \
note-G4_eighth. rest-sixteenth barline'
    """
    decor = frag.get('decor') or {}
    out = [CLEFS[frag['clef']], f'keySignature-{frag.get("fifths", 0)}']
    if frag.get('meter'):
        sym = decor.get('meter_sym')
        out.append({'common': 'timeSignature-C', 'cut': 'timeSignature-C/'}
                   .get(sym, f'timeSignature-{frag["meter"]}'))
    if decor.get('rptstart'):
        out.append('repeat-start')
    bars = decor.get('bars') or ['single'] * len(frag['measures'])
    for events, bar in zip(frag['measures'], bars):
        for ev in events:
            dur = DURATION_NAMES[ev[1]] + '.' * ev[2]
            if ev[0] == 'r':
                out.append(f'rest-{dur}')
                continue
            out.append(f'note-{ev[0]}_{dur}')
            if ev[3] in ('i', 'm'):
                out.append('tie')
        out.append(BARLINES[bar])
    return out


def pitches_of(tokens: List[str]) -> List[str]:
    """The pitch tokens (pitch label) within semantic tokens."""
    return [m.group(1) for m in map(NOTE_RE.match, tokens) if m]
