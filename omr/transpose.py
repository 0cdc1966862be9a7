"""Transposition of score fragments (data engine augmentation).

The corpus is dominated by a few keys, so local accidentals (a raised
leading tone, a natural against the key signature) come in few spellings.
Moving a fragment to another key signature keeps the music and its labels
consistent (music21 respells every pitch by the interval between the two
major-key tonics) while the engraver prints the new key signature and the
accidentals that follow from it (:func:`omr.engrave.displayed_accidentals`).
"""
import copy
from typing import Dict, List, Optional

from .export import music21_name
from .fragments import in_window, is_change
from .labels import UnsupportedNotation, pitch_token

#: Key signatures that :func:`transpose_fragment` targets by default.
FIFTHS_RANGE = (-6, 6)


def _intervals(src_fifths: int, dst_fifths: int) -> List:
    """Intervals from the major tonic of one key signature to the other's,
    up or down within an octave, the smallest move first."""
    from music21 import interval, key, pitch
    src = key.KeySignature(src_fifths).asKey('major').tonic
    dst = key.KeySignature(dst_fifths).asKey('major').tonic
    start = pitch.Pitch(f'{src.name}4')
    out = []
    for octave in (3, 4, 5):
        itv = interval.Interval(
            noteStart=start, noteEnd=pitch.Pitch(f'{dst.name}{octave}'))
        if abs(itv.semitones) < 12:
            out.append(itv)
    return sorted(out, key=lambda i: abs(i.semitones))


def transpose_tokens(tokens: List[str], itv) -> List[str]:
    """Pitch tokens moved by a music21 interval.

    Args:
        tokens (list[str]): Pitch-mode tokens, e.g. ``['G#4', 'A4']``.
        itv (music21.interval.Interval): The interval.

    Returns:
        list[str]: Respelled tokens, e.g. ``['A#4', 'B4']`` for ``M2``.

    Raises:
        UnsupportedNotation: A pitch needs more than two accidentals.
    """
    from music21 import pitch
    return [
        pitch_token(pitch.Pitch(music21_name(t)).transpose(itv))
        for t in tokens
    ]


def transpose_fragment(frag: Dict, fifths: int) -> Optional[Dict]:
    """A copy of a fragment moved to another key signature.

    Of the two directions (up or down, within an octave) the smaller move
    whose notes all stay in their clef's crop window is used. Key changes
    (:mod:`omr.fragments` change events) move by the same interval.

    Args:
        frag (dict): A fragment of :func:`omr.fragments.cut_fragments`
            (``fifths``, ``clef``, ``measures``, ``tokens``).
        fifths (int): Target key signature (sharps > 0 > flats).

    Returns:
        dict or None: The transposed fragment, or None when every direction
        leaves the crop window or needs a triple accidental, or a key
        change would need more than 7 sharps or flats.
    """
    shift = fifths - frag['fifths']
    if any(ev[0] == 'key' and abs(ev[1] + shift) > 7
           for m in frag['measures'] for ev in m):
        return None
    clefs, clef = [], frag['clef']  # the clef of each note
    for ev in (ev for m in frag['measures'] for ev in m if ev[0] != 'r'):
        clef = ev[1] if ev[0] == 'clef' else clef
        if not is_change(ev):
            clefs.append(clef)
    for itv in _intervals(frag['fifths'], fifths):
        try:
            tokens = transpose_tokens(frag['tokens'], itv)
        except UnsupportedNotation:
            continue
        if not all(in_window(t, c) for t, c in zip(tokens, clefs)):
            continue
        out = copy.deepcopy(frag)
        out['fifths'], out['tokens'] = fifths, tokens
        events = (ev for m in out['measures'] for ev in m if ev[0] != 'r')
        moved = iter(tokens)
        for ev in events:
            if ev[0] == 'key':
                ev[1] += shift
            elif not is_change(ev):
                ev[0] = next(moved)  # note: [token, dur, dots, tie, beam]
        return out
    return None
