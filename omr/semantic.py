"""Semantic labels of a fragment: clef, key, meter, notes with durations,
rests, ties and barlines (a PrIMuS-style vocabulary).

Stored beside the pitch label by ``tools/data/omr_synth.py --engine
diverse`` (LMDB key ``semantic-%09d``) for models that read rhythm too.
Tokens, left to right as engraved::

    clef-G2 | clef-F4
    keySignature-<fifths>          e.g. keySignature-2 (D major), -3
    timeSignature-3/4 | timeSignature-C | timeSignature-C/
    repeat-start
    note-<pitch>_<duration><dots>  e.g. note-F#5_eighth, note-C4_half.
    tie                            after a note tied to the next one
    rest-<duration><dots>          e.g. rest-quarter, rest-whole
    barline | barline-double | barline-end | repeat-end

A mid-fragment clef, key or time change (:mod:`omr.fragments` change
events) is its clef, key or time symbol where it is drawn: a key or time
change after the barline that ends the measure before it.

Durations: breve, whole, half, quarter, eighth, sixteenth, thirty_second,
sixty_fourth; each dot adds ``'.'``. Pitches are pitch-mode tokens
(:mod:`omr.labels`), so the pitch label is the semantic label's notes.
:func:`fragment_of` turns tokens back into a fragment (to engrave what a
model read); models read the tokens with a note's pitch and duration apart
(:mod:`omr.semantic_tokens`).
"""
import re
from typing import Dict, List, Optional, Sequence

__all__ = ['semantic_tokens', 'fragment_of', 'pitches_of', 'DURATION_NAMES']

#: MEI ``@dur`` -> duration name.
DURATION_NAMES = {'breve': 'breve', '1': 'whole', '2': 'half',
                  '4': 'quarter', '8': 'eighth', '16': 'sixteenth',
                  '32': 'thirty_second', '64': 'sixty_fourth'}
CLEFS = {'treble': 'clef-G2', 'bass': 'clef-F4'}
BARLINES = {'single': 'barline', 'double': 'barline-double',
            'end': 'barline-end', 'rptend': 'repeat-end'}
#: A note symbol, joined (``note-C4_half``) or not (``note-C4``).
NOTE_RE = re.compile(r'note-([A-G](?:##|bb|#|b)?\d)(?:_|$)')
#: A duration with its dots: ``'quarter..'`` -> ``('quarter', '..')``.
DURATION_RE = re.compile(r'^([a-z_]+?)(\.{0,2})$')
MEI_DURATIONS = {name: mei for mei, name in DURATION_NAMES.items()}
CLEF_NAMES = {token: name for name, token in CLEFS.items()}
BAR_NAMES = {token: name for name, token in BARLINES.items()}
METER_SYMBOLS = {'timeSignature-C': ('4/4', 'common'),
                 'timeSignature-C/': ('2/2', 'cut')}


def _meter_symbol(meter: str, sym: Optional[str] = None) -> str:
    return {'common': 'timeSignature-C', 'cut': 'timeSignature-C/'}.get(
        sym, f'timeSignature-{meter}')


#: Change event (``['clef', 'bass']``, ``['key', 2]``, ``['time', '3/4'
#: (, 'common')]``) -> its symbol.
CHANGE_SYMBOLS = {
    'clef': lambda ev: CLEFS[ev[1]],
    'key': lambda ev: f'keySignature-{ev[1]}',
    'time': lambda ev: _meter_symbol(ev[1], ev[2] if len(ev) > 2 else None)
}


def semantic_tokens(frag: Dict) -> List[str]:
    """Semantic tokens of a fragment (with or without ``decor``).

    Args:
        frag (dict): A fragment of :mod:`omr.fragments`, optionally
            decorated (:func:`omr.decorate.decorate`).

    Returns:
        list[str]: The tokens (see module docstring).

    Example:
        >>> frag = dict(clef='treble', fifths=1, meter='3/4', measures=[
        ...     [['G4', '4', 0, 'i', ''], ['G4', '8', 1, 't', ''],
        ...      ['r', '16', 0]]], tokens=['G4', 'G4'])
        >>> ' '.join(semantic_tokens(frag))
        'clef-G2 keySignature-1 timeSignature-3/4 note-G4_quarter tie \
note-G4_eighth. rest-sixteenth barline'
    """
    decor = frag.get('decor') or {}
    out = [CLEFS[frag['clef']], f'keySignature-{frag.get("fifths", 0)}']
    if frag.get('meter'):
        out.append(_meter_symbol(frag['meter'], decor.get('meter_sym')))
    if decor.get('rptstart'):
        out.append('repeat-start')
    bars = decor.get('bars') or ['single'] * len(frag['measures'])
    for events, bar in zip(frag['measures'], bars):
        for ev in events:
            if ev[0] in CHANGE_SYMBOLS:
                out.append(CHANGE_SYMBOLS[ev[0]](ev))
                continue
            dur = DURATION_NAMES[ev[1]] + '.' * ev[2]
            if ev[0] == 'r':
                out.append(f'rest-{dur}')
                continue
            out.append(f'note-{ev[0]}_{dur}')
            if ev[3] in ('i', 'm'):
                out.append('tie')
        out.append(BARLINES[bar])
    return out


