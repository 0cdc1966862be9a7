"""Batch samplers (registered in MMOCR's ``DATA_SAMPLERS``)."""
from .width_bucket_batch_sampler import WidthBucketBatchSampler

__all__ = ['WidthBucketBatchSampler']
