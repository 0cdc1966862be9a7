"""Semantic symbols <-> music21 streams (MusicXML, MIDI, re-engraving).

:func:`semantic_stream` writes what a semantic model read with its real
durations, rests, ties, meter, key signature, clef and barlines;
:func:`stream_semantic` reads the symbols back from a one-staff stream
(e.g. a MusicXML file parsed by music21), so the two round-trip.
music21 is imported inside the functions (``import omr`` stays light).
"""
from typing import List, Sequence

from .export import music21_name
from .labels import pitch_token
from .semantic import DURATION_NAMES, fragment_of

__all__ = ['semantic_stream', 'stream_semantic']

#: MEI ``@dur`` (fragments) -> music21 duration type.
M21_TYPES = {'breve': 'breve', '1': 'whole', '2': 'half', '4': 'quarter',
             '8': 'eighth', '16': '16th', '32': '32nd', '64': '64th'}
#: music21 duration type -> semantic duration name.
DURATION_OF_TYPE = {t: DURATION_NAMES[mei] for mei, t in M21_TYPES.items()}
TIES = {'i': 'start', 'm': 'continue', 't': 'stop'}
CLEF_TOKENS = {('G', 2): 'clef-G2', ('F', 4): 'clef-F4'}


def _barline(kind: str):
    """music21 right barline of a fragment's bar kind (None: single)."""
    from music21 import bar
    if kind == 'rptend':
        return bar.Repeat(direction='end')
    return {'double': bar.Barline('double'),
            'end': bar.Barline('final')}.get(kind)


def semantic_stream(symbols: Sequence[str]):
    """A one-part music21 stream of semantic symbols, measure by measure.

    Args:
        symbols (Sequence[str]): Semantic symbols (:mod:`omr.semantic`),
            e.g. a semantic model's reading joined by
            :func:`omr.semantic_tokens.join_symbols`. An incomplete reading
            is completed as :func:`omr.semantic.fragment_of` does.

    Returns:
        music21.stream.Part: Measures as the barlines divide them (a
        measure may be incomplete: fragments start and end anywhere), the
        clef, key and time signature in the first one, changes of them
        where the symbols have them.

    Example:
        >>> part = semantic_stream(['clef-F4', 'keySignature--2',
        ...     'timeSignature-3/4', 'note-Bb2_half.', 'barline'])
        >>> [str(n.pitch) for n in part.recurse().notes]
        ['B-2']
    """
    from music21 import bar, clef, duration, meter, note, stream, tie
    from music21 import key as m21key
    frag = fragment_of(symbols)
    decor = frag['decor']
    part = stream.Part()
    for number, events in enumerate(frag['measures'], start=1):
        measure = stream.Measure(number=number)
        if number == 1:
            events = [['clef', frag['clef']], ['key', frag['fifths']]] + (
                [['time', frag['meter'], decor['meter_sym']]]
                if frag['meter'] else []) + events
            if decor['rptstart']:
                measure.leftBarline = bar.Repeat(direction='start')
        for ev in events:
            if ev[0] == 'clef':
                measure.append(clef.TrebleClef() if ev[1] == 'treble'
                               else clef.BassClef())
                continue
            if ev[0] == 'key':
                measure.append(m21key.KeySignature(ev[1]))
                continue
            if ev[0] == 'time':
                sig = meter.TimeSignature(ev[1])
                if len(ev) > 2 and ev[2]:
                    sig.symbol = ev[2]
                measure.append(sig)
                continue
            length = duration.Duration(type=M21_TYPES[ev[1]], dots=ev[2])
            if ev[0] == 'r':
                # as read: a whole-bar rest is not redrawn as a whole rest
                measure.append(note.Rest(duration=length, fullMeasure=False))
                continue
            n = note.Note(music21_name(ev[0]), duration=length)
            if ev[3]:
                n.tie = tie.Tie(TIES[ev[3]])
            measure.append(n)
        barline = _barline(decor['bars'][number - 1])
        if barline is not None:
            measure.rightBarline = barline
        part.append(measure)
    _fit_meters(part)
    return part


def _meter_of(quarters: float) -> str:
    """Time signature of a measure length in quarter notes: ``6.0`` ->
    ``'6/4'``, ``0.75`` -> ``'3/16'`` (durations here are binary)."""
    unit = 4
    while quarters * unit / 4 != int(quarters * unit / 4):
        unit *= 2
    return f'{int(quarters * unit / 4)}/{unit}'


