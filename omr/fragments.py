"""Score fragments from music21's bundled corpus (paper §3.4 data engine).

A corpus file is parsed once into a compact, JSON-serialisable *item list*
per melodic part (cached under ``cache_dir``); fragments of 3-20 noteheads
are then cut from the item lists deterministically per seed. Items::

    ['bar', number]                    start of a measure
    ['clef', 'treble'|'bass'|other]    clef (other ones are never used)
    ['key', fifths]                    key signature (sharps > 0 > flats)
    ['time', '3/4' or None]            time signature
    ['n', token, dur, dots, tie, beam] one notehead: pitch token (labels),
                                       MEI duration ('4', '8', ...), dots,
                                       tie 'i'|'m'|'t'|'', beam
                                       'start'|'continue'|'stop'|''
    ['r', dur, dots]                   a rest (no token)
    ['x', reason]                      something that rules out any
                                       fragment containing it (chord,
                                       grace, cue, polyphonic measure, ...)

A fragment's ``measures`` hold note events ``[token, dur, dots, tie,
beam]``, rest events ``['r', dur, dots]`` and, when cut with
``changes=True``, the corpus's *context changes* where they occur:
``['clef', 'treble'|'bass']`` (anywhere in a measure), ``['key', fifths]``
and ``['time', '3/4']`` (at the start of a measure, before its notes).
``clef``, ``fifths`` and ``meter`` are the context at the first note.

Train/validation are split by corpus file (:func:`split_of`), so no piece
is in both.
"""
import hashlib
import json
import os
import os.path as osp
import random
import re
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

from .labels import (UnsupportedNotation, carry_measure_accidentals,
                     check_note, pitch_token)
from .pitch_tokens import staff_position

#: Cache format version (bump when the item format changes).
CACHE_VERSION = 1
#: Corpus file types that hold notes (roman-numeral analyses excluded).
SCORE_EXTS = ('.krn', '.abc', '.mxl', '.xml', '.musicxml')
#: music21 duration type -> MEI ``@dur``.
MEI_DUR = {'breve': 'breve', 'whole': '1', 'half': '2', 'quarter': '4',
           'eighth': '8', '16th': '16', '32nd': '32', '64th': '64'}
TIE = {'start': 'i', 'continue': 'm', 'stop': 't'}
#: Noteheads that fit the crop window (staff +- 3 spaces, <= 2 ledger
#: lines), as staff positions: treble G3..D6, bass C2..F4.
WINDOW = {'treble': ('G3', 'D6'), 'bass': ('C2', 'F4')}
#: Kinds of the context-change events of a fragment's measures.
CHANGES = ('clef', 'key', 'time')


def corpus_root() -> str:
    """Directory of music21's bundled corpus."""
    from music21 import corpus
    return str(corpus.corpora.CoreCorpus().manualCoreCorpusPath or
               osp.dirname(corpus.__file__))


def corpus_files(root: Optional[str] = None) -> List[str]:
    """Score files of the corpus, relative to ``root``, sorted."""
    root = root or corpus_root()
    out = []
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith(SCORE_EXTS) and not name.startswith('.'):
                out.append(osp.relpath(osp.join(dirpath, name), root))
    return sorted(out)


def file_hash(relpath: str) -> int:
    """Stable hash of a corpus path (independent of PYTHONHASHSEED)."""
    return int(hashlib.sha1(relpath.encode()).hexdigest()[:12], 16)


def split_of(relpath: str, val_permille: int = 50) -> str:
    """``'val'`` for ~``val_permille``/1000 of the files, else ``'train'``."""
    return 'val' if file_hash(relpath) % 1000 < val_permille else 'train'


def _clef_name(c) -> str:
    if c.octaveChange == 0 and (c.sign, c.line) == ('G', 2):
        return 'treble'
    if c.octaveChange == 0 and (c.sign, c.line) == ('F', 4):
        return 'bass'
    return f'other:{type(c).__name__}'


def _note_items(n) -> List[list]:
    """Items of one music21 note (several when its duration is complex)."""
    from .labels import notehead_count
    check_note(n)
    token = pitch_token(n.pitch)
    count = notehead_count(n)
    comps = n.duration.components if count > 1 else [n.duration]
    tie = TIE.get(n.tie.type, '') if n.tie is not None else ''
    beams = n.beams.getTypes() if n.beams is not None else []
    beam = beams[0] if beams and beams[0] != 'partial' else ''
    items = []
    for k, comp in enumerate(comps):
        if comp.type not in MEI_DUR or comp.tuplets and count > 1:
            raise UnsupportedNotation('duration', f'{comp.type}')
        t = tie
        if count > 1:
            first = 'm' if tie in ('t', 'm') else 'i'
            last = 'm' if tie in ('i', 'm') else 't'
            t = first if k == 0 else (last if k == count - 1 else 'm')
            beam = ''
        items.append(['n', token, MEI_DUR[comp.type], comp.dots, t, beam])
    return items