def _event(symbol: str, strict: bool) -> Optional[list]:
    """The fragment event of a note or rest symbol (None: not one)."""
    kind, _, rest = symbol.partition('-')
    pitch, sep, duration = rest.partition('_')
    if kind == 'rest':
        pitch, duration = 'r', rest
    elif kind != 'note' or not NOTE_RE.match(symbol):
        return None
    elif not sep and not strict:  # a model read the pitch only
        duration = 'quarter'
    match = DURATION_RE.match(duration)
    if match is None or match.group(1) not in MEI_DURATIONS:
        return None
    mei, dots = MEI_DURATIONS[match.group(1)], len(match.group(2))
    return [pitch, mei, dots] if pitch == 'r' else [pitch, mei, dots, '', '']


def fragment_of(tokens: Sequence[str], strict: bool = False) -> Dict:
    """The fragment that :func:`semantic_tokens` labels with ``tokens``.

    The inverse of :func:`semantic_tokens` for its output:
    ``semantic_tokens(fragment_of(t)) == t``. Beams, slurs and marks are
    not in the labels (the fragment has none). A model's reading may be
    incomplete, so by default a missing clef is treble, a missing key
    signature C major, a note without duration a quarter, measures after
    the last barline end with a single barline, and other symbols are
    skipped. A clef, key or time symbol after the first note, rest or
    barline is a change event of the measure it is in.

    Args:
        tokens (Sequence[str]): Semantic symbols (stored form).
        strict (bool): Raise ``ValueError`` on a symbol that is not part
            of the vocabulary instead of skipping it. Defaults to False.

    Returns:
        dict: ``clef``, ``fifths``, ``meter``, ``measures``, ``tokens``
        (pitch label) and ``decor`` (:mod:`omr.decorate`).

    Example:
        >>> frag = fragment_of(['clef-F4', 'keySignature--1', 'note-Bb2_half',
        ...                     'tie', 'barline', 'note-Bb2_quarter',
        ...                     'barline-end'])
        >>> frag['clef'], frag['fifths'], frag['measures']
        ('bass', -1, [[['Bb2', '2', 0, 'i', '']], [['Bb2', '4', 0, 't', '']]])
    """
    frag = dict(clef='treble', fifths=0, meter=None, tokens=[])
    decor = dict(meter_sym=None, bars=[], rptstart=False, slurs=[],
                 marks=[])
    measures: List[list] = [[]]
    last_note, tied = None, False
    for symbol in tokens:
        event = _event(symbol, strict)
        if event is not None:
            if event[0] != 'r':
                event[3] = 't' if tied else ''
                frag['tokens'].append(event[0])
                last_note = event
            else:
                last_note = None
            tied = False
            measures[-1].append(event)
        elif symbol == 'tie':
            if last_note is not None:
                last_note[3] = 'm' if last_note[3] == 't' else 'i'
                tied = True
        elif symbol in BAR_NAMES:
            decor['bars'].append(BAR_NAMES[symbol])
            measures.append([])
        elif _context(symbol) is not None:
            kind, value, sym = _context(symbol)
            if measures[-1] or decor['bars']:  # a change
                measures[-1].append([kind, value] + ([sym] if sym else []))
            elif kind == 'time':
                frag['meter'], decor['meter_sym'] = value, sym
            else:
                frag['fifths' if kind == 'key' else kind] = value
        elif symbol == 'repeat-start':
            decor['rptstart'] = True
        elif strict:
            raise ValueError(f'not a semantic symbol: {symbol!r}')
    if measures[-1] or not decor['bars']:
        decor['bars'].append('single')
    else:
        measures.pop()
    frag.update(measures=measures, decor=decor)
    return frag


def _context(symbol: str) -> Optional[tuple]:
    """``(kind, value, meter symbol)`` of a clef, key or time symbol:
    ``('clef', 'bass', None)``, ``('key', 2, None)``, ``('time', '4/4',
    'common')``; None for other symbols."""
    if symbol in CLEF_NAMES:
        return 'clef', CLEF_NAMES[symbol], None
    if symbol.startswith('keySignature-') and re.fullmatch(
            r'-?[0-7]', symbol[13:]):
        return 'key', int(symbol[13:]), None
    if symbol in METER_SYMBOLS:
        return ('time', ) + METER_SYMBOLS[symbol]
    if re.fullmatch(r'timeSignature-\d+/\d+', symbol):
        return 'time', symbol[14:], None
    return None


def pitches_of(tokens: List[str]) -> List[str]:
    """The pitch tokens (pitch label) within semantic tokens.

    Works on stored symbols and on model tokens alike (a note's pitch with
    or without its duration, :mod:`omr.semantic_tokens`).

    >>> pitches_of(['clef-G2', 'note-F#5_eighth', 'rest-half', 'note-C4'])
    ['F#5', 'C4']
    """
    return [m.group(1) for m in map(NOTE_RE.match, tokens) if m]