def _fit_meters(part) -> None:
    """Hidden time signatures where a measure is longer than its meter.

    A fragment starts and ends anywhere and often shows no time signature;
    MusicXML writers and readers (music21's export, MuseScore) re-bar a
    measure longer than its meter (4/4 when none is written), splitting
    its notes into tied ones: the engraving would show noteheads the
    symbols do not have. A hidden (``print-object="no"``) time signature
    of the measure's own length keeps it as read; the meter is restored,
    hidden, in the next measure that fits it. Shorter measures are left
    as they are (writers fill them with hidden rests).
    """
    from music21 import meter
    bar = 4.0  # the meter's length in quarter notes; 4/4 when none
    current = bar  # the length the meter in force (written or hidden) sets
    for measure in part.getElementsByClass('Measure'):
        written = measure.getElementsByClass('TimeSignature')
        if written:
            bar = current = written[0].barDuration.quarterLength
        length = sum(e.quarterLength for e in measure.notesAndRests)
        need = max(length, bar)
        if length == 0 or need == current or written:
            continue  # fits, or a written meter (overfilled: as it is)
        sig = meter.TimeSignature(_meter_of(need))
        sig.style.hideObjectOnPrint = True
        measure.insert(0, sig)
        current = need


def _duration(element) -> str:
    """Semantic duration (name and dots) of a music21 note or rest."""
    dur = element.duration
    if dur.type not in DURATION_OF_TYPE:
        raise ValueError(f'duration {dur.type!r} has no semantic symbol')
    return DURATION_OF_TYPE[dur.type] + '.' * dur.dots


def _bar_symbol(measure) -> str:
    """Semantic barline symbol ending a music21 measure."""
    from music21 import bar
    right = measure.rightBarline
    if isinstance(right, bar.Repeat):
        return 'repeat-end'
    return {'double': 'barline-double', 'final': 'barline-end'}.get(
        getattr(right, 'type', None), 'barline')


def stream_semantic(score) -> List[str]:
    """Semantic symbols of a one-staff music21 stream with measures (the
    first part of a score).

    Args:
        score (music21.stream.Stream): e.g. ``converter.parse(musicxml)``.

    Returns:
        list[str]: Clef, key signature, meter (when there is one), then
        the notes and rests with ties and a barline per measure, and the
        clef, key and time changes where they are. Hidden
        rests are not symbols (music21 writes incomplete measures filled
        with them).

    Raises:
        ValueError: On a clef, chord or duration the vocabulary lacks.
    """
    from music21 import bar, note
    parts = getattr(score, 'parts', None)
    part = parts[0] if parts else score
    measures = list(part.getElementsByClass('Measure'))
    head = dict(clef='clef-G2', key='keySignature-0', time=None)
    out: List[str] = []
    for measure in measures:
        for element in measure.recurse():
            context = _context_symbol(element)
            if context is not None:
                kind, symbol = context
                if not out:
                    head[kind] = symbol  # before the first note or rest
                elif symbol != head[kind]:
                    out.append(symbol)
                head[kind] = symbol
                continue
            if not isinstance(element, note.GeneralNote) or \
                    element.style.hideObjectOnPrint:
                continue  # music21 fills incomplete measures so
            if not out:
                out.extend(s for s in head.values() if s)
                if isinstance(measures[0].leftBarline, bar.Repeat):
                    out.append('repeat-start')
            if isinstance(element, note.Rest):
                out.append(f'rest-{_duration(element)}')
                continue
            if not isinstance(element, note.Note):
                raise ValueError(f'{element!r} has no semantic symbol')
            out.append(f'note-{pitch_token(element.pitch)}_'
                       f'{_duration(element)}')
            if element.tie is not None and element.tie.type in ('start',
                                                                'continue'):
                out.append('tie')
        if out:
            out.append(_bar_symbol(measure))
    return out


def _context_symbol(element):
    """``(kind, symbol)`` of a music21 clef, key or time signature (None
    for other elements and for hidden time signatures, which set a
    measure's length: :func:`semantic_stream`).

    Raises:
        ValueError: On a clef the vocabulary lacks.
    """
    from music21 import clef, meter
    from music21 import key as m21key
    if isinstance(element, clef.Clef):
        place = (element.sign, element.line)
        if place not in CLEF_TOKENS:
            raise ValueError(f'clef {place} has no semantic symbol')
        return 'clef', CLEF_TOKENS[place]
    if isinstance(element, m21key.KeySignature):
        return 'key', f'keySignature-{element.sharps}'
    if isinstance(element, meter.TimeSignature):
        if element.style.hideObjectOnPrint:
            return None  # sets a measure's length, is no symbol
        return 'time', {'common': 'timeSignature-C',
                        'cut': 'timeSignature-C/'}.get(
                            element.symbol,
                            f'timeSignature-{element.ratioString}')
    return None
