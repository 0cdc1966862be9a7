"""SkipAheadIterBasedTrainLoop: a resumed run sees the batches a run that
never stopped would have seen, without loading the skipped ones."""
import pytest
import torch
from mmengine.dataset import DefaultSampler, InfiniteSampler
from torch.utils.data import DataLoader, Dataset

from crnn_plugin.datasets import WidthBucketBatchSampler
from crnn_plugin.engine import skip_sampler_ahead


class CountingDataset(Dataset):
    """Returns its index; counts how many items were loaded."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.loaded = 0

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> int:
        self.loaded += 1
        return index

    def aspect_ratios(self) -> list:
        """Width / height per index, for ``WidthBucketBatchSampler``."""
        return [(7 * i) % self.size for i in range(self.size)]


def _loader(dataset, sampler_type=InfiniteSampler, batch_size=4):
    return DataLoader(dataset, batch_size=batch_size,
                      sampler=sampler_type(dataset, shuffle=True, seed=3))


def _bucket_loader(dataset, batch_size=3, pool_batches=4):
    sampler = InfiniteSampler(dataset, shuffle=True, seed=3)
    return DataLoader(dataset, batch_sampler=WidthBucketBatchSampler(
        sampler, batch_size, pool_batches=pool_batches))


@pytest.mark.parametrize(
    'make_loader,batch_size,iters',
    # fixed batches of 4: 7 batches is past one epoch; width buckets of 3,
    # 4 batches per pool: at a pool boundary, inside a pool, pools later
    [(_loader, 4, 1), (_loader, 4, 3), (_loader, 4, 7),
     (_bucket_loader, 3, 1), (_bucket_loader, 3, 4), (_bucket_loader, 3, 6),
     (_bucket_loader, 3, 13)])
def test_resumed_stream_continues_the_uninterrupted_one(
        make_loader, batch_size, iters):
    reference = iter(make_loader(CountingDataset(10)))
    expected = [next(reference).tolist() for _ in range(iters + 6)][iters:]

    dataset = CountingDataset(10)
    loader = make_loader(dataset)
    next(iter(loader))  # a fresh loop's first prefetch, as in MMEngine
    dataset.loaded = 0
    assert skip_sampler_ahead(loader, iters)
    resumed = iter(loader)
    assert [next(resumed).tolist() for _ in range(6)] == expected
    assert dataset.loaded == 6 * batch_size  # only batches after the skip


def test_other_samplers_are_left_alone():
    dataset = CountingDataset(10)
    loader = _loader(dataset, sampler_type=DefaultSampler)
    assert not skip_sampler_ahead(loader, 2)
    batch_sampler_loader = DataLoader(dataset, batch_size=None,
                                      sampler=InfiniteSampler(dataset, seed=0))
    assert not skip_sampler_ahead(batch_sampler_loader, 2)
    finite_buckets = DataLoader(dataset, batch_sampler=WidthBucketBatchSampler(
        DefaultSampler(dataset, seed=0), 4))
    assert not skip_sampler_ahead(finite_buckets, 2)
    assert dataset.loaded == 0
    assert torch.is_tensor(next(iter(loader)))
