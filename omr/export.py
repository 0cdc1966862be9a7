"""Recognized tokens -> music21 score (MusicXML, MIDI) and a clef.

A pitch (or paper) model reads pitches only, so every note is written as
a quarter note (durations are not recognised); a semantic model's symbols
are written with their durations, rests, ties, meter, key, clef and
barlines (:func:`omr.semantic_stream.semantic_stream`). music21 is
imported inside the functions (``import omr`` stays light).
"""
from statistics import median
from typing import Sequence

from .pitch_tokens import TOKEN_RE, staff_position

__all__ = [
    'music21_name', 'choose_clef', 'tokens_to_stream', 'reading_stream',
    'write_musicxml', 'write_midi'
]

#: Lowest staff position written in treble clef by :func:`choose_clef`.
TREBLE_FROM = staff_position('C4')


def music21_name(token: str) -> str:
    """music21 spelling of a pitch token (flats are ``-``).

    >>> music21_name('Bb4'), music21_name('F##3'), music21_name('C5')
    ('B-4', 'F##3', 'C5')
    """
    match = TOKEN_RE.match(token)
    if match is None:
        raise ValueError(f'not a pitch token: {token!r}')
    step, accidental, octave = match.groups()
    return step + (accidental or '').replace('b', '-') + octave


def choose_clef(tokens: Sequence[str]) -> str:
    """``'treble'``, unless the median note lies below middle C (bass).

    >>> choose_clef(['C4', 'E4']), choose_clef(['G2', 'Bb3', 'D4'])
    ('treble', 'bass')
    """
    if not tokens:
        return 'treble'
    return 'treble' if median(map(staff_position, tokens)) >= TREBLE_FROM \
        else 'bass'


def tokens_to_stream(tokens: Sequence[str], clef: str = 'auto'):
    """A one-part music21 stream: the clef, then one quarter note a token.

    Args:
        tokens (Sequence[str]): Pitch tokens, e.g. ``['C#5', 'Bb4']``.
        clef (str): ``'treble'``, ``'bass'`` or ``'auto'``
            (:func:`choose_clef`). Defaults to ``'auto'``.

    Returns:
        music21.stream.Stream: The notes (no time signature: music21 adds
        4/4 measures when writing).
    """
    from music21 import clef as m21clef
    from music21 import note, stream
    if clef == 'auto':
        clef = choose_clef(tokens)
    part = stream.Stream()
    part.append(m21clef.TrebleClef() if clef == 'treble' else
                m21clef.BassClef())
    for token in tokens:
        part.append(note.Note(music21_name(token), quarterLength=1.0))
    return part


def reading_stream(tokens: Sequence[str], mode: str = 'pitch',
                   clef: str = 'auto'):
    """The music21 stream of a reading: :func:`tokens_to_stream` for
    pitch tokens, :func:`omr.semantic_stream.semantic_stream` for
    semantic symbols (``mode='semantic'``, ``clef`` unused)."""
    if mode == 'semantic':
        from .semantic_stream import semantic_stream
        return semantic_stream(tokens)
    return tokens_to_stream(tokens, clef)


def write_musicxml(tokens: Sequence[str], path: str, clef: str = 'auto',
                   mode: str = 'pitch') -> str:
    """Write the tokens as MusicXML (quarter notes unless ``mode`` is
    ``'semantic'``, see :func:`reading_stream`); return the path."""
    return str(reading_stream(tokens, mode, clef).write('musicxml', fp=path))


def write_midi(tokens: Sequence[str], path: str, clef: str = 'auto',
               mode: str = 'pitch') -> str:
    """Write the tokens as a MIDI file (quarter notes unless ``mode`` is
    ``'semantic'``, see :func:`reading_stream`); return the path."""
    return str(reading_stream(tokens, mode, clef).write('midi', fp=path))
