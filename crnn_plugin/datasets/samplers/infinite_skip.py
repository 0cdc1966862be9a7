"""Move MMEngine's ``InfiniteSampler`` forward without loading any data."""
import itertools

from mmengine.dataset import InfiniteSampler
from torch.utils.data import Sampler


def skip_infinite_indices(sampler: Sampler, count: int) -> bool:
    """Restart an :class:`InfiniteSampler`'s stream ``count`` indices on.

    The sampler's order is a function of its seed, so the indices already
    used can be drawn and dropped without touching the dataset.

    Args:
        sampler (Sampler): The index sampler.
        count (int): Indices to drop from the start of the stream.

    Returns:
        bool: False (nothing changed) if ``sampler`` is not an
        :class:`InfiniteSampler`.
    """
    if not isinstance(sampler, InfiniteSampler):
        return False
    sampler.indices = sampler._indices_of_rank()  # restart the stream
    next(itertools.islice(sampler.indices, count, count), None)
    return True
