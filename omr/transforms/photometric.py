"""Photometric score augmentations: background, light, blur, noise, JPEG.

Backgrounds and blur reuse the word synthesiser's helpers
(:mod:`crnn_plugin.synth.backgrounds`, :mod:`crnn_plugin.synth.degrade`);
natural images are scikit-image's bundled photographs (offline).
"""
from typing import Tuple

import cv2
import numpy as np
from mmocr.registry import TRANSFORMS

from crnn_plugin.synth.backgrounds import (gradient, natural_crop, texture,
                                           value_noise)
from crnn_plugin.synth.degrade import blur, lose_resolution
from .base import Range, ScoreTransform, paper_and_ink, to_float, to_uint8

__all__ = [
    'ScoreBackground', 'ScoreIllumination', 'ScoreBlur', 'ScoreNoise',
    'ScoreJPEG'
]


@TRANSFORMS.register_module()
class ScoreBackground(ScoreTransform):
    """Replace the paper by a natural photo, texture or gradient.

    The ink opacity of each pixel is read from the image (paper -> 0,
    darkest ink -> 1); the new background is a photo crop (scikit-image's
    bundled photographs), a two-colour texture or a gradient, squeezed
    into a light tone range, and the ink is drawn over it in a dark tone.

    Args:
        natural_prob (float): Probability of a photo (else texture or
            gradient, equally likely). Defaults to 0.5.
        tone (Range): Brightest background level. Defaults to (0.6, 1.0).
        span (Range): Background tone range (contrast). Defaults to
            (0.1, 0.45).
        min_contrast (float): Ink stays this much below the darkest
            background. Defaults to 0.2.
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, natural_prob: float = 0.5, tone: Range = (0.6, 1.0),
                 span: Range = (0.1, 0.45), min_contrast: float = 0.2,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.natural_prob, self.tone, self.span = natural_prob, tone, span
        self.min_contrast = min_contrast

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        c = 1 if img.ndim == 2 else img.shape[2]
        paper, ink = paper_and_ink(img)
        x = to_float(img)
        alpha = np.clip((paper / 255 - x) / np.maximum(
            (paper - ink) / 255, 0.15), 0, 1).mean(axis=2, keepdims=True)
        if rng.random() < self.natural_prob:
            bg = natural_crop(rng, h, w, c)
        elif rng.random() < 0.5:
            bg = texture(rng, h, w, rng.random(c, dtype=np.float32),
                         rng.random(c, dtype=np.float32))
        else:
            bg = gradient(rng, h, w, rng.random(c, dtype=np.float32),
                          rng.random(c, dtype=np.float32))
        lo, hi = float(bg.min()), float(bg.max())
        top, span = rng.uniform(*self.tone), rng.uniform(*self.span)
        bg = top - span + span * (bg - lo) / max(hi - lo, 1e-6)
        ink_tone = rng.uniform(0, max(top - span - self.min_contrast, 0.0))
        ink_color = np.clip(ink_tone + rng.uniform(-0.05, 0.05, c), 0, 1)
        out = bg * (1 - alpha) + ink_color.astype(np.float32) * alpha
        return to_uint8(out)


@TRANSFORMS.register_module()
class ScoreIllumination(ScoreTransform):
    """Uneven light: a smooth gain field, a gradient and maybe a shadow.

    Args:
        strength (Range): Darkest gain is ``1 - strength``. Defaults to
            (0.15, 0.5).
        shadow_prob (float): Probability of a soft-edged shadow (a
            half-plane, e.g. of the phone). Defaults to 0.3.
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, strength: Range = (0.15, 0.5),
                 shadow_prob: float = 0.3, **kwargs) -> None:
        super().__init__(**kwargs)
        self.strength, self.shadow_prob = strength, shadow_prob

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = img.shape[:2]
        coarse = value_noise(rng, 3, max(3, round(3 * w / h)))  # few cells
        field = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
        ramp = gradient(rng, h, w, np.zeros(1, np.float32),
                        np.ones(1, np.float32))[..., 0]  # (H, W)
        field = 0.5 * field + 0.5 * ramp
        if rng.random() < self.shadow_prob:
            edge = gradient(rng, h, w, np.float32([-1]), np.float32([1]))
            offset, soft = rng.uniform(-0.5, 0.5), rng.uniform(0.02, 0.2)
            shade = 1 / (1 + np.exp(-(edge[..., 0] - offset) / soft))
            field = np.maximum(field, shade * rng.uniform(0.5, 1.0))
        gain = 1 - rng.uniform(*self.strength) * np.clip(field, 0, 1)
        return to_uint8(to_float(img) * gain[..., None])


