"""Frames of a CTC output that belong to the image (not batch padding)."""
import math
from typing import Optional

from mmocr.structures import TextRecogDataSample


def valid_frames(seq_len: int,
                 data_sample: Optional[TextRecogDataSample] = None) -> int:
    """Number of leading frames covered by the image itself.

    A batch padded to its widest image gives narrower images trailing
    padding frames; ``valid_ratio`` (set by MMOCR's resize transforms) is
    the share of the width that is image.

    Args:
        seq_len (int): Frames ``T`` of the model output.
        data_sample (TextRecogDataSample, optional): Supplies
            ``valid_ratio`` (default 1).

    Returns:
        int: ``ceil(T * valid_ratio)`` clamped to ``[1, T]``.

    Example:
        >>> valid_frames(26)
        26
    """
    ratio = data_sample.get('valid_ratio', 1) if data_sample else 1
    return min(seq_len, max(1, math.ceil(ratio * seq_len)))
