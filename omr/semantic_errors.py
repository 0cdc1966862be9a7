"""What kind of mistakes a semantic reading makes, symbol by symbol.

Truth and reading (semantic symbols, :mod:`omr.semantic`) are aligned by a
minimal edit script (rapidfuzz, as the symbol error rate counts them);
every edit gets one class:

- a substituted note: ``note dot`` (same pitch and note value, the dots
  differ: ``note-C5_half.`` read ``note-C5_half``), ``note duration``
  (same pitch, another value), ``note pitch`` (same duration), ``note
  pitch+duration``;
- another substitution within a kind: ``<kind> value`` (a rest's
  duration, the count of a key signature, a meter, a clef, a barline);
- across kinds: ``<kind> -> <kind>``;
- ``missed <kind>`` and ``extra <kind>``.

The kind of a symbol is what precedes its first ``-`` (``note``, ``rest``,
``keySignature``, ``timeSignature``, ``clef``, ``barline``, ``repeat``) or
the symbol itself (``tie``).
"""
from collections import Counter
from typing import List, Sequence, Tuple

__all__ = ['symbol_kind', 'edit_classes', 'summarize_semantic']


def symbol_kind(symbol: str) -> str:
    """``'note-C5_half'`` -> ``'note'``; ``'tie'`` -> ``'tie'``."""
    return symbol.split('-', 1)[0]


def _note_parts(symbol: str) -> Tuple[str, str, int]:
    """``'note-C#5_half.'`` -> ``('C#5', 'half', 1)`` (pitch, value,
    dots)."""
    pitch, _, duration = symbol[len('note-'):].partition('_')
    value = duration.rstrip('.')
    return pitch, value, len(duration) - len(value)


def _substitution(true: str, read: str) -> str:
    kind = symbol_kind(true)
    if kind != symbol_kind(read):
        return f'{kind} -> {symbol_kind(read)}'
    if kind != 'note':
        return f'{kind} value'
    (tp, tv, td), (rp, rv, rd) = _note_parts(true), _note_parts(read)
    if tp != rp:
        return 'note pitch' if (tv, td) == (rv, rd) else (
            'note pitch+duration')
    return 'note dot' if tv == rv else 'note duration'


def edit_classes(truth: Sequence[str], read: Sequence[str]) -> List[str]:
    """The class of every edit that turns ``truth`` into ``read``.

    Args:
        truth: Ground-truth semantic symbols.
        read: Read symbols.

    Returns:
        list[str]: One class per edit (as many as the edit distance).

    >>> edit_classes(['clef-G2', 'keySignature-2', 'note-C5_half.'],
    ...              ['clef-G2', 'keySignature-0', 'note-C5_half'])
    ['keySignature value', 'note dot']
    >>> edit_classes(['note-C5_half', 'tie'], ['note-D5_half'])
    ['note pitch', 'missed tie']
    """
    from rapidfuzz.distance import Levenshtein
    classes = []
    for op in Levenshtein.editops(list(truth), list(read)):
        if op.tag == 'replace':
            classes.append(_substitution(truth[op.src_pos],
                                         read[op.dest_pos]))
        elif op.tag == 'delete':
            classes.append(f'missed {symbol_kind(truth[op.src_pos])}')
        else:
            classes.append(f'extra {symbol_kind(read[op.dest_pos])}')
    return classes


def summarize_semantic(pairs: Sequence[Tuple[List[str], List[str]]]) -> dict:
    """Edit classes over (truth, read) symbol lists.

    Returns:
        dict: ``fragments``, ``right`` (fragments read fully right),
        ``symbols`` (truth symbols), ``edits`` (their sum: the symbol
        error rate is ``edits / symbols``), ``classes`` (count per class,
        most common first) and ``errors`` (each pair's classes, in order).
    """
    errors = [edit_classes(truth, read) for truth, read in pairs]
    classes = Counter(c for edits in errors for c in edits)
    return dict(fragments=len(pairs),
                right=sum(not edits for edits in errors),
                symbols=sum(len(truth) for truth, _ in pairs),
                edits=sum(classes.values()),
                classes=dict(classes.most_common()),
                errors=errors)
