"""Reading and resizing word images for inference (never a traceback).

Every way an input can be bad -- missing, unreadable, empty, not an image,
truncated, too many bytes or pixels, an unsupported pixel type -- raises
:class:`ImageInputError` with a one-line reason. Encoded inputs are vetted
and decoded by :mod:`crnn_plugin.runtime.image_decoding` (the header is
checked by Pillow before any pixel is decoded). Images that are merely
unusual are converted: 16-bit images are scaled to 8 bits, palette images
expanded, and images with an alpha channel composited over white (so black
text on a transparent background stays readable, where a plain grayscale
conversion would turn the whole image black).

The resize follows the test pipeline of our configs (MMOCR 1.0.1
``RescaleToHeight``: height 32, ``ceil`` of the proportional width, at least
``min_width``, rounded to ``width_divisor``; OpenCV bilinear), so an image
gives the same tensor here as in ``tools/test.py``.
"""
import math
import os
from typing import Optional, Union

import cv2
import numpy as np

from .image_decoding import (DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS,
                             BadImageError, decode_image_bytes,
                             vet_image_bytes)
from .staff import StaffNotFound, normalize_staff

__all__ = [
    'IMAGE_EXTENSIONS', 'ImageInputError', 'ImageSource', 'describe',
    'read_image',
    'target_width', 'rescale', 'load_resized'
]

ImageSource = Union[str, os.PathLike, bytes, np.ndarray]

# File name endings of images in a folder given to the tools.
IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp',
                    '.pgm', '.ppm', '.pbm', '.gif')


class ImageInputError(ValueError):
    """An input that cannot be recognized, with a short reason.

    Args:
        source (str): The path (or a description of an in-memory input).
        reason (str): Why it failed, e.g. ``'empty file'``.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f'{source}: {reason}')
        self.source = source
        self.reason = reason


def describe(source: ImageSource) -> str:
    """A printable name for an input (its path, or its type and size)."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, np.ndarray):
        return f'<array {source.shape} {source.dtype}>'
    return f'<{type(source).__name__} of {len(source)} bytes>'


def read_image(source: ImageSource,
               color_type: str = 'grayscale',
               max_pixels: int = DEFAULT_MAX_PIXELS,
               max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """Decode an input into a uint8 grayscale or BGR image.

    Encoded images without transparency are decoded by OpenCV with the
    given ``color_type``, exactly as the test pipeline's loader does.

    Args:
        source (str | PathLike | bytes | np.ndarray): A file path, encoded
            image bytes, or a decoded image: (H, W) grayscale, (H, W, 3)
            BGR or (H, W, 4) BGRA (OpenCV's channel order), uint8/uint16.
        color_type (str): ``'grayscale'`` (H, W) or ``'color'``
            (H, W, 3) BGR. Defaults to ``'grayscale'``.
        max_pixels (int): Larger images are refused before decoding.
            Defaults to 50 million.
        max_bytes (int): Larger files are refused before reading.
            Defaults to 64 MiB.

    Returns:
        np.ndarray: uint8, shape (H, W) or (H, W, 3).

    Raises:
        ImageInputError: For every unusable input.
    """
    name = describe(source)
    if isinstance(source, np.ndarray):
        img = source
    else:
        data = source
        if isinstance(source, (str, os.PathLike)):
            try:
                with open(source, 'rb') as f:
                    # one byte over the cap is enough to refuse it
                    data = f.read(max_bytes + 1)
            except (OSError, ValueError) as err:  # missing, a directory,
                # no permission, a NUL byte in the path
                raise ImageInputError(name, getattr(err, 'strerror', None)
                                      or str(err))
        try:
            header = vet_image_bytes(data, max_pixels, max_bytes)
            # Transparent images need their alpha channel; others decode
            # straight to what the test pipeline sees.
            flag = 'unchanged' if header.has_alpha else color_type
            img = decode_image_bytes(data, flag, max_pixels=max_pixels,
                                     max_bytes=max_bytes)
        except BadImageError as err:
            raise ImageInputError(name, err.reason)
    if img.ndim not in (2, 3) or img.size == 0 or (img.ndim == 3 and
                                                   img.shape[2] > 4):
        raise ImageInputError(name, f'unsupported shape {img.shape}')
    if img.shape[0] * img.shape[1] > max_pixels:
        raise ImageInputError(name, f'too large ({img.shape[1]}x'
                              f'{img.shape[0]} px, limit {max_pixels} px)')
    if img.dtype == np.uint16:
        img = (img >> 8).astype(np.uint8)
    elif img.dtype != np.uint8:
        raise ImageInputError(name, f'unsupported pixel type {img.dtype}')
    img = _flatten_alpha(img)
    if color_type == 'grayscale':
        return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return img if img.ndim == 3 else cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)