@TRANSFORMS.register_module()
class ScoreBlur(ScoreTransform):
    """Out-of-focus (Gaussian), camera shake (motion) or low resolution.

    Args:
        sigma (Range): Gaussian sigma in staff spaces. Defaults to
            (0.05, 0.15).
        motion_prob (float): Probability of motion blur instead. Defaults
            to 0.25.
        downscale_prob (float): Probability of a resolution loss too.
            Defaults to 0.3.
        downscale (Range): Resolution factor. Defaults to (0.6, 0.9).
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, sigma: Range = (0.05, 0.15),
                 motion_prob: float = 0.25, downscale_prob: float = 0.3,
                 downscale: Range = (0.6, 0.9),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.sigma, self.motion_prob = sigma, motion_prob
        self.downscale_prob, self.downscale = downscale_prob, downscale

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = to_float(img)
        space = self.space(img)
        if rng.random() < self.motion_prob:
            size = max(3, int(round(rng.uniform(0.3, 0.6) * space)) | 1)
            kernel = np.zeros((size, size), np.float32)
            kernel[size // 2] = 1 / size
            rot = cv2.getRotationMatrix2D(
                (size / 2 - 0.5, size / 2 - 0.5), rng.uniform(0, 180), 1)
            kernel = cv2.warpAffine(kernel, rot, (size, size))
            kernel /= max(float(kernel.sum()), 1e-6)
            x = cv2.filter2D(x, -1, kernel).reshape(x.shape)
        else:
            x = blur(x, max(0.3, rng.uniform(*self.sigma) * space))
        if rng.random() < self.downscale_prob:
            x = lose_resolution(x, rng.uniform(*self.downscale))
        return to_uint8(x)


@TRANSFORMS.register_module()
class ScoreNoise(ScoreTransform):
    """Additive Gaussian noise, sometimes with salt-and-pepper specks.

    Args:
        sigma (Range): Noise std (image range [0, 1]). Defaults to
            (0.02, 0.12).
        speckle_prob (float): Probability of specks too. Defaults to 0.3.
        speckle (Range): Fraction of speck pixels. Defaults to
            (0.001, 0.01).
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, sigma: Range = (0.02, 0.12),
                 speckle_prob: float = 0.3,
                 speckle: Range = (0.001, 0.01), **kwargs) -> None:
        super().__init__(**kwargs)
        self.sigma, self.speckle_prob, self.speckle = sigma, speckle_prob, \
            speckle

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = to_float(img)
        x += rng.standard_normal(x.shape, np.float32) * rng.uniform(
            *self.sigma)
        if rng.random() < self.speckle_prob:
            mask = rng.random(x.shape[:2], np.float32) < rng.uniform(
                *self.speckle)
            x[mask] = rng.integers(0, 2, (int(mask.sum()), 1))
        return to_uint8(x)


@TRANSFORMS.register_module()
class ScoreJPEG(ScoreTransform):
    """JPEG compression artefacts.

    Args:
        quality (tuple[int, int]): Quality range (inclusive). Defaults to
            (15, 85).
        **kwargs: ``prob``, ``seed``, ``staff_spaces``.
    """

    def __init__(self, quality: Tuple[int, int] = (15, 85), **kwargs) -> None:
        super().__init__(**kwargs)
        self.quality = quality

    def apply(self, img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        quality = int(rng.integers(self.quality[0], self.quality[1] + 1))
        ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY,
                                             quality])
        if not ok:
            raise RuntimeError('JPEG encoding failed')
        flag = cv2.IMREAD_GRAYSCALE if img.ndim == 2 else cv2.IMREAD_COLOR
        return cv2.imdecode(buf, flag)
