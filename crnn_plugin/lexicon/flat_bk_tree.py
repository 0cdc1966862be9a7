"""A BK-tree flattened into arrays, searched one level at a time.

:class:`~crnn_plugin.lexicon.bk_tree.BKTree` keeps pybktree's node structure
``(item, {distance: child})`` for building; searching it node by node costs
one Python call of the distance per visited node. :class:`FlatBKTree` lays
the same tree out breadth-first, with each node's children contiguous and
ordered by edge distance, so that a whole level is one array of node ids:
its distances come from one ``batch_distance`` call (rapidfuzz's C++
``cdist``) and the children to visit next from a (node, edge) table.
"""
import gc
from collections import deque
from contextlib import contextmanager
from typing import Any, Callable, Sequence, Tuple

import numpy as np

#: Above this many entries (node x edge) the flat tree keeps sorted keys and
#: uses searchsorted instead of a dense (N, max_edge + 3) pointer table.
_MAX_TABLE_ENTRIES = 1 << 24


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small
    containers: its repeated scans of the growing tree dominate otherwise."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fresh_copy(item: Any) -> Any:
    """An equal, newly allocated copy of a ``bytes``/``str``/``tuple``.

    Copying the items in breadth-first order lays them out in memory in the
    order the search reads them: rapidfuzz's ``cdist`` over a level then
    runs ~1.8x faster than over the caller's scattered objects.
    """
    if type(item) is bytes:
        return bytes(bytearray(item))
    if type(item) is str:
        return (item + ' ')[:-1]
    if type(item) is tuple:
        return tuple(list(item))
    return item


def _object_array(items: Sequence[Any]) -> np.ndarray:
    """1-D object array holding ``items`` (tuples stay tuples)."""
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


class FlatBKTree:
    """Breadth-first arrays of a BK-tree.

    Node ids are breadth-first positions with each node's children in
    increasing edge distance, so the children of a node are contiguous and
    node ``j > 0`` is the ``j - 1``-th child overall. Its key
    ``parent_id * stride + edge_distance`` is strictly increasing.

    Args:
        root (tuple): The root node ``(item, {distance: child})``.

    Attributes:
        items (np.ndarray): Node items (fresh copies), object array (N,).
        stride (int): Largest edge distance + 2.
        dense (bool): Whether :attr:`keys` is the flattened (N, stride + 1)
            table ``searchsorted(child keys, n * stride + e)`` (else the
            sorted child keys, shape (N - 1,)).
    """

    def __init__(self, root: tuple) -> None:
        items, parents, edges = [], [], []
        queue = deque([(root, -1, 0)])
        with gc_paused():
            while queue:
                (item, children), parent, edge = queue.popleft()
                node_id = len(items)
                items.append(_fresh_copy(item))
                parents.append(parent)
                edges.append(edge)
                queue.extend(
                    (children[d], node_id, d) for d in sorted(children))
        edges = np.asarray(edges, dtype=np.int64)
        stride = int(edges.max()) + 2
        keys = np.asarray(parents[1:], dtype=np.int64) * stride + edges[1:]
        self.items = _object_array(items)
        self.stride = stride
        self.dense = len(items) * (stride + 1) <= _MAX_TABLE_ENTRIES
        if self.dense:
            # table[n, e] = index of the first key >= n * stride + e, for
            # e in [0, stride]: an O(1) replacement for searchsorted.
            grid = (np.arange(len(items))[:, None] * stride +
                    np.arange(stride + 1)[None, :])  # (N, stride + 1)
            # (#keys < j) for j = 0 .. N * stride, as searchsorted would
            below = np.zeros(len(items) * stride + 1, dtype=np.int64)
            np.cumsum(np.bincount(keys, minlength=len(items) * stride),
                      out=below[1:])
            keys = below[grid].reshape(-1)  # (N, stride + 1) -> flat
        self.keys = keys

    def search(self, query: Any, delta: int,
               batch_distance: Callable[[Any, np.ndarray], np.ndarray]
               ) -> Tuple[np.ndarray, np.ndarray]:
        """Node ids and distances within ``delta`` of ``query``.

        The children of a node at distance ``d`` are visited iff their edge
        label is in ``[d - δ, d + δ]`` (triangle inequality).

        Args:
            query: The item to search around.
            delta (int): Maximal distance (inclusive), >= 0 (not checked).
            batch_distance (callable): ``f(query, items)`` -> exact integer
                distances, one per item of a 1-D object array.

        Returns:
            tuple[np.ndarray, np.ndarray]: Node ids and distances, both of
            shape (K,), in visiting order.
        """
        items, keys, stride = self.items, self.keys, self.stride
        # Children of node n with edge in [d - δ, d + δ] have keys in
        # [n * stride + d - δ, n * stride + d + δ]. Edge labels lie in
        # [1, stride - 2]; clipping both bounds to [1, stride - 1] keeps each
        # range inside its node's key block. Look-up tables by d, with d
        # capped where clipping makes larger values equal.
        cap = stride + delta
        low_of = np.clip(np.arange(cap + 1) - delta, 1, stride - 1)
        high_of = np.clip(np.arange(cap + 1) + delta, 0, stride - 1) + 1
        hit_nodes, hit_dists = [], []
        nodes = np.zeros(1, dtype=np.int64)
        levels = deque([(nodes, batch_distance(query, items[:1]))])
        while levels:
            nodes, dists = levels.popleft()
            hit = dists <= delta
            hit_nodes.append(nodes[hit])
            hit_dists.append(dists[hit])
            capped = np.minimum(dists, cap)
            low, high = low_of.take(capped), high_of.take(capped)
            if self.dense:
                row = nodes * (stride + 1)
                starts, ends = keys.take(row + low), keys.take(row + high)
            else:
                starts = np.searchsorted(keys, nodes * stride + low)
                ends = np.searchsorted(keys, nodes * stride + high)
            counts = ends - starts  # (F,)
            total = int(counts.sum())
            if total == 0:
                continue
            # Concatenate the ranges [starts[i], ends[i]) -> (total,)
            offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
            children = offsets + np.arange(total) + 1  # key j -> node j + 1
            levels.append((children, batch_distance(query, items[children])))
        return (np.concatenate(hit_nodes),
                np.concatenate(hit_dists).astype(np.int64))
