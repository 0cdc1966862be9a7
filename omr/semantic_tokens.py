"""Model tokens of semantic labels: a note's pitch and duration apart.

A semantic label (:mod:`omr.semantic`) writes a note as one symbol,
``note-F#5_eighth.``. One class per such symbol would give the CTC
softmax 180 pitches x 8 durations x 3 dot counts = 4,320 note classes,
most of them rare. The model reads a *factored* sequence instead, the
note's pitch and its duration as two tokens in a row::

    stored label   clef-G2 note-F#5_eighth. tie note-F#5_quarter rest-half
    model tokens   clef-G2 note-F#5 _eighth. tie note-F#5 _quarter rest-half

so the duration classes are shared by all pitches (CTC needs one
sequence; the two tokens are emitted at neighbouring frames of the
notehead). A numeric time signature is split the same way into its two
stacked numbers (``timeSignature-6/8`` -> ``timeSignature-6 /8``), so
any numerator up to 32 over any denominator is readable with 39 tokens
(the corpus has meters such as 26/4 and 17/16). Every other symbol (clef,
key signature, C and cut-C meters, rest with its duration, tie, barline)
is one token. :data:`VOCABULARY` lists all 292 model tokens;
:func:`split_symbols` and :func:`join_symbols` map stored labels to model
tokens and back without loss.

Plain string helpers (no MMOCR), shared by the dictionary
(:class:`omr.semantic_dictionary.SemanticDictionary`), the metrics and
the reading command.
"""
import re
from typing import List, Optional, Sequence, Tuple

from .pitch_tokens import ACCIDENTALS, position_names

__all__ = [
    'CLEF_TOKENS', 'KEY_TOKENS', 'TIME_TOKENS', 'DENOMINATOR_TOKENS',
    'DURATIONS', 'NOTE_TOKENS', 'DURATION_TOKENS', 'REST_TOKENS',
    'OTHER_TOKENS', 'VOCABULARY',
    'split_symbols', 'join_symbols'
]

#: Duration names, longest first (:data:`omr.semantic.DURATION_NAMES`).
DURATION_BASES = ('breve', 'whole', 'half', 'quarter', 'eighth',
                  'sixteenth', 'thirty_second', 'sixty_fourth')
#: Durations with 0..2 dots: ``'quarter'``, ``'quarter.'``, ...
DURATIONS = tuple(d + '.' * dots for d in DURATION_BASES
                  for dots in range(3))
#: Clefs of the score engine (treble and bass only, see
#: :data:`omr.fragments.WINDOW`).
CLEF_TOKENS = ('clef-G2', 'clef-F4')
#: Key signatures, 7 flats .. 7 sharps.
KEY_TOKENS = tuple(f'keySignature-{f}' for f in range(-7, 8))
#: The C and cut-C meters, and the numerators 1..32 of the others.
TIME_TOKENS = ('timeSignature-C', 'timeSignature-C/') + tuple(
    f'timeSignature-{n}' for n in range(1, 33))
#: Denominators of a meter, the token that follows its numerator.
DENOMINATOR_TOKENS = tuple(f'/{2**k}' for k in range(7))
#: Note pitches: the pitch-mode dictionary's 180 spelled pitches C2..C7.
NOTE_TOKENS = tuple(f'note-{p[0]}{acc}{p[1:]}'
                    for p in position_names('C2', 'C7') for acc in ACCIDENTALS)
#: A note's duration, the token that follows its pitch.
DURATION_TOKENS = tuple(f'_{d}' for d in DURATIONS)
#: Rests, one token each (a rest's glyph is its duration).
REST_TOKENS = tuple(f'rest-{d}' for d in DURATIONS)
#: Ties and bar symbols.
OTHER_TOKENS = ('tie', 'barline', 'barline-double', 'barline-end',
                'repeat-start', 'repeat-end')
#: Every model token, in dictionary order.
VOCABULARY = (CLEF_TOKENS + KEY_TOKENS + TIME_TOKENS + DENOMINATOR_TOKENS +
              NOTE_TOKENS + DURATION_TOKENS + REST_TOKENS + OTHER_TOKENS)

#: A stored symbol of two tokens: a note (pitch, ``_duration``) or a
#: numeric meter (numerator, ``/denominator``).
SPLIT_RE = re.compile(r'^(note-[^_\s]+)(_\S+)$|^(timeSignature-\d+)(/\d+)$')
#: A first token and the prefix of the second one it joins with.
JOIN_RE = re.compile(r'^note-[^_]+$|^timeSignature-\d+$')


def split_symbols(symbols: Sequence[str]) -> List[str]:
    """Model tokens of stored semantic symbols (notes and numeric meters
    split in two).

    Args:
        symbols (Sequence[str]): Semantic symbols as stored, e.g.
            ``['clef-G2', 'note-F#5_eighth.']``.

    Returns:
        list[str]: e.g. ``['clef-G2', 'note-F#5', '_eighth.']``.

    Example:
        >>> split_symbols(['timeSignature-6/8', 'note-C4_half.', 'tie'])
        ['timeSignature-6', '/8', 'note-C4', '_half.', 'tie']
    """
    tokens = []
    for symbol in symbols:
        match = SPLIT_RE.match(symbol)
        tokens.extend([g for g in match.groups() if g] if match else
                      (symbol, ))
    return tokens


def join_symbols(
    tokens: Sequence[str],
    scores: Optional[Sequence[float]] = None
) -> Tuple[List[str], Optional[List[float]]]:
    """Stored semantic symbols of model tokens (the inverse of
    :func:`split_symbols`), with one confidence per symbol.

    A ``note-<pitch>`` token followed by a ``_<duration>`` token becomes
    ``note-<pitch>_<duration>`` whose confidence is the lower of the two;
    ``timeSignature-<n>`` followed by ``/<d>`` becomes
    ``timeSignature-<n>/<d>``. A model's reading may break the pairing: a
    note without a duration stays ``note-<pitch>`` and a duration without
    a note stays ``_<duration>`` (both count as errors against a stored
    label; the pitch of the first is still found by
    :func:`omr.semantic.pitches_of`). Symbols already joined pass
    unchanged, so joining is idempotent.

    Args:
        tokens (Sequence[str]): Model tokens.
        scores (Sequence[float], optional): One confidence per token.
            Defaults to None.

    Returns:
        tuple(list[str], list[float] | None): The symbols, and their
        confidences (None without ``scores``).

    Example:
        >>> join_symbols(['note-C4', '_half', 'tie', 'note-C4'],
        ...              [0.9, 0.8, 1.0, 0.7])
        (['note-C4_half', 'tie', 'note-C4'], [0.8, 1.0, 0.7])
    """
    symbols: List[str] = []
    confidences: List[float] = []
    i = 0
    while i < len(tokens):
        token, width = tokens[i], 1
        if JOIN_RE.match(token) and i + 1 < len(tokens) and \
                tokens[i + 1][:1] == ('_' if token[0] == 'n' else '/'):
            token, width = token + tokens[i + 1], 2
        symbols.append(token)
        if scores is not None:
            confidences.append(min(scores[i:i + width]))
        i += width
    return symbols, confidences if scores is not None else None
