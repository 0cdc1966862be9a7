"""Batch samplers (registered in MMOCR's ``DATA_SAMPLERS``)."""
from .infinite_skip import skip_infinite_indices
from .width_bucket_batch_sampler import (WidthBucketBatchSampler,
                                         dataset_aspect_ratios)

__all__ = [
    'WidthBucketBatchSampler', 'dataset_aspect_ratios', 'skip_infinite_indices'
]
