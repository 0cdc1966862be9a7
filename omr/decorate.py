"""Symbols real fragments carry beyond notes, drawn at random.

:func:`decorate` adds a ``decor`` entry to a fragment (see
:mod:`omr.fragments`) that every engraver of :mod:`omr.engravers` draws
the same way:

- ``meter_sym``: ``'common'`` (C) for 4/4 or ``'cut'`` (C with a stroke)
  for 2/2, half of the time, else None (digits);
- ``bars``: the barline ending each measure: ``'single'``, ``'double'``,
  ``'rptend'`` (repeat sign) or ``'end'`` (final), and ``rptstart``: the
  first measure opens with a start-repeat sign;
- ``slurs``: ``(first, last)`` note indices (noteheads counted from 0,
  rests not counted), never overlapping;
- ``marks``: ``(note index, kind, text, place)``: dynamics (``'dyn'``:
  p, mf, sfz, ...) and words (``'text'``: dolce, cresc., ...) above or
  below the staff.

None of these is a pitch token; the semantic labels
(:mod:`omr.semantic`) keep the meter symbol and the barlines.
"""
import random
from typing import Dict, List

__all__ = ['decorate', 'DYNAMICS', 'WORDS']

DYNAMICS = ('pp', 'p', 'mp', 'mf', 'f', 'ff', 'sf', 'sfz', 'fp')
WORDS = ('dolce', 'cresc.', 'dim.', 'legato', 'rit.', 'a tempo', 'espr.',
         'poco a poco', 'Allegro', 'Andante', 'sempre', 'tr')
BARS = ('single', 'double', 'rptend', 'end')


def decorate(frag: Dict, rng: random.Random, rate: float = 1.0) -> Dict:
    """A copy of ``frag`` with a random ``decor`` (see module docstring).

    Args:
        frag (dict): A fragment of :mod:`omr.fragments`.
        rng (random.Random): Source of every choice (deterministic).
        rate (float): Scales how often symbols are added; 0 gives plain
            single barlines and digit meters. Defaults to 1.

    Returns:
        dict: The fragment with ``decor``; the pitch tokens are unchanged.
    """
    n_notes = len(frag['tokens'])
    n_bars = len(frag['measures'])
    meter_sym = None
    if rng.random() < 0.5 * rate:
        meter_sym = {'4/4': 'common', '2/2': 'cut'}.get(frag.get('meter'))
    bars = ['single'] * n_bars
    for i in range(n_bars - 1):
        if rng.random() < 0.15 * rate:
            bars[i] = rng.choice(BARS[1:3])
    if rng.random() < 0.3 * rate:
        bars[-1] = rng.choice(BARS[1:])
    slurs: List[tuple] = []
    start = 0
    while start < n_notes - 1:
        if rng.random() < 0.25 * rate:
            end = min(n_notes - 1, start + rng.randint(1, 4))
            slurs.append((start, end))
            start = end + 1
        else:
            start += 1
    marks = []
    for i in range(n_notes):
        if rng.random() < 0.08 * rate:
            marks.append((i, 'dyn', rng.choice(DYNAMICS),
                          'below' if rng.random() < 0.8 else 'above'))
        elif rng.random() < 0.05 * rate:
            marks.append((i, 'text', rng.choice(WORDS),
                          'above' if rng.random() < 0.5 else 'below'))
    out = dict(frag)
    out['decor'] = dict(meter_sym=meter_sym, bars=bars,
                        rptstart=rng.random() < 0.05 * rate, slurs=slurs,
                        marks=marks)
    return out
