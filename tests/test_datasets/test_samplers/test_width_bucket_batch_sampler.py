"""WidthBucketBatchSampler: width-grouped batches, every index once, seeded."""
import itertools

import numpy as np
import pytest
from datasets_helpers import encode_image, recog_entries, write_raw_lmdb
from mmengine.dataset import ConcatDataset, DefaultSampler, InfiniteSampler
from mmocr.registry import DATA_SAMPLERS, DATASETS

from crnn_plugin.datasets import WidthBucketBatchSampler
from crnn_plugin.datasets.samplers import dataset_aspect_ratios

WIDTHS = [40, 300, 60, 280, 45, 310, 55, 290, 50, 305, 42, 295]


@pytest.fixture
def dataset(tmp_path):
    """12 images 32 px high: six narrow (40-60 px), six wide (280-310)."""
    samples = [(encode_image(i, width=w), b'w%d' % i)
               for i, w in enumerate(WIDTHS)]
    path = write_raw_lmdb(str(tmp_path / 'w.lmdb'), recog_entries(samples))
    return DATASETS.build(
        dict(type='LMDBTextRecogDataset', ann_file=path,
             img_color_type='grayscale', pipeline=[], serialize_data=False))


def test_aspect_ratios_read_from_headers(dataset):
    np.testing.assert_allclose(dataset.aspect_ratios(),
                               np.array(WIDTHS) / 32)


def test_concatenated_datasets(dataset):
    """A ConcatDataset (e.g. clean + transposed OMR renders) is grouped by
    the ratios of its parts, in concatenation order."""
    both = ConcatDataset([dataset, dataset])
    np.testing.assert_allclose(dataset_aspect_ratios(both),
                               np.array(WIDTHS * 2) / 32)
    sampler = DefaultSampler(both, shuffle=True, seed=1)
    batches = list(WidthBucketBatchSampler(sampler, 12, pool_batches=2))
    assert sorted(itertools.chain(*batches)) == list(range(24))
    for batch in batches:  # all narrow (<= 60 px) or all wide
        assert len({WIDTHS[i % 12] > 100 for i in batch}) == 1


def test_batches_group_similar_widths(dataset):
    sampler = DefaultSampler(dataset, shuffle=True, seed=3)
    batches = list(WidthBucketBatchSampler(sampler, 6, pool_batches=2))
    assert sorted(itertools.chain(*batches)) == list(range(12))
    widths = [sorted(WIDTHS[i] for i in batch) for batch in batches]
    assert sorted(widths) == [sorted(WIDTHS[0::2]), sorted(WIDTHS[1::2])]


def test_pool_of_one_batch_keeps_sampler_grouping(dataset):
    sampler = DefaultSampler(dataset, shuffle=False)
    batches = list(WidthBucketBatchSampler(sampler, 4, pool_batches=1))
    assert [sorted(b) for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7],
                                            [8, 9, 10, 11]]


def test_drop_last_and_len(dataset):
    sampler = DefaultSampler(dataset, shuffle=False)
    kept = list(WidthBucketBatchSampler(sampler, 5, drop_last=True,
                                        pool_batches=3))
    assert [len(b) for b in kept] == [5, 5]
    full = WidthBucketBatchSampler(sampler, 5, pool_batches=3)
    assert sorted(len(b) for b in full) == [2, 5, 5] and len(full) == 3


def test_seeded_and_built_from_registry(dataset):

    def first_batches(seed):
        sampler = InfiniteSampler(dataset, shuffle=True, seed=seed)
        batch_sampler = DATA_SAMPLERS.build(
            dict(type='WidthBucketBatchSampler', pool_batches=2),
            default_args=dict(sampler=sampler, batch_size=3))
        return list(itertools.islice(iter(batch_sampler), 8))

    assert first_batches(0) == first_batches(0)
    assert first_batches(0) != first_batches(1)


def test_clear_errors(dataset):
    with pytest.raises(TypeError, match='aspect_ratios'):
        WidthBucketBatchSampler(DefaultSampler(list(range(4))), 2)
    with pytest.raises(ValueError, match='pool_batches'):
        WidthBucketBatchSampler(DefaultSampler(dataset), 2, pool_batches=0)
