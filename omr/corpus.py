"""music21's bundled corpus as compact item lists (paper §3.4 data engine).

A corpus file is parsed once into a compact, JSON-serialisable *item list*
per melodic part (cached under ``cache_dir``), from which
:mod:`omr.fragments` cuts fragments. Items::

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

Train/validation are split by corpus file (:func:`split_of`), so no piece
is in both.
"""
import hashlib
import json
import os
import os.path as osp
from collections import Counter
from typing import Dict, List, Optional

from .labels import (UnsupportedNotation, carry_measure_accidentals,
                     check_note, pitch_token)

__all__ = ['CACHE_VERSION', 'SCORE_EXTS', 'MEI_DUR', 'TIE', 'corpus_root',
           'corpus_files', 'file_hash', 'split_of', 'part_items',
           'parse_file', 'load_file']

#: Cache format version (bump when the item format changes).
CACHE_VERSION = 1
#: Corpus file types that hold notes (roman-numeral analyses excluded).
SCORE_EXTS = ('.krn', '.abc', '.mxl', '.xml', '.musicxml')
#: music21 duration type -> MEI ``@dur``.
MEI_DUR = {'breve': 'breve', 'whole': '1', 'half': '2', 'quarter': '4',
           'eighth': '8', '16th': '16', '32nd': '32', '64th': '64'}
TIE = {'start': 'i', 'continue': 'm', 'stop': 't'}


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
