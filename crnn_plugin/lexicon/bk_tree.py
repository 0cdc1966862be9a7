"""BK-tree (Burkhard & Keller, 1973) for edit-distance neighbour search.

Paper §2.3.3 searches the candidates ``N_δ(l')`` of lexicon-based
transcription with a BK-tree. The design follows pybktree
(https://github.com/benhoyt/pybktree): the distance function is passed in,
nodes are ``(item, {distance: child})``, :meth:`BKTree.add` iterates instead
of recursing and :meth:`BKTree.find` returns ``(distance, item)`` sorted.

Two differences:

* Duplicates are not stored again (an item at distance 0 from a node is the
  node's own item), so the tree holds a set.
* :meth:`BKTree.find` (via :meth:`BKTree.find_nodes`) walks the tree level
  by level: a deque holds whole frontiers (arrays of node ids) and the
  distances of a frontier are computed in one call of
  :func:`rapidfuzz.process.cdist` (C++), instead of one Python call per
  node. The children of a node whose edge label lies in ``[d - δ, d + δ]``
  are contiguous in a flat, breadth-first copy of the tree
  (:class:`~crnn_plugin.lexicon.flat_bk_tree.FlatBKTree`).
  :meth:`BKTree.find_pointwise` is the one-distance-call-per-node algorithm
  of pybktree, kept as a reference.

The distances used for pruning are always exact: rapidfuzz's
``score_cutoff`` is never passed during traversal (past the cutoff it
returns ``cutoff + 1``, and pruning with it loses matches).
"""
from collections import deque
from typing import (Any, Callable, Hashable, Iterable, Iterator, List,
                    Optional, Tuple)

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .flat_bk_tree import FlatBKTree, gc_paused

DistanceFunc = Callable[[Any, Any], int]
BatchDistanceFunc = Callable[[Any, np.ndarray], np.ndarray]


