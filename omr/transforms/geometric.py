"""Geometric score augmentations: crop margins, scale, rotation, perspective.

Sizes are in staff spaces (image height / ``staff_spaces``); the canvas
grows with paper colour so that no ink leaves the image (except the margin
crop, which only removes empty lines).
"""
import cv2
import numpy as np
from mmocr.registry import TRANSFORMS

from .base import Range, ScoreTransform, paper_and_ink, warp_corners

__all__ = [
    'ScoreMarginJitter', 'ScoreScale', 'ScoreRotate', 'ScorePerspective'
]


@TRANSFORMS.register_module()
class ScoreMarginJitter(ScoreTransform):
    """Random crop margins: each side grows or shrinks by up to a limit.

    Margins grow with paper colour; they shrink only over empty lines, so no
    notehead is cut: rows with at most ``max(2, 1% W)`` ink pixels (outer
    margin rows, stem tips), columns with at most the median column's ink
    + 1 (bare staff lines). Ink: darker than half-way paper -> ink.

    Args:
        vertical (float): Top/bottom change limit (staff spaces).
            Defaults to 1.
        horizontal (float): Left/right change limit (staff spaces).
            Defaults to 2.
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, vertical: float = 1.0, horizontal: float = 2.0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.vertical, self.horizontal = vertical, horizontal

    @staticmethod
    def _empty_run(counts: np.ndarray, limit: float) -> int:
        """Length of the leading run of ``counts <= limit``."""
        full = np.flatnonzero(counts > limit)
        return int(full[0]) if full.size else len(counts)

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        gray = img if img.ndim == 2 else img.min(axis=2)
        paper, ink = paper_and_ink(gray)
        dark = gray < (paper[0] + ink[0]) / 2  # (H, W) bool
        rows, cols = dark.sum(axis=1), dark.sum(axis=0)
        row_lim, col_lim = max(2, 0.01 * w), np.median(cols) + 1
        space = self.space(img)
        change = np.round(
            rng.uniform(-1, 1, 4) * space *
            np.array([self.vertical] * 2 + [self.horizontal] * 2)).astype(int)
        # top, bottom, left, right: negative = crop (never past empty lines)
        limits = (self._empty_run(rows, row_lim),
                  self._empty_run(rows[::-1], row_lim),
                  self._empty_run(cols, col_lim),
                  self._empty_run(cols[::-1], col_lim))
        top, bottom, left, right = (max(int(c), -min(lim, n // 4))
                                    for c, lim, n in zip(change, limits,
                                                         (h, h, w, w)))
        img = img[max(-top, 0):h - max(-bottom, 0),
                  max(-left, 0):w - max(-right, 0)]
        pad = [max(top, 0), max(bottom, 0), max(left, 0), max(right, 0)]
        if any(pad):
            fill = paper_and_ink(img)[0]
            value = tuple(float(v) for v in fill) if img.ndim == 3 else \
                float(fill[0])
            img = cv2.copyMakeBorder(img, *pad, cv2.BORDER_CONSTANT,
                                     value=value)
        return img


@TRANSFORMS.register_module()
class ScoreScale(ScoreTransform):
    """Resize by a random factor and aspect ratio (paper: "scaled").

    Args:
        scale (Range): Height factor. Defaults to (0.5, 1.5).
        aspect (Range): Extra width factor (note spacing). Defaults to
            (0.8, 1.25).
        min_height (int): Smallest output height. Defaults to 16.
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, scale: Range = (0.5, 1.5),
                 aspect: Range = (0.8, 1.25), min_height: int = 16,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.scale, self.aspect, self.min_height = scale, aspect, min_height

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        sy = rng.uniform(*self.scale)
        sx = sy * np.exp(rng.uniform(*np.log(self.aspect)))
        nh = max(self.min_height, round(h * sy))
        nw = max(1, round(w * sx))
        interp = cv2.INTER_AREA if nh < h else cv2.INTER_LINEAR
        return cv2.resize(img, (nw, nh), interpolation=interp)


@TRANSFORMS.register_module()
class ScoreRotate(ScoreTransform):
    """Rotate by a small random angle; the canvas grows to keep all ink.

    Args:
        max_angle (float): Angles are uniform in +-``max_angle`` degrees.
            Defaults to 3.
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, max_angle: float = 3.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_angle = max_angle

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        angle = np.deg2rad(rng.uniform(-self.max_angle, self.max_angle))
        rot = np.array([[np.cos(angle), -np.sin(angle)],
                        [np.sin(angle), np.cos(angle)]], np.float32)
        corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        return warp_corners(img, corners @ rot.T)


@TRANSFORMS.register_module()
class ScorePerspective(ScoreTransform):
    """Phone-camera perspective: each corner moves at random.

    Args:
        max_shift (float): Corner shift limit in staff spaces (x and y).
            Defaults to 1.
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, max_shift: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_shift = max_shift

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        shift = rng.uniform(-1, 1, (4, 2)) * self.max_shift * self.space(img)
        corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        return warp_corners(img, corners + shift.astype(np.float32))
