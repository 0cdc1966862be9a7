"""BKTree: search equals brute force (property tests), dedup, bad input."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from crnn_plugin.lexicon import flat_bk_tree
from crnn_plugin.lexicon.bk_tree import BKTree

words = st.text(alphabet='abcd', max_size=7)
token_seqs = st.lists(st.integers(0, 4), max_size=6).map(tuple)
FAST = settings(max_examples=60, deadline=None)


def brute_force(items, query, delta):
    return sorted((Levenshtein.distance(query, x), x) for x in set(items)
                  if Levenshtein.distance(query, x) <= delta)


@FAST
@given(st.lists(words, max_size=60), words, st.integers(0, 5))
def test_find_strings_equals_brute_force(items, query, delta):
    tree = BKTree(items=items)
    expected = brute_force(items, query, delta)
    assert tree.find(query, delta) == expected
    assert tree.find_pointwise(query, delta) == expected


@FAST
@given(st.lists(token_seqs, max_size=60), token_seqs, st.integers(0, 4))
def test_find_token_tuples_equals_brute_force(items, query, delta):
    tree = BKTree(items=items)
    assert tree.find(query, delta) == brute_force(items, query, delta)


@settings(max_examples=25, deadline=None)
@given(st.lists(words, max_size=40), words, st.integers(0, 4))
def test_sorted_keys_path_equals_dense_table(items, query, delta):
    dense = BKTree(items=items).find(query, delta)
    old = flat_bk_tree._MAX_TABLE_ENTRIES
    flat_bk_tree._MAX_TABLE_ENTRIES = 0  # force the searchsorted path
    try:
        assert BKTree(items=items).find(query, delta) == dense
    finally:
        flat_bk_tree._MAX_TABLE_ENTRIES = old


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-50, 50), max_size=40), st.integers(-60, 60),
       st.integers(0, 10))
def test_custom_metric_uses_python_batch_distance(items, query, delta):
    tree = BKTree(lambda a, b: abs(a - b), items)
    assert tree.batch_distance_func == tree._python_batch_distance
    expected = sorted((abs(query - x), x) for x in set(items)
                      if abs(query - x) <= delta)
    assert tree.find(query, delta) == expected


def test_duplicates_are_stored_once():
    tree = BKTree(items=['ab', 'ab', 'abc', 'ab', 'abc'])
    assert len(tree) == 2
    assert sorted(tree) == ['ab', 'abc']
    assert tree.find('ab', 0) == [(0, 'ab')]


def test_add_after_search_is_found():
    tree = BKTree(items=['cat', 'hat'])
    assert tree.find('bat', 1) == [(1, 'cat'), (1, 'hat')]
    assert tree.add('bat') and not tree.add('bat')
    assert tree.find('bat', 1) == [(0, 'bat'), (1, 'cat'), (1, 'hat')]


def test_empty_tree_and_empty_strings():
    assert BKTree().find('x', 3) == []
    assert list(BKTree()) == []
    tree = BKTree(items=['', 'a'])
    assert tree.find('', 0) == [(0, '')]
    assert tree.find('', 1) == [(0, ''), (1, 'a')]


@pytest.mark.parametrize('delta', [-1, 1.5, '2', True, None])
def test_bad_delta_raises(delta):
    tree = BKTree(items=['a'])
    with pytest.raises(ValueError, match='delta'):
        tree.find('a', delta)
    with pytest.raises(ValueError, match='delta'):
        tree.find_pointwise('a', delta)


def test_find_nodes_indexes_node_items_with_fresh_equal_copies():
    words = [b'cat', b'hat', b'cart', b'dog']
    tree = BKTree(items=words)
    nodes, dists = tree.find_nodes(b'cat', 1)
    found = sorted(zip(dists.tolist(), tree.node_items[nodes].tolist()))
    assert found == [(0, b'cat'), (1, b'cart'), (1, b'hat')]
    # copies laid out breadth-first: equal to, but not, the caller's objects
    assert sorted(tree.node_items.tolist()) == sorted(words)
    assert all(a is not b for a in tree.node_items for b in words)
    empty_nodes, empty_dists = BKTree().find_nodes(b'x', 2)
    assert empty_nodes.size == empty_dists.size == 0