def _flatten_alpha(img: np.ndarray) -> np.ndarray:
    """Composite gray+alpha / BGRA over white; drop a single channel."""
    if img.ndim == 2 or img.shape[2] == 3:
        return img
    if img.shape[2] == 1:
        return img[:, :, 0]
    color, alpha = img[:, :, :-1], img[:, :, -1:].astype(np.float32) / 255.
    out = color.astype(np.float32) * alpha + 255. * (1. - alpha)
    out = np.rint(out).astype(np.uint8)
    return out[:, :, 0] if out.shape[2] == 1 else out


def target_width(ori_height: int,
                 ori_width: int,
                 height: int = 32,
                 min_width: Optional[int] = 100,
                 max_width: Optional[int] = None,
                 width_divisor: int = 1,
                 width_scale: float = 1.0) -> int:
    """Width after :func:`rescale` (MMOCR ``RescaleToHeight``'s rule).

    Args:
        ori_height (int): Input height.
        ori_width (int): Input width.
        height (int): Output height. Defaults to 32.
        min_width (int, optional): Minimum output width. Defaults to 100.
        max_width (int, optional): Maximum output width. Defaults to None.
        width_divisor (int): The width is rounded to a multiple of it.
            Defaults to 1.
        width_scale (float): Factor on the ratio-kept width, before the
            limits (``StretchedRescaleToHeight``). Defaults to 1.

    Returns:
        int: The output width.

    Example:
        >>> target_width(64, 300), target_width(32, 40), target_width(7, 50)
        (150, 100, 229)
    """
    width = math.ceil(float(height) / ori_height * ori_width * width_scale)
    if min_width is not None:
        width = max(min_width, width)
    if max_width is not None:
        width = min(max_width, width)
    if width % width_divisor != 0:
        width = round(width / width_divisor) * width_divisor
    return width


def rescale(img: np.ndarray, width: int, height: int = 32) -> np.ndarray:
    """Resize to ``(height, width)``, OpenCV bilinear (as ``mmcv.imresize``).

    Args:
        img (np.ndarray): (H, W) or (H, W, C) image.
        width (int): Output width, e.g. from :func:`target_width`.
        height (int): Output height. Defaults to 32.

    Returns:
        np.ndarray: The resized image.
    """
    return cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)


def load_resized(source: ImageSource,
                 params,
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 max_width: int = 4096,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """Read an input and resize it by a config's test pipeline.

    A model trained on staff-normalised input (``params.staff``) gets the
    crop of :func:`~crnn_plugin.runtime.staff.normalize_staff` (the image
    as it is when no staff is found) before the resize.

    Args:
        source (str | PathLike | bytes | np.ndarray): The image.
        params (PipelineParams): Color mode and resize rule.
        max_pixels (int): See :func:`read_image`. Defaults to 50 million.
        max_width (int): Inputs wider than this after resizing are refused
            (memory). Defaults to 4096.
        max_bytes (int): See :func:`read_image`. Defaults to 64 MiB.

    Returns:
        np.ndarray: uint8, (H, W) grayscale or (H, W, 3) BGR.

    Raises:
        ImageInputError: If the input is unusable.
    """
    img = read_image(source, params.color_type, max_pixels, max_bytes)
    if getattr(params, 'staff', None):
        try:
            img = normalize_staff(img, **params.staff)
        except StaffNotFound:
            pass  # no staff found: read the image as it is
    if params.fixed_width:
        width = params.fixed_width
    else:
        width = target_width(img.shape[0], img.shape[1], params.height,
                             params.min_width, params.max_width,
                             params.width_divisor, params.width_scale)
    if width > max_width:
        raise ImageInputError(
            describe(source), f'too wide: {width} px at height '
            f'{params.height} (limit max_width={max_width})')
    return rescale(img, width, params.height)
