import random
from collections import Counter

import pytest

pytest.importorskip('music21', reason='music21 is not installed')

from engraving_helpers import change_fragments  # noqa: E402
from omr import fragments as F  # noqa: E402
from omr.pitch_dictionary import PitchDictionary  # noqa: E402

FILES = ['bach/bwv1.6.mxl', 'bach/bwv10.7.mxl',
         'ryansMammoth/42dHighlandRegimentStrathspey.abc']


@pytest.fixture(scope='module')
def parsed(tmp_path_factory):
    cache = str(tmp_path_factory.mktemp('cache'))
    return {f: F.load_file(f, cache) for f in FILES}, cache


def test_corpus_listing_and_split_is_by_file():
    files = F.corpus_files()
    assert len(files) > 1000 and all(f.endswith(F.SCORE_EXTS) for f in files)
    splits = Counter(F.split_of(f) for f in files)
    assert 0.02 < splits['val'] / len(files) < 0.08
    assert F.split_of(files[0]) == F.split_of(files[0])  # stable


def test_fragments_are_valid_and_deterministic(parsed):
    data, _ = parsed
    d = PitchDictionary()
    for f, item in data.items():
        skips = Counter()
        frags = F.file_fragments(item, seed=0, skips=skips)
        again = F.file_fragments(item, seed=0, skips=Counter())
        assert frags == again and frags
        other = F.file_fragments(item, seed=1, skips=Counter())
        assert [x['tokens'] for x in other] != [x['tokens'] for x in frags]
        for frag in frags:
            assert 3 <= len(frag['tokens']) <= 20
            assert frag['clef'] in ('treble', 'bass')
            assert all(d.contains(t) for t in frag['tokens'])
            assert all(F.in_window(t, frag['clef']) for t in frag['tokens'])
            heads = [e[0] for m in frag['measures'] for e in m if e[0] != 'r']
            assert heads == frag['tokens']
            assert frag['piece'].startswith(f + '#')
    # Bach chorales have a tenor in an octave clef: counted, never used.
    skips = Counter()
    F.file_fragments(data['bach/bwv1.6.mxl'], 0, skips)
    assert skips['clef'] > 0


def test_cache_round_trip(parsed):
    data, cache = parsed
    f = FILES[0]
    assert F.load_file(f, cache) == data[f]  # read back from JSON


def test_cut_rejects_and_counts():
    items = [['clef', 'treble'], ['key', 3], ['bar', 1]]
    items += [['n', 'C#5', '4', 0, '', '']] * 4
    items += [['x', 'chord']] + [['n', 'A4', '4', 0, '', '']] * 3
    items += [['n', 'C7', '4', 0, '', '']] * 3  # above the window
    skips = Counter()
    rng = random.Random(0)
    frags = F.cut_fragments(items, rng, skips, min_notes=3, max_notes=3)
    # [C# C# C#] ok, [C# A A] has the chord, [A C7 C7] outside the window.
    assert [f['tokens'] for f in frags] == [['C#5'] * 3]
    assert frags[0]['fifths'] == 3
    assert skips == Counter(chord=1, outside_window=1)


def test_split_disjoint_on_a_few_files(parsed):
    data, _ = parsed
    pieces = {'train': set(), 'val': set()}
    files = [f for f in F.corpus_files() if f.startswith('bach/')][:60]
    for f in files:
        pieces[F.split_of(f)].add(f)
    assert pieces['train'] and pieces['val']
    assert not pieces['train'] & pieces['val']


def test_context_changes_are_kept_only_when_asked():
    items = [['clef', 'treble'], ['key', 1], ['time', '3/4'], ['bar', 1]]
    items += [['n', 'G4', '4', 0, '', '']] * 2 + [['clef', 'bass']]
    items += [['n', 'G3', '4', 0, '', ''], ['bar', 2], ['key', -1],
              ['time', '2/4'], ['clef', 'bass'], ['n', 'F3', '4', 0, '', ''],
              ['key', 0], ['n', 'C3', '4', 0, '', '']]
    skips = Counter()
    assert F.cut_fragments(items, random.Random(0), skips, 5, 5) == []
    assert skips == Counter(context_change=1)
    skips = Counter()
    (frag, ) = F.cut_fragments(items, random.Random(0), skips, 4, 4,
                               changes=True)
    assert (frag['clef'], frag['fifths']) == ('treble', 1)
    # the restated bass clef is no change
    assert frag['measures'] == [
        [['G4', '4', 0, '', ''], ['G4', '4', 0, '', ''], ['clef', 'bass'],
         ['G3', '4', 0, '', '']],
        [['key', -1], ['time', '2/4'], ['F3', '4', 0, '', '']]]
    # a key change after a note of its measure cannot be drawn
    assert F.cut_fragments(items, random.Random(0), skips, 5, 5,
                           changes=True) == []
    assert skips == Counter(key_change_mid_measure=1)
    other = [['clef', 'treble'], ['n', 'G4', '4', 0, '', ''],
             ['clef', 'other:AltoClef'], ['n', 'G4', '4', 0, '', '']] * 2
    assert F.cut_fragments(other, random.Random(0), skips, 4, 4,
                           changes=True) == []
    assert skips['clef'] == 1


def test_corpus_clef_and_key_changes():
    kinds = Counter(ev[0] for f in change_fragments()
                    for m in f['measures'] for ev in m if F.is_change(ev))
    assert kinds['clef'] >= 2 and kinds['key'] >= 2
    for frag in change_fragments():
        clef = frag['clef']
        notes = []
        for ev in (ev for m in frag['measures'] for ev in m):
            clef = ev[1] if ev[0] == 'clef' else clef
            if ev[0] != 'r' and not F.is_change(ev):
                assert F.in_window(ev[0], clef)
                notes.append(ev[0])
        assert notes == frag['tokens']


def test_classic_fragments_are_unchanged():
    """The default (no changes) fragments and MEI of a file with key
    changes, hashed: the same as before changes could be kept."""
    import hashlib
    import json
    from omr.engrave import fragment_mei
    frags = F.file_fragments(F.parse_file('mozart/k80/movement3.mxl'), 0,
                             Counter())
    blob = json.dumps(frags, sort_keys=True) + ''.join(
        map(fragment_mei, frags))
    assert hashlib.sha1(blob.encode()).hexdigest() == \
        '761a50d025bfb9aaa85879bd4c198ff093f31272'
