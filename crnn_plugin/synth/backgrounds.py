"""Backgrounds and natural-image crops for the word renderer.

Five kinds, as float32 arrays in [0, 1] of shape (H, W, C): flat colour, linear
two-colour gradient, procedural texture (smooth value noise mixing two colours,
optionally with fine grain), a crop of a natural photograph, and a man-made
surface pattern (bricks or tiles, window grids, corrugated stripes, wavy
caustic lines) whose edges are thin and straight or curved like pen strokes, as
on walls, facades, containers and water behind real text. The photographs are
the ones bundled with scikit-image (an MMOCR dependency, so always installed
and offline); images that show text (``skimage.data.text``, ``page``) are not
used, so backgrounds never carry unlabeled letters.
"""
from functools import lru_cache
from typing import Tuple

import cv2
import numpy as np

#: ``skimage.data`` photographs shipped inside the scikit-image wheel.
NATURAL_IMAGES: Tuple[str, ...] = (
    'astronaut', 'brick', 'camera', 'chelsea', 'clock', 'coffee', 'coins',
    'grass', 'gravel', 'hubble_deep_field', 'immunohistochemistry', 'moon',
    'retina', 'rocket')

#: ITU-R BT.601 luma weights (R, G, B).
LUMA = np.array([0.299, 0.587, 0.114], np.float32)


@lru_cache(maxsize=2)
def natural_images(channels: int = 3) -> Tuple[np.ndarray, ...]:
    """The bundled photographs as uint8 (H, W, C) arrays (cached).

    Args:
        channels (int): 3 (RGB) or 1 (luma).

    Returns:
        tuple[np.ndarray, ...]: Images that could be loaded (names that a
        scikit-image version lacks are skipped).
    """
    import skimage.data
    images = []
    for name in NATURAL_IMAGES:
        loader = getattr(skimage.data, name, None)
        try:
            img = np.asarray(loader()) if loader else None
        except Exception:  # a version may need a download for some names
            img = None
        if img is None or img.dtype != np.uint8:
            continue
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=2)
        img = np.ascontiguousarray(img[..., :3])
        if channels == 1:
            img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)[..., None]
        images.append(img)
    return tuple(images)


