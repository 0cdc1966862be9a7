"""What kind of mistake a pitch-mode reading makes.

A wrong reading of a fragment is put in one class (first that applies):

- ``length``: a notehead missed or read twice (the token counts differ);
- ``staff_position``: some notehead on the wrong line or space (paper-mode
  tokens differ);
- ``letter_wide``: only accidentals are wrong, and for every letter name
  with a wrong note, *all* of its notes are wrong by the same change (e.g.
  every ``Db`` read ``D``): what a key signature read with one flat too few
  gives, but also naturals printed before every ``F`` of a D major fragment
  (each missed), or a single wrong note;
- ``accidental``: other accidental-only mistakes (some notes of a letter
  right, others wrong: a printed accidental, or one carried through the
  bar, missed or invented).

:func:`alteration_confusion` counts the accidental changes of the
accidental-only mistakes (``('b', '')``: a flat read as natural).
"""
from collections import Counter
from typing import Dict, List, Sequence, Tuple

from .pitch_tokens import TOKEN_RE

__all__ = ['ERROR_CLASSES', 'classify_error', 'alteration_confusion']

ERROR_CLASSES = ('correct', 'length', 'staff_position', 'letter_wide',
                 'accidental')
ACCIDENTAL_ONLY = ('letter_wide', 'accidental')  # staff positions right


def _parts(token: str) -> Tuple[str, str, str]:
    """``'C#5'`` -> ``('C', '#', '5')``; a non-pitch token is its own step."""
    match = TOKEN_RE.match(token)
    if match is None:
        return token, '', ''
    return match.group(1), match.group(2) or '', match.group(3)


def classify_error(truth: Sequence[str], pred: Sequence[str]) -> str:
    """The class (one of :data:`ERROR_CLASSES`) of a pitch-mode reading.

    Args:
        truth: Ground-truth pitch tokens, left to right.
        pred: Predicted pitch tokens.

    Returns:
        str: ``'correct'`` when equal, else the error class.

    >>> classify_error('Eb4 Db4 C4 Db4'.split(), 'Eb4 D4 C4 D4'.split())
    'letter_wide'
    >>> classify_error('F#4 F#4 G4'.split(), 'F#4 F4 G4'.split())
    'accidental'
    """
    if list(truth) == list(pred):
        return 'correct'
    if len(truth) != len(pred):
        return 'length'
    t_parts, p_parts = [_parts(t) for t in truth], [_parts(p) for p in pred]
    if any(t[0] != p[0] or t[2] != p[2] for t, p in zip(t_parts, p_parts)):
        return 'staff_position'
    changes: Dict[str, set] = {}  # letter -> {(truth acc, read acc)}
    for t, p in zip(t_parts, p_parts):
        changes.setdefault(t[0], set()).add((t[1], p[1]))
    wrong = {letter: c for letter, c in changes.items()
             if any(a != b for a, b in c)}
    if all(len(c) == 1 for c in wrong.values()):
        return 'letter_wide'
    return 'accidental'


def _confusion(truth: Sequence[str], pred: Sequence[str]) -> Counter:
    """(true accidental, read accidental) counts over differing tokens."""
    return Counter((t[1], p[1])
                   for t, p in zip(map(_parts, truth), map(_parts, pred))
                   if t[1] != p[1])


def alteration_confusion(truth: Sequence[str],
                         pred: Sequence[str]) -> Counter:
    """Counts of (true accidental, read accidental) over wrong tokens.

    Only for readings with the right staff positions (same length, same
    paper-mode tokens); other readings give an empty Counter. ``''`` is no
    accidental (natural by the key signature or printed).

    >>> alteration_confusion(['Bb4', 'A4'], ['B4', 'A4'])
    Counter({('b', ''): 1})
    """
    if classify_error(truth, pred) not in ACCIDENTAL_ONLY:
        return Counter()
    return _confusion(truth, pred)


def summarize(pairs: Sequence[Tuple[List[str], List[str]]]) -> dict:
    """Error classes and accidental confusion over (truth, pred) pairs.

    Returns:
        dict: ``fragments`` (count), ``classes`` (count per class),
        ``confusion`` (see :func:`alteration_confusion`, summed) and
        ``errors`` (the class of each pair, in order).
    """
    errors = [classify_error(truth, pred) for truth, pred in pairs]
    classes, confusion = Counter(errors), Counter()
    for (truth, pred), error in zip(pairs, errors):
        if error in ACCIDENTAL_ONLY:
            confusion.update(_confusion(truth, pred))
    return dict(fragments=len(pairs),
                classes={c: classes[c] for c in ERROR_CLASSES},
                confusion=dict(confusion.most_common()),
                errors=errors)
