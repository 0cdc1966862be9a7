"""music21 notes -> pitch tokens (the label definition, paper §3.4).

One token per printed notehead, left to right. Tokens are spelled pitches
in scientific notation with ``#``/``b`` (pitch mode, ``'C#5'``) or the bare
staff position (paper mode, ``'C5'``).

The pitch of a music21 note already has the key signature and the
accidentals of the measure applied when the music comes from a file:
music21's parsers resolve them (an ABC ``c`` under ``K:A`` becomes ``C#5``,
MusicXML/Humdrum spell absolute pitches), so the token is simply the
spelled ``pitch`` (``step`` + accidental + ``octave``). The octave is
music21's ``pitch.octave``, i.e. the written staff position: ``Cb4`` and
``B#3`` keep octave 4 and 3.
"""
from typing import Iterable, List

from .pitch_tokens import strip_accidental

#: music21 accidental name -> token suffix.
ACCIDENTAL_SUFFIX = {
    None: '',
    'natural': '',
    'sharp': '#',
    'flat': 'b',
    'double-sharp': '##',
    'double-flat': 'bb',
}


class UnsupportedNotation(ValueError):
    """An element that rules a fragment out; ``reason`` is a short key.

    Reasons: ``'chord'``, ``'grace'``, ``'cue'``, ``'unpitched'``,
    ``'accidental'`` (microtonal / triple), ``'duration'`` (a duration that
    has no notation).
    """

    def __init__(self, reason: str, detail: str = '') -> None:
        super().__init__(f'{reason}: {detail}' if detail else reason)
        self.reason = reason


def pitch_token(pitch, mode: str = 'pitch') -> str:
    """Token of a :class:`music21.pitch.Pitch`.

    Args:
        pitch (music21.pitch.Pitch): A pitch with an octave.
        mode (str): ``'pitch'`` or ``'paper'``. Defaults to ``'pitch'``.

    Returns:
        str: e.g. ``'C#5'``, ``'Bb4'``, ``'F##4'`` (pitch mode) or ``'C5'``.

    Example:
        >>> from music21 import pitch
        >>> pitch_token(pitch.Pitch('C-4')), pitch_token(pitch.Pitch('B#3'))
        ('Cb4', 'B#3')
    """
    acc = pitch.accidental.name if pitch.accidental is not None else None
    if acc not in ACCIDENTAL_SUFFIX:
        raise UnsupportedNotation('accidental', f'{pitch.nameWithOctave}')
    if pitch.octave is None:
        raise UnsupportedNotation('unpitched', f'{pitch.name} has no octave')
    token = f'{pitch.step}{ACCIDENTAL_SUFFIX[acc]}{pitch.octave}'
    return strip_accidental(token) if mode == 'paper' else token


def notehead_count(note) -> int:
    """Printed noteheads of one music21 note.

    A note with a *complex* duration (e.g. 1.25 quarters) is engraved as
    tied noteheads, one per duration component.
    """
    dur = note.duration
    if dur.isGrace or dur.type == 'zero':
        raise UnsupportedNotation('grace', note.nameWithOctave)
    if dur.type == 'inexpressible':
        raise UnsupportedNotation('duration', f'{dur.quarterLength}')
    if dur.type == 'complex':
        return len(dur.components)
    return 1


def check_note(element) -> None:
    """Raise :class:`UnsupportedNotation` unless ``element`` is a plain
    (single-notehead-pitch, full-size, non-grace) note or a rest."""
    from music21 import chord, note
    if isinstance(element, chord.Chord):
        raise UnsupportedNotation('chord', repr(element))
    if isinstance(element, note.Unpitched):
        raise UnsupportedNotation('unpitched', repr(element))
    if element.duration.isGrace:
        raise UnsupportedNotation('grace', repr(element))
    if getattr(element.style, 'noteSize', None) == 'cue':
        raise UnsupportedNotation('cue', repr(element))


def carry_measure_accidentals(part) -> int:
    """Make accidentals last to the end of the measure (in place).

    music21's ABC parser applies the key signature to every note but does
    not carry an explicit accidental to later notes of the same bar
    (``K:A`` ``=c c`` gives ``C5 C#5``; ABC 2.1 and common practice mean
    ``C5 C5``), nor keeps the pitch of a note tied over a barline. This
    fixes both: within a measure, a note without a displayed accidental
    takes the last displayed one on its staff position (step + octave);
    a tie continuation takes the pitch of the note it continues. Use it on
    parts parsed from ABC before :func:`note_tokens`.

    Args:
        part (music21.stream.Stream): A monophonic part with measures.

    Returns:
        int: Number of notes whose pitch changed.
    """
    from music21 import note as m21note
    changed = 0
    previous = None
    for measure in part.getElementsByClass('Measure'):
        carried = {}
        for n in measure.recurse().notes:
            if not isinstance(n, m21note.Note):
                previous = None
                continue
            acc = n.pitch.accidental
            place = (n.pitch.step, n.pitch.octave)
            if (n.tie is not None and n.tie.type in ('stop', 'continue')
                    and previous is not None):
                target = previous.pitch
            elif acc is not None and acc.displayStatus:
                target = None
                carried[place] = acc.alter
            else:
                target = None
                if place in carried and carried[place] != n.pitch.alter:
                    n.pitch.accidental = carried[place]
                    changed += 1
            if target is not None and target.name != n.pitch.name:
                n.pitch.name = target.name
                if n.pitch.accidental is not None:
                    n.pitch.accidental.displayStatus = False
                changed += 1
            previous = n
    return changed


def note_tokens(notes: Iterable, mode: str = 'pitch') -> List[str]:
    """Tokens of a sequence of music21 notes and rests (e.g. a monophonic
    part's ``recurse().notesAndRests``).

    Rests produce nothing; a tied note gives one token per notehead; other
    objects (clefs, key/time signatures, barlines) must not be passed or
    are ignored if they are not notes/rests.

    Args:
        notes (iterable): music21 ``Note``/``Rest`` objects in order.
        mode (str): ``'pitch'`` or ``'paper'``. Defaults to ``'pitch'``.

    Returns:
        list[str]: One token per printed notehead.

    Raises:
        UnsupportedNotation: on a chord, grace note, cue note, unpitched
            note, microtonal accidental or a duration without notation.

    Example:
        >>> from music21 import converter
        >>> s = converter.parse('X:1\\nL:1/4\\nK:A\\nc d e2-|e', format='abc')
        >>> note_tokens(s.recurse().notesAndRests)
        ['C#5', 'D5', 'E5', 'E5']
    """
    from music21 import note as m21note
    tokens = []
    for element in notes:
        if isinstance(element, m21note.Rest):
            continue
        if not isinstance(element, m21note.GeneralNote):
            continue
        check_note(element)
        token = pitch_token(element.pitch, mode)
        tokens.extend([token] * notehead_count(element))
    return tokens
