"""A semantic reading with a pitch model's pitches.

The pitch-mode model reads pitches better than the semantic model (it was
trained longer, on more transposed and accidental-heavy fragments), while
only the semantic model reads durations, rests, ties, clef, key and meter.
:func:`with_pitches` joins the two readings of one fragment: when the
pitch model reads exactly as many notes as the semantic reading holds,
every note symbol takes the pitch model's pitch and keeps its duration;
otherwise the semantic reading stands (the notes cannot be paired one to
one). ``omr/recognize.py --mode semantic`` reads so with the two shipped
models (model card: the held-out figures with and without).
"""
from typing import List, Optional, Sequence, Tuple

from .semantic import NOTE_RE

__all__ = ['with_pitches']


def with_pitches(
    symbols: Sequence[str],
    pitches: Sequence[str],
    scores: Optional[Sequence[float]] = None,
    pitch_scores: Optional[Sequence[float]] = None
) -> Tuple[List[str], Optional[List[float]], bool]:
    """Give a semantic reading's notes the pitches of a pitch reading.

    Args:
        symbols (Sequence[str]): Semantic symbols of one fragment
            (``note-F#5_eighth``; a note without its duration, ``note-F#5``,
            counts as a note too).
        pitches (Sequence[str]): Pitch-mode tokens of the same fragment.
        scores (Sequence[float], optional): One confidence per symbol.
        pitch_scores (Sequence[float], optional): One confidence per pitch.
            A note that takes a pitch gets the lower of the two models'
            confidences (both must be given; else ``scores`` pass as they
            are).

    Returns:
        tuple(list[str], list[float] | None, bool): The symbols, their
        confidences (None without ``scores``), and whether the pitches
        were taken (the note counts agree).

    Example:
        >>> with_pitches(['clef-G2', 'note-E4_half', 'rest-quarter',
        ...               'note-C4_quarter'], ['Eb4', 'C4'])[0]
        ['clef-G2', 'note-Eb4_half', 'rest-quarter', 'note-C4_quarter']
    """
    symbols = list(symbols)
    scores = None if scores is None else list(scores)
    notes = [(i, m) for i, m in enumerate(map(NOTE_RE.match, symbols)) if m]
    if len(notes) != len(pitches):
        return symbols, scores, False
    for k, (i, match) in enumerate(notes):
        symbols[i] = f'note-{pitches[k]}{symbols[i][match.end(1):]}'
        if scores is not None and pitch_scores is not None:
            scores[i] = min(scores[i], pitch_scores[k])
    return symbols, scores, True
