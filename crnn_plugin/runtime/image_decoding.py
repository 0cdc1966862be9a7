"""Vetting and strict decoding of encoded image bytes (JPEG, PNG, ...).

The one place where untrusted image bytes become pixels: datasets,
transforms, the LMDB writer and the inference input
(:mod:`crnn_plugin.runtime.image_input`) all decode through
:func:`decode_image_bytes`.

Before anything is decoded, Pillow reads only the header
(:func:`vet_image_bytes`): bytes it cannot identify, files over
``max_bytes`` and images over ``max_pixels`` are refused, so a small
"decompression bomb" (a 30000x30000 PNG of a few hundred KB) never reaches
a decoder, and OpenCV never sees a file that Pillow could not vet.
OpenCV's decoder returns ``None`` or raises for some bad inputs, and
silently decodes a *truncated* JPEG into a half-grey image; every such
case becomes one :class:`BadImageError` with a short reason, so callers
can skip and count bad entries the same way. GIFs (which this OpenCV build
does not read) are decoded by Pillow, first frame.
"""
import io
import re
import warnings
from typing import NamedTuple, Optional, Tuple

import cv2
import numpy as np

__all__ = [
    'BadImageError', 'ImageHeader', 'DEFAULT_MAX_PIXELS', 'DEFAULT_MAX_BYTES',
    'image_header', 'vet_image_bytes', 'decode_image_bytes'
]

_JPEG_SOI = b'\xff\xd8'
_JPEG_EOI = b'\xff\xd9'
_PNG_MAGIC = b'\x89PNG\r\n\x1a\n'
_PNG_IEND = b'IEND'
# PIL modes that carry transparency.
_ALPHA_MODES = ('RGBA', 'LA', 'PA', 'RGBa', 'La')
# ``mmcv.imread_flags`` of the OpenCV backend.
_CV2_FLAGS = dict(color=cv2.IMREAD_COLOR, grayscale=cv2.IMREAD_GRAYSCALE,
                  unchanged=cv2.IMREAD_UNCHANGED)

#: Pixel budget: larger images are refused before decoding (50 Mpx, a
#: 7000x7000 scan; about 150 MB as BGR).
DEFAULT_MAX_PIXELS = 50_000_000
#: Encoded size budget (64 MiB; word and staff crops are KBs).
DEFAULT_MAX_BYTES = 64 * 2**20


class BadImageError(ValueError):
    """Raised when encoded image bytes cannot be turned into an image.

    Args:
        reason (str): Short reason, used as a skip-counter key (e.g.
            ``'empty file'``, ``'truncated'``, ``'not decodable'``).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImageHeader(NamedTuple):
    """What the header of an image says (nothing decoded).

    Attributes:
        width (int): Width in pixels.
        height (int): Height in pixels.
        has_alpha (bool): Whether it carries transparency.
        format (str): Pillow's format name, e.g. ``'PNG'``.
    """
    width: int
    height: int
    has_alpha: bool
    format: str


def _read_header(data: bytes) -> ImageHeader:
    """Pillow's lazy header parse; raises :class:`BadImageError`."""
    from PIL import Image
    try:
        with warnings.catch_warnings():  # DecompressionBombWarning
            warnings.simplefilter('ignore')
            with Image.open(io.BytesIO(data)) as img:
                alpha = img.mode in _ALPHA_MODES or (
                    img.mode == 'P' and 'transparency' in img.info)
                return ImageHeader(img.size[0], img.size[1], alpha,
                                   str(img.format))
    except Image.DecompressionBombError as err:  # > 2x Pillow's own limit
        pixels = re.search(r'\d+', str(err))
        raise BadImageError(
            f'too large ({pixels.group() if pixels else "too many"} px)')
    except Exception:  # not identifiable by Pillow
        raise BadImageError('not decodable')


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
        return tuple(_read_header(data)[:3])
    except BadImageError:
        return None


def vet_image_bytes(data: bytes,
                    max_pixels: int = DEFAULT_MAX_PIXELS,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> ImageHeader:
    """Check encoded bytes before decoding: size, format, pixel count.

    Args:
        data (bytes): Encoded image bytes.
        max_pixels (int): Most pixels (width x height) accepted.
            Defaults to :data:`DEFAULT_MAX_PIXELS`.
        max_bytes (int): Most encoded bytes accepted. Defaults to
            :data:`DEFAULT_MAX_BYTES`.

    Returns:
        ImageHeader: The header of an image that may be decoded.

    Raises:
        BadImageError: ``'empty file'``, ``'file too large (...)'``,
            ``'not decodable'`` (Pillow cannot identify it) or
            ``'too large (...)'``.

    Example:
        >>> vet_image_bytes(b'GIF89a' + bytes(20))
        Traceback (most recent call last):
        ...
        crnn_plugin.runtime.image_decoding.BadImageError: not decodable
    """
    if len(data) == 0:
        raise BadImageError('empty file')
    if len(data) > max_bytes:
        raise BadImageError(f'file too large ({len(data)} bytes, limit '
                            f'{max_bytes} bytes)')
    header = _read_header(data)
    if header.width * header.height > max_pixels:
        raise BadImageError(f'too large ({header.width}x{header.height} px, '
                            f'limit {max_pixels} px)')
    if header.width < 1 or header.height < 1:
        raise BadImageError('too small')
    return header


def _decode_with_pillow(data: bytes, color_type: str) -> np.ndarray:
    """First frame of an image OpenCV cannot read (GIF), as OpenCV would
    return it: grayscale (H, W), BGR (H, W, 3) or BGRA (H, W, 4)."""
    from PIL import Image
    with Image.open(io.BytesIO(data)) as img:
        img.seek(0)
        alpha = img.mode in _ALPHA_MODES or 'transparency' in img.info
        if color_type == 'grayscale':
            return np.asarray(img.convert('L'))
        if color_type == 'unchanged' and alpha:
            return cv2.cvtColor(np.asarray(img.convert('RGBA')),
                                cv2.COLOR_RGBA2BGRA)
        return cv2.cvtColor(np.asarray(img.convert('RGB')),
                            cv2.COLOR_RGB2BGR)


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
                       min_size: int = 1,
                       max_pixels: int = DEFAULT_MAX_PIXELS,
                       max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """Vet and decode image bytes, or raise :class:`BadImageError`.

    Args:
        img_bytes (bytes, optional): Encoded image; ``None`` means the entry
            is missing.
        color_type (str): ``'color'`` (H, W, 3) BGR, ``'grayscale'`` (H, W)
            or ``'unchanged'``. Defaults to ``'color'``.
        backend (str): ``'cv2'`` (``cv2.imdecode``, what
            :func:`mmcv.imfrombytes` runs for it) or another backend of
            :func:`mmcv.imfrombytes` (imports mmcv). Defaults to ``'cv2'``.
        min_size (int): Minimum accepted height and width. Defaults to 1.
        max_pixels (int): See :func:`vet_image_bytes`.
        max_bytes (int): See :func:`vet_image_bytes`.

    Returns:
        np.ndarray: The image, uint8 (uint16 for 16-bit files with
        ``'unchanged'``), shape (H, W) or (H, W, C).

    Raises:
        BadImageError: With reason ``'missing'``, ``'empty file'``,
            ``'truncated'``, ``'not decodable'``, ``'too small'`` or one
            of :func:`vet_image_bytes`.

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
    header = vet_image_bytes(img_bytes, max_pixels, max_bytes)
    try:
        if header.format == 'GIF':
            img = _decode_with_pillow(img_bytes, color_type)
        elif backend == 'cv2' and color_type in _CV2_FLAGS:
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
