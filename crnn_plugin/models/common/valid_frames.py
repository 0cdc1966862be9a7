"""Frames of a CTC output that belong to the image (not batch padding)."""
import math
from typing import Optional

from mmocr.structures import TextRecogDataSample


def valid_frames(seq_len: int,
                 data_sample: Optional[TextRecogDataSample] = None) -> int:
    """Number of leading frames covered by the image itself.

    A batch padded to its widest image gives narrower images trailing
    padding frames. ``num_frames`` (set by
    :class:`~crnn_plugin.models.CRNNRecognizer`: the exact count) is used
    when present; otherwise ``valid_ratio`` (MMOCR's resize transforms and
    data preprocessor), the share of the width that is image.

    Args:
        seq_len (int): Frames ``T`` of the model output.
        data_sample (TextRecogDataSample, optional): Supplies
            ``num_frames`` or ``valid_ratio`` (default 1).

    Returns:
        int: ``num_frames``, else ``ceil(T * valid_ratio)``, clamped to
        ``[1, T]``.

    Example:
        >>> valid_frames(26)
        26
    """
    if data_sample is not None and 'num_frames' in data_sample:
        return min(seq_len, max(1, int(data_sample.num_frames)))
    ratio = data_sample.get('valid_ratio', 1) if data_sample else 1
    return min(seq_len, max(1, math.ceil(ratio * seq_len)))
