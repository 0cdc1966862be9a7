"""Score fragments cut from the corpus's item lists (paper §3.4 data
engine).

Fragments of 3-20 noteheads are cut from the item lists of
:mod:`omr.corpus` deterministically per seed. A fragment's ``measures``
hold note events ``[token, dur, dots, tie, beam]``, rest events ``['r',
dur, dots]`` and, when cut with ``changes=True``, the corpus's *context
changes* where they occur: ``['clef', 'treble'|'bass']`` (anywhere in a
measure), ``['key', fifths]`` and ``['time', '3/4']`` (at the start of a
measure, before its notes). ``clef``, ``fifths`` and ``meter`` are the
context at the first note.

The corpus helpers (:func:`omr.corpus.load_file`,
:func:`omr.corpus.split_of`, ...) are importable from here too.
"""
import random
import re
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

from .corpus import (CACHE_VERSION, MEI_DUR, SCORE_EXTS, TIE,  # noqa: F401
                     corpus_files, corpus_root, file_hash, load_file,
                     parse_file, part_items, split_of)
from .pitch_tokens import staff_position

#: Noteheads that fit the crop window (staff +- 3 spaces, <= 2 ledger
#: lines), as staff positions: treble G3..D6, bass C2..F4.
WINDOW = {'treble': ('G3', 'D6'), 'bass': ('C2', 'F4')}
#: Kinds of the context-change events of a fragment's measures.
CHANGES = ('clef', 'key', 'time')


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
