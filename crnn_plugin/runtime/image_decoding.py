"""Strict decoding of encoded image bytes (JPEG, PNG, ...).

OpenCV's decoder returns ``None`` or raises for some bad inputs, and
silently decodes a *truncated* JPEG into a half-grey image. The
helper here turns every such case into one exception with a short reason,
so datasets, transforms and the LMDB writer can skip and count bad entries
the same way.
"""
import io
from typing import Optional, Tuple

import cv2
import numpy as np

_JPEG_SOI = b'\xff\xd8'
_JPEG_EOI = b'\xff\xd9'
_PNG_MAGIC = b'\x89PNG\r\n\x1a\n'
_PNG_IEND = b'IEND'
# PIL modes that carry transparency.
_ALPHA_MODES = ('RGBA', 'LA', 'PA', 'RGBa', 'La')
# ``mmcv.imread_flags`` of the OpenCV backend.
_CV2_FLAGS = dict(color=cv2.IMREAD_COLOR, grayscale=cv2.IMREAD_GRAYSCALE,
                  unchanged=cv2.IMREAD_UNCHANGED)


class BadImageError(ValueError):
    """Raised when encoded image bytes cannot be turned into an image.

    Args:
        reason (str): Short reason, used as a skip-counter key (e.g.
            ``'empty file'``, ``'truncated'``, ``'not decodable'``).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def image_header(data: bytes) -> Optional[Tuple[int, int, bool]]:
    """``(width, height, has_alpha)`` from the image header, if PIL can.

    Only the header is parsed (Pillow opens lazily): no pixel decoding.

    Args:
        data (bytes): Encoded image bytes.

    Returns:
        tuple or None: ``(width, height, has_alpha)``; None when PIL cannot
        identify the bytes.
    """
    try:
        from PIL import Image
        with Image.open(io.BytesIO(data)) as img:
            alpha = img.mode in _ALPHA_MODES or (
                img.mode == 'P' and 'transparency' in img.info)
            return img.size[0], img.size[1], alpha
    except Exception:  # not identifiable by PIL
        return None


def _truncation_reason(img_bytes: bytes) -> Optional[str]:
    """Return ``'truncated'`` if a JPEG/PNG lacks its end marker.

    Only the tail is inspected (trailing NUL/whitespace padding is allowed),
    so the check is cheap.
    """
    tail = img_bytes[-64:].rstrip(b'\x00\r\n\t ')
    if img_bytes.startswith(_JPEG_SOI) and not tail.endswith(_JPEG_EOI):
        return 'truncated'
    if img_bytes.startswith(_PNG_MAGIC) and _PNG_IEND not in tail:
        return 'truncated'
    return None


def decode_image_bytes(img_bytes: Optional[bytes],
                       color_type: str = 'color',
                       backend: str = 'cv2',
                       min_size: int = 1) -> np.ndarray:
    """Decode image bytes or raise :class:`BadImageError`.

    Args:
        img_bytes (bytes, optional): Encoded image; ``None`` means the entry
            is missing.
        color_type (str): ``'color'`` (H, W, 3) BGR, ``'grayscale'`` (H, W)
            or ``'unchanged'``. Defaults to ``'color'``.
        backend (str): ``'cv2'`` (``cv2.imdecode``, what
            :func:`mmcv.imfrombytes` runs for it) or another backend of
            :func:`mmcv.imfrombytes` (imports mmcv). Defaults to ``'cv2'``.
        min_size (int): Minimum accepted height and width. Defaults to 1.

    Returns:
        np.ndarray: The image, uint8, shape (H, W) or (H, W, C).

    Raises:
        BadImageError: With reason ``'missing'``, ``'empty file'``,
            ``'truncated'``, ``'not decodable'`` or ``'too small'``.

    Example:
        >>> decode_image_bytes(b'')
        Traceback (most recent call last):
        ...
        crnn_plugin.runtime.image_decoding.BadImageError: empty file
    """
    if img_bytes is None:
        raise BadImageError('missing')
    img_bytes = bytes(img_bytes)
    if len(img_bytes) == 0:
        raise BadImageError('empty file')
    reason = _truncation_reason(img_bytes)
    if reason is not None:
        raise BadImageError(reason)
    try:
        if backend == 'cv2' and color_type in _CV2_FLAGS:
            img = cv2.imdecode(
                np.frombuffer(img_bytes, np.uint8), _CV2_FLAGS[color_type])
        else:
            import mmcv
            img = mmcv.imfrombytes(img_bytes, flag=color_type,
                                   backend=backend)
    except Exception:  # cv2.error, PIL.UnidentifiedImageError, ...
        img = None
    if img is None or img.size == 0:
        raise BadImageError('not decodable')
    if min(img.shape[:2]) < min_size:
        raise BadImageError('too small')
    return img
