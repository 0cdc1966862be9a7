"""Base class and image helpers of the score augmentations.

Randomness: a transform draws from ``results['score_rng']`` when the
caller puts a ``np.random.Generator`` there (see
:func:`omr.transforms.augment_score_image`: same image + same seed -> same
output, in any process or order); otherwise from its own generator, made on
first use in each process from ``seed`` (mixed with the dataloader worker
id) or, with ``seed=None``, from NumPy's global state (which MMEngine seeds
per worker from ``randomness.seed``).
"""
import os
from typing import Optional, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

__all__ = [
    'RNG_KEY', 'Range', 'paper_and_ink', 'to_float', 'to_uint8',
    'warp_corners', 'ScoreTransform'
]

#: Key of an optional shared ``np.random.Generator`` in ``results``.
RNG_KEY = 'score_rng'
Range = Tuple[float, float]


def paper_and_ink(img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Paper (90th percentile) and ink (1st percentile) level per channel.

    Returns:
        tuple(np.ndarray, np.ndarray): float32 arrays of shape (C,), 0..255.
    """
    sample = img[::2, ::2].reshape(-1, 1 if img.ndim == 2 else img.shape[2])
    ink, paper = np.percentile(sample, [1, 90], axis=0).astype(np.float32)
    return paper, ink


def to_float(img: np.ndarray) -> np.ndarray:
    """uint8 (H, W[, C]) -> float32 (H, W, C) in [0, 1]."""
    out = img.astype(np.float32) * (1 / 255)
    return out[..., None] if out.ndim == 2 else out  # (H, W) -> (H, W, 1)


def to_uint8(img: np.ndarray) -> np.ndarray:
    """float32 (H, W, C) in [0, 1] -> uint8 (H, W) if C = 1, else (H, W, C)."""
    out = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
    return out[..., 0] if out.shape[2] == 1 else out  # (H, W, 1) -> (H, W)


def warp(img: np.ndarray, matrix: np.ndarray, size: Tuple[int, int],
         fill: np.ndarray) -> np.ndarray:
    """Projective warp onto ``size`` = (w, h), outside filled with paper."""
    border = tuple(float(v) for v in fill) if fill.size > 1 else float(fill[0])
    out = cv2.warpPerspective(img, matrix, size, flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT,
                              borderValue=border)
    return out


def warp_corners(img: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Warp the image corners onto ``dst`` (4x2: tl, tr, br, bl), shifted
    so that the whole warped image fits its bounding box."""
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = dst - dst.min(axis=0)
    size = np.ceil(dst.max(axis=0)).astype(int)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    return warp(img, matrix, (max(int(size[0]), 1), max(int(size[1]), 1)),
                paper_and_ink(img)[0])


class ScoreTransform(BaseTransform):
    """Base: applies :meth:`apply` with probability ``prob``.

    Args:
        prob (float): Probability of applying the transform. Defaults to 1.
        seed (int, optional): Seed of the transform's own generator (used
            when ``results`` has no ``score_rng``). Defaults to None.
        staff_spaces (float): Staff spaces spanned by the image height.
            Defaults to 10.
    """

    def __init__(self, prob: float = 1.0, seed: Optional[int] = None,
                 staff_spaces: float = 10.0) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob, self.seed, self.staff_spaces = prob, seed, staff_spaces
        self._rng: Optional[np.random.Generator] = None
        self._pid: Optional[int] = None

    def rng(self, results: dict) -> np.random.Generator:
        """The shared generator of ``results``, else this process's own."""
        shared = results.get(RNG_KEY)
        if shared is not None:
            return shared
        if self._rng is None or self._pid != os.getpid():
            import torch.utils.data
            info = torch.utils.data.get_worker_info()
            worker = 0 if info is None else info.id + 1
            entropy = int(np.random.randint(0, 2**31 - 1)) if \
                self.seed is None else [self.seed, worker]
            self._rng = np.random.default_rng(entropy)
            self._pid = os.getpid()
        return self._rng

    def transform(self, results: dict) -> dict:
        """Maybe augment ``results['img']``."""
        rng = self.rng(results)
        if self.prob < 1 and rng.random() >= self.prob:
            return results
        img = self.apply(results['img'], rng)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        return results

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Augment one uint8 image (always applied)."""
        raise NotImplementedError

    def space(self, img: np.ndarray) -> float:
        """One staff space in pixels."""
        return img.shape[0] / self.staff_spaces

    def __repr__(self) -> str:
        args = ', '.join(f'{k}={v!r}' for k, v in vars(self).items()
                         if not k.startswith('_'))
        return f'{type(self).__name__}({args})'
