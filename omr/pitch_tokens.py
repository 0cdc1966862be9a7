"""Pitch tokens of optical music recognition (paper §3.4): ``'C#5'``.

Plain string helpers (no MMOCR), shared by the dictionary, the exporters
and the reading command.
"""
import re
from typing import List

__all__ = ['STEPS', 'ACCIDENTALS', 'TOKEN_RE', 'staff_position',
           'strip_accidental', 'position_names']

#: Diatonic steps in staff order within one octave.
STEPS = 'CDEFGAB'
#: Accidentals of the pitch mode, in dictionary order ('' = none).
ACCIDENTALS = ('', '#', 'b', '##', 'bb')
#: A pitch token: step, accidental, octave ('C#5', 'Bb4', 'F##4', 'E3').
TOKEN_RE = re.compile(r'^([A-G])(#{1,2}|b{1,2})?(-?\d+)$')


def staff_position(name: str) -> int:
    """Diatonic index of a step+octave name, e.g. ``'C4'`` -> 28.

    >>> staff_position('C4') - staff_position('B3')
    1
    """
    match = TOKEN_RE.match(name)
    if match is None:
        raise ValueError(f'Not a pitch token: {name!r}')
    return int(match.group(3)) * 7 + STEPS.index(match.group(1))


def strip_accidental(token: str) -> str:
    """Paper-mode token of a pitch token: ``'C#5'`` -> ``'C5'``.

    Strings that are not pitch tokens are returned unchanged.

    >>> strip_accidental('Ebb3'), strip_accidental('G4')
    ('E3', 'G4')
    """
    match = TOKEN_RE.match(token)
    if match is None:
        return token
    return match.group(1) + match.group(3)


def position_names(lowest: str = 'C2', highest: str = 'C7') -> List[str]:
    """Staff positions ``lowest``..``highest`` inclusive, low to high.

    >>> position_names('A3', 'D4')
    ['A3', 'B3', 'C4', 'D4']
    """
    low, high = staff_position(lowest), staff_position(highest)
    if low > high:
        raise ValueError(f'lowest {lowest} is above highest {highest}')
    return [f'{STEPS[p % 7]}{p // 7}' for p in range(low, high + 1)]