def natural_crop(rng: np.random.Generator, height: int, width: int,
                 channels: int = 3) -> np.ndarray:
    """A random crop of a random photograph, resized to (height, width).

    Args:
        rng (np.random.Generator): Randomness.
        height, width (int): Output size.
        channels (int): 1 or 3. Defaults to 3.

    Returns:
        np.ndarray: float32 (height, width, channels) in [0, 1]; mid-grey
        if no photograph is available.
    """
    images = natural_images(channels)
    if not images:
        return np.full((height, width, channels), 0.5, np.float32)
    img = images[int(rng.integers(len(images)))]
    ih, iw = img.shape[:2]
    ch = int(rng.integers(min(ih, 24), min(ih, 160) + 1))
    cw = min(iw, max(1, int(round(ch * width / height))))
    y = int(rng.integers(ih - ch + 1))
    x = int(rng.integers(iw - cw + 1))
    crop = img[y:y + ch, x:x + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    out = cv2.resize(np.ascontiguousarray(crop), (width, height),
                     interpolation=cv2.INTER_AREA)
    return out.reshape(height, width, channels).astype(np.float32) / 255


def gradient(rng: np.random.Generator, height: int, width: int,
             color_a: np.ndarray, color_b: np.ndarray) -> np.ndarray:
    """Linear gradient from ``color_a`` to ``color_b`` at a random angle.

    Returns:
        np.ndarray: float32 (height, width, C).
    """
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = xs * np.cos(angle) + ys * np.sin(angle)
    t -= t.min()
    t /= max(float(t.max()), 1e-6)
    return color_a + t[..., None] * (color_b - color_a)


def value_noise(rng: np.random.Generator, height: int,
                width: int) -> np.ndarray:
    """Smooth random field in [0, 1]: a coarse random grid upsampled.

    Returns:
        np.ndarray: float32 (height, width).
    """
    cell = rng.uniform(3, 16)
    gh = max(2, int(height / cell) + 2)
    gw = max(2, int(width / cell) + 2)
    grid = rng.random((gh, gw), dtype=np.float32)
    field = cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
    return np.clip(field, 0, 1)


def texture(rng: np.random.Generator, height: int, width: int,
            color_a: np.ndarray, color_b: np.ndarray) -> np.ndarray:
    """Two colours mixed by value noise, with fine grain half the time.

    Returns:
        np.ndarray: float32 (height, width, C).
    """
    field = value_noise(rng, height, width)
    if rng.random() < 0.5:
        field = 0.7 * field + 0.3 * rng.random((height, width),
                                               dtype=np.float32)
    return color_a + field[..., None] * (color_b - color_a)


def _bricks(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Staggered rows of blocks (bricks, tiles) with joint lines: 1 = joint."""
    row = rng.uniform(5, 40)
    block = row * rng.uniform(1.0, 4.0)
    joint = rng.uniform(0.8, 3.0)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ys += rng.uniform(0, row)
    r = np.floor(ys / row)
    shift = rng.uniform(0, 1) if rng.random() < 0.7 else 0.0
    xs = xs + rng.uniform(0, block) + r * shift * block
    return ((np.mod(ys, row) < joint) | (np.mod(xs, block) < joint)
            ).astype(np.float32)


def _windows(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A grid of rectangles on a facade: 1 = inside a window."""
    period_y, period_x = rng.uniform(6, 40), rng.uniform(4, 40)
    fill_y, fill_x = rng.uniform(0.3, 0.8, 2)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ys = np.mod(ys + rng.uniform(0, period_y), period_y) / period_y
    xs = np.mod(xs + rng.uniform(0, period_x), period_x) / period_x
    return ((ys < fill_y) & (xs < fill_x)).astype(np.float32)


def _stripes(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Parallel bands (corrugated metal, blinds, fences) at a random angle."""
    period = rng.uniform(3, 24)
    angle = rng.uniform(-0.3, 0.3) + (np.pi / 2 if rng.random() < 0.6 else 0)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    t = (xs * np.cos(angle) + ys * np.sin(angle)) * (2 * np.pi / period)
    wave = 0.5 + 0.5 * np.sin(t + rng.uniform(0, 2 * np.pi))
    if rng.random() < 0.5:  # sharp bands rather than smooth ridges
        wave = (wave > rng.uniform(0.3, 0.7)).astype(np.float32)
    return wave.astype(np.float32)


def _caustics(rng: np.random.Generator, height: int,
              width: int) -> np.ndarray:
    """Wavy lines where smooth noise crosses a level (light on water)."""
    field = value_noise(rng, height, width)
    width_px = rng.uniform(0.02, 0.08)
    lines = np.zeros_like(field)
    for level in rng.uniform(0.2, 0.8, int(rng.integers(1, 4))):
        lines = np.maximum(lines, np.clip(
            1 - np.abs(field - level) / width_px, 0, 1))
    return lines


_PATTERNS = (_bricks, _windows, _stripes, _caustics)


def pattern(rng: np.random.Generator, height: int, width: int,
            color_a: np.ndarray, color_b: np.ndarray) -> np.ndarray:
    """A man-made surface: ``color_a`` with a random pattern in ``color_b``.

    The pattern (bricks/tiles, window grid, stripes or caustic lines) is
    drawn at output scale, so its edges are about as thin as the strokes,
    softened by a small blur and shaded by smooth noise half the time.

    Returns:
        np.ndarray: float32 (height, width, C).
    """
    make = _PATTERNS[int(rng.integers(len(_PATTERNS)))]
    field = make(rng, height, width)  # (height, width) in [0, 1]
    field = cv2.GaussianBlur(field, (0, 0), rng.uniform(0.3, 1.2))
    if rng.random() < 0.5:
        field = np.clip(field + rng.uniform(0.2, 0.6)
                        * (value_noise(rng, height, width) - 0.5), 0, 1)
    return color_a + field[..., None] * (color_b - color_a)