def part_items(part, skips: Counter) -> Optional[List[list]]:
    """Item list of one music21 part (None if the part is unusable)."""
    from music21 import clef, meter, note, spanner
    from music21 import key as m21key
    measures = part.getElementsByClass('Measure')
    if not measures:
        skips['part_without_measures'] += 1
        return None
    if part.recurse().getElementsByClass(spanner.Ottava).first() is not None:
        skips['part_with_ottava'] += 1
        return None
    items = []
    for m in measures:
        items.append(['bar', m.number])
        if m.voices:
            items.append(['x', 'polyphonic'])
            continue
        for el in m:
            if isinstance(el, clef.Clef):
                items.append(['clef', _clef_name(el)])
            elif isinstance(el, m21key.KeySignature):
                items.append(['key', el.sharps])
            elif isinstance(el, meter.TimeSignature):
                items.append(['time', el.ratioString])
            elif isinstance(el, note.Rest):
                if el.style.hideObjectOnPrint or el.duration.type \
                        not in MEI_DUR:
                    items.append(['x', 'hidden_or_odd_rest'])
                else:
                    items.append(
                        ['r', MEI_DUR[el.duration.type], el.duration.dots])
            elif isinstance(el, note.GeneralNote):
                try:
                    items.extend(_note_items(el))
                except UnsupportedNotation as err:
                    items.append(['x', err.reason])
    return items


def parse_file(relpath: str, root: Optional[str] = None) -> Dict:
    """Parse one corpus file into ``{'path', 'pieces': [{'id', 'parts'}],
    'skips'}`` (the cached form; ``parts`` are item lists)."""
    from music21 import converter, stream
    root = root or corpus_root()
    skips = Counter()
    try:
        parsed = converter.parse(osp.join(root, relpath))
    except Exception:  # music21 raises many types on bad corpus files
        skips['parse_error'] += 1
        return dict(path=relpath, pieces=[], skips=dict(skips))
    scores = parsed.scores if isinstance(parsed, stream.Opus) else [parsed]
    pieces = []
    for k, score in enumerate(scores):
        parts = score.parts if score.parts else [score]
        items = []
        for part in parts:
            try:
                if relpath.endswith('.abc'):
                    carry_measure_accidentals(part)
                found = part_items(part, skips)
            except Exception:  # odd encodings: count, never crash
                skips['part_error'] += 1
                found = None
            if found:
                items.append(found)
        pieces.append(dict(id=f'{relpath}#{k}', parts=items))
    return dict(path=relpath, pieces=pieces, skips=dict(skips))


def load_file(relpath: str, cache_dir: Optional[str] = None,
              root: Optional[str] = None) -> Dict:
    """:func:`parse_file` through a JSON cache in ``cache_dir``."""
    if cache_dir is None:
        return parse_file(relpath, root)
    name = relpath.replace(os.sep, '__') + '.json'
    path = osp.join(cache_dir, name)
    if osp.exists(path):
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        if data.get('version') == CACHE_VERSION:
            return data
    data = parse_file(relpath, root)
    data['version'] = CACHE_VERSION
    os.makedirs(cache_dir, exist_ok=True)
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(data, f, separators=(',', ':'))
    os.replace(tmp, path)  # atomic: concurrent workers never see half
    return data


def in_window(token: str, clef: str) -> bool:
    """Whether a notehead fits the crop window of its clef."""
    low, high = WINDOW[clef]
    return staff_position(low) <= staff_position(token) <= staff_position(
        high)


def is_change(event: Sequence) -> bool:
    """Whether a fragment event is a context change (not a note or rest).

    >>> is_change(['key', 2]), is_change(['C4', '4', 0, '', ''])
    (True, False)
    """
    return event[0] in CHANGES


def _change(it: list, measure: list, now: Dict, skips: Counter) -> bool:
    """Apply a clef, key or time item to the running context ``now``.

    Appends the change event to ``measure`` unless it restates the
    context. Returns False (counted in ``skips``) when it cannot be drawn:
    a clef other than treble or bass, a key or time change after the
    first note or rest of its measure, a meter that is not ``n/d``.
    """
    kind, value = it
    if value == now[kind]:
        return True
    if kind == 'clef' and value not in WINDOW:
        skips['clef'] += 1
        return False
    if kind != 'clef' and any(not is_change(ev) for ev in measure):
        skips[f'{kind}_change_mid_measure'] += 1
        return False
    if kind == 'time' and not re.fullmatch(r'\d+/\d+', str(value)):
        skips['time_change_odd'] += 1
        return False
    now[kind] = value
    measure.append([kind, value])
    return True


