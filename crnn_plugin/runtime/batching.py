"""Width-bucketed batching of variable-width word images.

Images are sorted by width and cut into batches of neighbours, so an image
is padded by little more than the width difference to its neighbours;
a column budget keeps batches of very wide images small. Padding does not
change any result (see :class:`~crnn_plugin.apis.CRNNInferenceModel`),
it only costs compute.
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np

__all__ = ['plan_batches', 'pad_batch']


def plan_batches(widths: Sequence[int],
                 batch_size: int,
                 max_columns: Optional[int] = None) -> List[List[int]]:
    """Group indices of images into batches of similar width.

    Args:
        widths (Sequence[int]): Width of each image (after resizing).
        batch_size (int): Maximum images per batch.
        max_columns (int, optional): Maximum of ``len(batch) * max width``
            (a batch always holds at least one image). Defaults to
            ``batch_size * 256``.

    Returns:
        list[list[int]]: Indices into ``widths``; every index appears once.

    Example:
        >>> plan_batches([300, 100, 120, 104], batch_size=2)
        [[1, 3], [2, 0]]
        >>> plan_batches([100, 2000, 2000, 100], 4, max_columns=2000)
        [[0, 3], [1], [2]]
    """
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    if max_columns is None:
        max_columns = batch_size * 256
    order = sorted(range(len(widths)), key=lambda i: (widths[i], i))
    batches: List[List[int]] = []
    current: List[int] = []
    for index in order:
        # Sorted ascending: the new image sets the batch width.
        if current and (len(current) >= batch_size or
                        (len(current) + 1) * widths[index] > max_columns):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def pad_batch(images: Sequence[np.ndarray],
              pad_value: float = 0.) -> Tuple[np.ndarray, np.ndarray]:
    """Stack (C, H, W_i) images into one right-padded (N, C, H, W) array.

    Args:
        images (Sequence[np.ndarray]): float32 images of equal C and H.
        pad_value (float): Value of the padding. Defaults to 0 (the
            normalised mid-gray, as MMOCR's data preprocessor pads).

    Returns:
        tuple(np.ndarray, np.ndarray): The batch (float32, shape
        (N, C, H, max W_i)) and the widths (int64, shape (N,)).
    """
    widths = np.array([img.shape[-1] for img in images], dtype=np.int64)
    channels, height = images[0].shape[:2]
    batch = np.full((len(images), channels, height, int(widths.max())),
                    pad_value, dtype=np.float32)
    for slot, img in zip(batch, images):
        slot[:, :, :img.shape[-1]] = img  # (C, H, W_i) into (C, H, W)
    return batch, widths
