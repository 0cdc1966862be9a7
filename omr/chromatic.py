"""Random chromatic alterations of score fragments (data engine augmentation).

Corpus music makes accidentals predictable: a flat before F in B-flat major
(F-flat) is so rare that a model learns to read such a note as F from the
music around it and to ignore the sign. Like random strings beside
dictionary words in the word engine, a share of notes get another
accidental (flat, natural or sharp, whichever they do not have), so the
printed sign is the only way to the label. The engraver prints what the
new pitches need (:func:`omr.engrave.displayed_accidentals`): labels stay
the pitches the image shows.
"""
import copy
import random
from typing import Dict

from .fragments import is_change
from .pitch_tokens import TOKEN_RE

#: Single accidentals a note may be moved among ('' = natural).
SINGLE = ('b', '', '#')


def alter_fragment(frag: Dict, rng: random.Random, rate: float) -> Dict:
    """A copy of a fragment with some notes' accidentals changed.

    Each note outside a tie, with no double accidental, gets one of the
    other single accidentals with probability ``rate``. Staff positions
    (so the crop window) and rhythm are unchanged.

    Args:
        frag (dict): A fragment of :func:`omr.fragments.cut_fragments`
            (``measures`` of events, ``tokens``).
        rng (random.Random): Randomness.
        rate (float): Probability of altering a note, in [0, 1].

    Returns:
        dict: The altered copy (``tokens`` follow the note events).
    """
    out = copy.deepcopy(frag)
    tokens = []
    for ev in (ev for m in out['measures'] for ev in m):
        if ev[0] == 'r' or is_change(ev):
            continue
        # a note event: [token, dur, dots, tie, beam]
        step, acc, octave = TOKEN_RE.match(ev[0]).groups()
        acc = acc or ''
        if not ev[3] and acc in SINGLE and rng.random() < rate:
            new = rng.choice([a for a in SINGLE if a != acc])
            ev[0] = f'{step}{new}{octave}'
        tokens.append(ev[0])
    out['tokens'] = tokens
    return out
