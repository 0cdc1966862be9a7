"""Image loading transform that counts and logs unreadable files.

Subclasses MMOCR 1.0.1 :class:`mmocr.datasets.transforms.LoadImageFromFile`
(``mmocr/datasets/transforms/loading.py``).
"""
from typing import Optional, Tuple

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmocr.datasets.transforms import LoadImageFromFile
from mmocr.registry import TRANSFORMS

from crnn_plugin.runtime.image_decoding import (BadImageError,
                                                decode_image_bytes)

from ..skip_counter import SkipCounter


@TRANSFORMS.register_module()
class SafeLoadImageFromFile(LoadImageFromFile):
    """Load an image from ``results['img_path']``; skip and count bad files.

    MMOCR's ``LoadImageFromFile(ignore_empty=True)`` returns ``None`` for
    unreadable files with a bare ``warnings.warn`` and no count. This loader
    counts every missing, empty, truncated, non-image or too-small file per
    reason and logs it with the running count through MMEngine's logger
    (:class:`~crnn_plugin.datasets.SkipCounter`, attribute
    ``skip_counter``). In a train-mode dataset the ``None`` makes MMEngine's
    ``BaseDataset`` fetch another index, so training continues.

    If ``results`` already holds a decoded ``img`` (as samples of
    :class:`~crnn_plugin.datasets.LMDBTextRecogDataset` do), nothing is read:
    the image is only converted to this loader's ``color_type``
    (grayscale <-> BGR), so one pipeline serves JSON and LMDB datasets.

    Required Keys: ``img_path`` (or ``img``). Modified Keys: ``img``,
    ``img_shape``, ``ori_shape``.

    Args:
        placeholder_shape (tuple[int, int], optional): If given, a bad file
            yields a blank (H, W) image (grayscale) or (H, W, 3) image
            (otherwise) instead of ``None`` - for test pipelines, where
            ``BaseDataset`` raises on ``None``; the sample then counts as a
            miss. Still counted and logged. Defaults to None.
        placeholder_value (int): Pixel value of the placeholder.
            Defaults to 0.
        ignore_empty (bool): If False, a bad file raises (MMOCR's behaviour)
            after being counted. Defaults to True (unlike the parent).
        min_size (int): Images with a side below this are bad. Defaults to 0
            (any non-empty image is fine).
        **kwargs: ``to_float32``, ``color_type``, ``imdecode_backend``,
            ``backend_args`` as in :class:`LoadImageFromFile`.

    Example:
        >>> train_pipeline = [
        ...     dict(type='SafeLoadImageFromFile', color_type='grayscale'),
        ...     dict(type='LoadOCRAnnotations', with_text=True), ...]
    """

    def __init__(self,
                 placeholder_shape: Optional[Tuple[int, int]] = None,
                 placeholder_value: int = 0,
                 ignore_empty: bool = True,
                 min_size: int = 0,
                 **kwargs) -> None:
        super().__init__(ignore_empty=ignore_empty, min_size=min_size,
                         **kwargs)
        self.placeholder_shape = (None if placeholder_shape is None else
                                  tuple(placeholder_shape))
        self.placeholder_value = placeholder_value
        self.skip_counter = SkipCounter(name=self.__class__.__name__)

    def _read_bytes(self, filename: str) -> Optional[bytes]:
        """File bytes, or ``None`` when the file cannot be read."""
        try:
            if getattr(self, 'file_client_args', None) is not None:
                client = fileio.FileClient.infer_client(
                    self.file_client_args, filename)
                return client.get(filename)
            return fileio.get(filename, backend_args=self.backend_args)
        except (OSError, ValueError):
            return None

    def _placeholder(self) -> np.ndarray:
        shape = self.placeholder_shape
        if self.color_type != 'grayscale':
            shape = shape + (3, )
        return np.full(shape, self.placeholder_value, dtype=np.uint8)

    def _convert_loaded(self, img: np.ndarray) -> np.ndarray:
        """Convert an already decoded image to ``color_type``."""
        if self.color_type == 'grayscale' and img.ndim == 3:
            # (H, W, 3) BGR -> (H, W)
            return mmcv.bgr2gray(img) if img.shape[2] == 3 else img[..., 0]
        if self.color_type == 'color' and img.ndim == 2:
            return mmcv.gray2bgr(img)  # (H, W) -> (H, W, 3)
        return img

    def transform(self, results: dict) -> Optional[dict]:
        """Load the image (or adopt an already decoded one).

        Args:
            results (dict): Must contain ``img_path`` or ``img``.

        Returns:
            dict or None: ``results`` with the image, or ``None`` for a bad
            file (unless ``placeholder_shape`` is set).
        """
        filename = str(results.get('img_path'))
        try:
            if results.get('img') is not None:
                img = self._convert_loaded(results['img'])
                if min(img.shape[:2]) < max(self.min_size, 1):
                    raise BadImageError('too small')
            else:
                img = decode_image_bytes(
                    self._read_bytes(filename),
                    color_type=self.color_type,
                    backend=self.imdecode_backend,
                    min_size=max(self.min_size, 1))
        except BadImageError as err:
            self.skip_counter.skip(filename, err.reason)
            if not self.ignore_empty:
                raise IOError(f'{filename} is bad: {err.reason}') from err
            if self.placeholder_shape is None:
                return None
            img = self._placeholder()
        return self._set_img(results, img)

    def _set_img(self, results: dict, img: np.ndarray) -> dict:
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (super().__repr__().rstrip(')') +
                f', placeholder_shape={self.placeholder_shape})')