def _fragment(items: Sequence[list], ctx: Dict, skips: Counter,
              rng: random.Random, changes: bool = False) -> Optional[Dict]:
    """A fragment from an item span that starts and ends with a notehead
    (with its clef, key and time changes when ``changes``, else None for
    a span that has any)."""
    clef = ctx['clef']
    if clef not in WINDOW:
        skips['clef'] += 1
        return None
    now = dict(clef=clef, key=ctx['key'], time=ctx['time'])
    measures, tokens = [[]], []
    for it in items:
        kind = it[0]
        if kind == 'x':
            skips[it[1]] += 1
            return None
        if kind in CHANGES:
            if not changes:
                skips['context_change'] += 1
                return None
            if not _change(it, measures[-1], now, skips):
                return None
        elif kind == 'bar':
            if measures[-1]:
                measures.append([])
        elif kind == 'n':
            if not in_window(it[1], now['clef']):
                skips['outside_window'] += 1
                return None
            tokens.append(it[1])
            measures[-1].append(list(it[1:]))
        else:
            measures[-1].append(['r'] + list(it[1:]))
    # Ties reaching outside the fragment are not drawn.
    first, last = measures[0][0], measures[-1][-1]
    first[3] = {'t': '', 'm': 'i'}.get(first[3], first[3])
    last[3] = {'i': '', 'm': 't'}.get(last[3], last[3])
    show_meter = ctx['time'] is not None and rng.random() < 0.5
    return dict(clef=clef, fifths=ctx['key'],
                meter=ctx['time'] if show_meter else None,
                measures=measures, tokens=tokens)


def cut_fragments(items: Sequence[list], rng: random.Random,
                  skips: Counter, min_notes: int = 3,
                  max_notes: int = 20, changes: bool = False) -> List[Dict]:
    """Cut one part's items into consecutive fragments of random length.

    Args:
        items (list): Item list of a part (see module docstring).
        rng (random.Random): Source of the lengths (and meter display).
        skips (Counter): Rejected fragments are counted here by reason.
        min_notes (int): Fewest noteheads. Defaults to 3.
        max_notes (int): Most noteheads. Defaults to 20.
        changes (bool): Keep the clef (treble/bass), key and time changes
            a span contains as events of its measures; False rejects such
            spans (``skips['context_change']``). Defaults to False.

    Returns:
        list[dict]: Fragments with ``clef``, ``fifths``, ``meter``,
        ``measures`` (lists of note/rest/change events) and ``tokens``.
    """
    ctx = dict(clef=None, key=0, time=None)
    heads = []  # (item index, context at that point)
    for i, it in enumerate(items):
        if it[0] == 'clef':
            ctx['clef'] = it[1]
        elif it[0] == 'key':
            ctx['key'] = it[1]
        elif it[0] == 'time':
            ctx['time'] = it[1]
        elif it[0] == 'n':
            heads.append((i, dict(ctx)))
    out, k = [], 0
    while len(heads) - k >= min_notes:
        length = min(rng.randint(min_notes, max_notes), len(heads) - k)
        (start, ctx), (stop, _) = heads[k], heads[k + length - 1]
        frag = _fragment(items[start:stop + 1], ctx, skips, rng, changes)
        if frag is not None:
            out.append(frag)
        k += length
    return out


def file_fragments(data: Dict, seed: int, skips: Counter,
                   changes: bool = False) -> List[Dict]:
    """All fragments of a parsed file (see :func:`load_file`), with
    ``piece`` ids; deterministic for a seed. ``changes``: as in
    :func:`cut_fragments`."""
    out = []
    for piece in data['pieces']:
        for p, items in enumerate(piece['parts']):
            rng = random.Random(f'{seed}:{piece["id"]}:{p}')
            for frag in cut_fragments(items, rng, skips,
                                      changes=changes):
                frag['piece'] = piece['id']
                frag['part'] = p
                out.append(frag)
    return out


def fragment_stream(files: Sequence[str], seed: int,
                    cache_dir: Optional[str] = None
                    ) -> Tuple[List[Dict], Counter]:
    """Fragments of several files (serial; the CLI parallelises)."""
    skips = Counter()
    frags = []
    for relpath in files:
        data = load_file(relpath, cache_dir)
        skips.update(data['skips'])
        frags.extend(file_fragments(data, seed, skips))
    return frags, skips
