"""Batches of images with similar aspect ratio (less padding).

Variable-width training (the OMR score fragments: 3-20 notes, 100 to over
500 px wide at height 32) pads every image of a batch to the widest one, so a
random batch spends much of its convolution work on padding. This sampler
takes the indices of any sampler in pools of ``pool_batches`` batches, sorts
each pool by aspect ratio, cuts it into batches and yields those in a
shuffled order: batches stay random in content and order across pools while
the images inside a batch have similar widths.
"""
from typing import Iterator, List, Optional

import numpy as np
from mmocr.registry import DATA_SAMPLERS
from torch.utils.data import BatchSampler, Sampler

from .infinite_skip import skip_infinite_indices

__all__ = ['WidthBucketBatchSampler', 'dataset_aspect_ratios']


def dataset_aspect_ratios(dataset) -> np.ndarray:
    """Width / height per index of a dataset or a concatenation of them.

    Args:
        dataset: A dataset with an ``aspect_ratios()`` method (e.g.
            :class:`~crnn_plugin.datasets.LMDBTextRecogDataset`) or a
            ``ConcatDataset`` (MMEngine's or torch's) of such datasets.

    Returns:
        np.ndarray: Shape (N, ), float; NaN where a header is unreadable.

    Raises:
        TypeError: Neither the dataset nor all of its parts have
            ``aspect_ratios()``.
    """
    if callable(getattr(dataset, 'aspect_ratios', None)):
        return np.asarray(dataset.aspect_ratios(), dtype=float)
    parts = getattr(dataset, 'datasets', None)
    if parts:
        return np.concatenate([dataset_aspect_ratios(d) for d in parts])
    raise TypeError(
        'WidthBucketBatchSampler needs sampler.dataset with an '
        'aspect_ratios() method (e.g. LMDBTextRecogDataset) or a '
        f'ConcatDataset of such datasets, got {type(dataset).__name__}')


@DATA_SAMPLERS.register_module()
class WidthBucketBatchSampler(BatchSampler):
    """Batch sampler that groups indices of similar image aspect ratio.

    Args:
        sampler (Sampler): Index sampler (e.g. MMEngine's
            ``InfiniteSampler``); its ``dataset`` must have an
            ``aspect_ratios()`` method returning width / height per index
            (:meth:`crnn_plugin.datasets.LMDBTextRecogDataset.aspect_ratios`)
            or be a ``ConcatDataset`` of such datasets.
        batch_size (int): Images per batch.
        drop_last (bool): Drop the last incomplete batch of a finite
            sampler. Defaults to False.
        pool_batches (int): Batches per sorting pool: larger pools give
            tighter width groups, smaller ones keep batches closer to the
            sampler's order. Defaults to 32.
        seed (int, optional): Seed of the batch order within a pool;
            defaults to the sampler's ``seed`` attribute (MMEngine's samplers
            share the run's seed), else 0.

    Example (config)::

        train_dataloader = dict(
            batch_size=32,
            sampler=dict(type='InfiniteSampler', shuffle=True),
            batch_sampler=dict(type='WidthBucketBatchSampler'),
            dataset=dict(type='LMDBTextRecogDataset', ann_file='train'))
    """

    def __init__(self,
                 sampler: Sampler,
                 batch_size: int,
                 drop_last: bool = False,
                 pool_batches: int = 32,
                 seed: Optional[int] = None) -> None:
        super().__init__(sampler, batch_size, drop_last)
        if pool_batches < 1:
            raise ValueError(f'pool_batches must be >= 1, got {pool_batches}')
        ratios = dataset_aspect_ratios(getattr(sampler, 'dataset', None))
        # Unreadable headers sort with the typical image, not at one end.
        known = ratios[~np.isnan(ratios)]
        fill = float(np.median(known)) if known.size else 1.0
        self.ratios = np.where(np.isnan(ratios), fill, ratios)
        self.pool_batches = pool_batches
        self.seed = seed if seed is not None else getattr(sampler, 'seed', 0)
        self._pools = 0  # pools yielded so far: varies the batch order
        self._skip_batches = 0  # batches the next iterator drops (resume)

    def _split(self, pool: List[int]) -> List[List[int]]:
        """Sort one pool by aspect ratio; cut it into shuffled batches."""
        order = np.argsort(self.ratios[pool], kind='stable')
        ranked = [pool[i] for i in order]
        batches = [
            ranked[i:i + self.batch_size]
            for i in range(0, len(ranked), self.batch_size)
        ]
        if self.drop_last and len(batches[-1]) < self.batch_size:
            batches.pop()
        rng = np.random.default_rng([self.seed, self._pools])
        self._pools += 1
        return [batches[i] for i in rng.permutation(len(batches))]

    def skip_ahead(self, batches: int) -> bool:
        """Make the next iterator start ``batches`` batches into the stream.

        Used on resume (``SkipAheadIterBasedTrainLoop``): the whole pools
        before the resumed batch are skipped as sampler indices, without
        loading their images; the next iterator then sorts the resumed pool
        and drops its first ``batches % pool_batches`` batches, so it yields
        exactly what an uninterrupted run would have yielded next.

        Args:
            batches (int): Batches already trained.

        Returns:
            bool: False (nothing changed) unless the index sampler is an
            infinite MMEngine ``InfiniteSampler`` (every pool full).
        """
        pools, rest = divmod(batches, self.pool_batches)
        if not skip_infinite_indices(self.sampler,
                                     pools * self.pool_batches *
                                     self.batch_size):
            return False
        self._pools = pools
        self._skip_batches = rest
        return True

    def __iter__(self) -> Iterator[List[int]]:
        skip, self._skip_batches = self._skip_batches, 0
        pool_size = self.batch_size * self.pool_batches
        pool: List[int] = []
        for idx in self.sampler:
            pool.append(int(idx))
            if len(pool) == pool_size:
                batches = self._split(pool)
                yield from batches[skip:]
                skip = 0
                pool = []
        if pool:
            yield from self._split(pool)[skip:]
