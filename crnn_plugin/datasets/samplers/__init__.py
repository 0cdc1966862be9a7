"""Batch samplers (registered in MMOCR's ``DATA_SAMPLERS``)."""
from .infinite_skip import skip_infinite_indices
from .width_bucket_batch_sampler import WidthBucketBatchSampler

__all__ = ['WidthBucketBatchSampler', 'skip_infinite_indices']