class BKTree:
    """A BK-tree over a metric with non-negative integer distances.

    Args:
        distance_func (callable, optional): ``distance(a, b) -> int``, a
            metric. Defaults to rapidfuzz's ``Levenshtein.distance``, which
            accepts strings and sequences of hashables (e.g. tuples of
            OMR token ids).
        items (iterable, optional): Items to add; duplicates are skipped.
            Defaults to None.
        batch_distance_func (callable, optional): ``f(query, items)`` with
            ``items`` a 1-D object array, returning the exact distances as an
            integer array. Defaults to :func:`rapidfuzz.process.cdist` with
            ``distance_func`` as scorer (single-threaded, no cutoff) when
            ``distance_func`` is the default, else a Python loop over
            ``distance_func``.

    Example:
        >>> tree = BKTree(items=['book', 'books', 'cake', 'boo', 'book'])
        >>> len(tree)
        4
        >>> tree.find('bo', 2)
        [(1, 'boo'), (2, 'book')]
        >>> BKTree(items=[(1, 2, 3), (1, 2), (7,)]).find((1, 2, 4), 1)
        [(1, (1, 2)), (1, (1, 2, 3))]
    """

    def __init__(self,
                 distance_func: Optional[DistanceFunc] = None,
                 items: Optional[Iterable[Hashable]] = None,
                 batch_distance_func: Optional[BatchDistanceFunc] = None
                 ) -> None:
        self.distance_func = distance_func or Levenshtein.distance
        if batch_distance_func is None:
            if self.distance_func is Levenshtein.distance:
                batch_distance_func = self._cdist
            else:
                batch_distance_func = self._python_batch_distance
        self.batch_distance_func = batch_distance_func
        self.tree = None  # (item, {distance: child node})
        self._size = 0
        self._flat: Optional[FlatBKTree] = None  # rebuilt after add()
        with gc_paused():
            for item in items or ():
                self.add(item)

    def _cdist(self, query: Any, items: np.ndarray) -> np.ndarray:
        # cdist iterates a list about twice as fast as an object array.
        return process.cdist([query], items.tolist(),
                             scorer=self.distance_func,
                             dtype=np.int32, workers=1)[0]

    def _python_batch_distance(self, query: Any,
                               items: np.ndarray) -> np.ndarray:
        return np.fromiter((self.distance_func(query, x) for x in items),
                           dtype=np.int64, count=len(items))

    def add(self, item: Hashable) -> bool:
        """Add ``item`` unless an equal item (distance 0) is already there.

        Args:
            item: The item to add.

        Returns:
            bool: Whether the item was new.

        Example:
            >>> tree = BKTree()
            >>> tree.add('cat'), tree.add('cat'), tree.add('hat'), len(tree)
            (True, False, True, 2)
        """
        if self.tree is None:
            self.tree = (item, {})
        else:
            node = self.tree
            while True:
                node_item, children = node
                distance = self.distance_func(item, node_item)
                if distance == 0:
                    return False
                child = children.get(distance)
                if child is None:
                    children[distance] = (item, {})
                    break
                node = child
        self._size += 1
        self._flat = None
        return True

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Hashable]:
        """Items in breadth-first order.

        Example:
            >>> list(BKTree(items=['a', 'b', 'abc']))
            ['a', 'b', 'abc']
        """
        if self.tree is None:
            return
        queue = deque([self.tree])
        while queue:
            item, children = queue.popleft()
            yield item
            queue.extend(children[d] for d in sorted(children))

    @property
    def node_items(self) -> np.ndarray:
        """Items as a 1-D object array indexed by node id (breadth-first);
        the ids returned by :meth:`find_nodes`."""
        if self.tree is None:
            return np.empty(0, dtype=object)
        if self._flat is None:
            self._flat = FlatBKTree(self.tree)
        return self._flat.items

    def find_nodes(self, query: Hashable,
                   delta: int) -> Tuple[np.ndarray, np.ndarray]:
        """Node ids and distances of the items within ``delta`` of ``query``.

        Level-synchronous traversal: the children of a node at distance
        ``d`` are visited iff their edge label is in ``[d - δ, d + δ]``
        (triangle inequality); all distances of one level are computed by one
        call of ``batch_distance_func``.

        Args:
            query: The item to search around.
            delta (int): Maximal distance (inclusive), >= 0.

        Returns:
            tuple[np.ndarray, np.ndarray]: Node ids (into
            :attr:`node_items`) and their distances, both shape (K,), in
            visiting order.
        """
        delta = check_delta(delta)
        if self.tree is None:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        self.node_items  # flatten once after the last add()
        return self._flat.search(query, delta, self.batch_distance_func)

    def find(self, query: Hashable, delta: int) -> List[Tuple[int, Any]]:
        """All items within distance ``delta`` of ``query``.

        Args:
            query: The item to search around.
            delta (int): Maximal distance (inclusive), >= 0.

        Returns:
            list[tuple[int, item]]: ``(distance, item)`` sorted by distance,
            then item.

        Example:
            >>> tree = BKTree(items=['book', 'books', 'cake', 'boo', 'cape'])
            >>> tree.find('bo', 1), tree.find('cake', 1)
            ([(1, 'boo')], [(0, 'cake'), (1, 'cape')])
        """
        nodes, dists = self.find_nodes(query, delta)
        found = list(zip(dists.tolist(), self.node_items[nodes].tolist()))
        found.sort()
        return found

    def find_pointwise(self, query: Hashable,
                       delta: int) -> List[Tuple[int, Any]]:
        """pybktree's search: one ``distance_func`` call per visited node.

        Same result as :meth:`find`; kept as the reference algorithm.

        Example:
            >>> BKTree(items=['book', 'boo', 'cake']).find_pointwise('bok', 1)
            [(1, 'boo'), (1, 'book')]
        """
        delta = check_delta(delta)
        if self.tree is None:
            return []
        found = []
        candidates = deque([self.tree])
        while candidates:
            item, children = candidates.popleft()
            distance = self.distance_func(query, item)
            if distance <= delta:
                found.append((distance, item))
            low, high = distance - delta, distance + delta
            candidates.extend(child for d, child in children.items()
                              if low <= d <= high)
        found.sort()
        return found


def check_delta(delta: int) -> int:
    """Validate a search radius.

    Example:
        >>> check_delta(-1)
        Traceback (most recent call last):
        ...
        ValueError: delta must be a non-negative integer, got -1
    """
    if isinstance(delta, bool) or not isinstance(delta, (int, np.integer)) \
            or delta < 0:
        raise ValueError(
            f'delta must be a non-negative integer, got {delta!r}')
    return int(delta)
