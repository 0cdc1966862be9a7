"""Photometric degradations applied to the composed word image.

Jaderberg et al. (2014) §2 step 6, "Noise": Gaussian blur, resolution
loss (down- then up-sampling), additive Gaussian noise and JPEG
compression artefacts; plus uneven lighting, motion and defocus blur as in
photographed crops.
"""
from typing import Optional, Tuple

import cv2
import numpy as np

from .style import RenderStyle


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of a float32 (H, W, C) image."""
    out = cv2.GaussianBlur(img, (0, 0), sigma)
    return out.reshape(img.shape)


def lose_resolution(img: np.ndarray, factor: float) -> np.ndarray:
    """Downscale by ``factor`` (< 1) with area averaging, then upscale."""
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(1, round(w * factor)),
                             max(1, round(h * factor))),
                       interpolation=cv2.INTER_AREA)
    out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return out.reshape(img.shape)


def motion_blur(img: np.ndarray, length: float, angle: float) -> np.ndarray:
    """Linear motion blur of ``length`` px at ``angle`` (radians)."""
    size = int(np.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
    cv2.line(kernel, (int(round(c - dx)), int(round(c - dy))),
             (int(round(c + dx)), int(round(c + dy))), 1.0, 1, cv2.LINE_AA)
    out = cv2.filter2D(img, -1, kernel / kernel.sum())
    return out.reshape(img.shape)


def defocus(img: np.ndarray, radius: float) -> np.ndarray:
    """Disk (defocus) blur of ``radius`` px."""
    r = int(np.ceil(radius))
    ys, xs = np.mgrid[-r:r + 1, -r:r + 1]
    kernel = np.clip(radius + 0.5 - np.hypot(xs, ys), 0, 1).astype(
        np.float32)
    out = cv2.filter2D(img, -1, kernel / kernel.sum())
    return out.reshape(img.shape)


def uneven_light(img: np.ndarray, rng: np.random.Generator,
                 strength: float) -> np.ndarray:
    """Multiply by a smooth field (linear ramp or blob) in [1-s, 1]."""
    h, w = img.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * np.pi)
        t = xs * np.cos(angle) + ys * np.sin(angle)
    else:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        t = -np.hypot((xs - cx) / max(w, 1), (ys - cy) / max(h, 1) * 0.3)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    field = 1 - strength * (1 - t)
    return img * field[..., None]


def degrade(img: np.ndarray, rng: np.random.Generator,
            style: RenderStyle) -> Tuple[np.ndarray, Optional[bytes]]:
    """Blur, resolution loss, noise, then quantise (and maybe JPEG).

    Args:
        img (np.ndarray): float32 (H, W, C) in [0, 1], C = 1 or 3 (RGB).
        rng (np.random.Generator): Randomness.
        style (RenderStyle): Probabilities and ranges.

    Returns:
        tuple: uint8 image, (H, W) for C = 1 else (H, W, 3) BGR, and its
        JPEG encoding when JPEG artefacts were applied (the image is then
        the decoded JPEG), else ``None``.
    """
    if rng.random() < style.light_prob:
        img = uneven_light(img, rng, rng.uniform(*style.light_strength))
    if rng.random() < style.blur_prob:
        img = blur(img, rng.uniform(*style.blur_sigma))
    if rng.random() < style.motion_blur_prob:
        img = motion_blur(img, rng.uniform(*style.motion_blur_px),
                          rng.uniform(0, np.pi))
    if rng.random() < style.defocus_prob:
        img = defocus(img, rng.uniform(*style.defocus_px))
    if rng.random() < style.downscale_prob:
        img = lose_resolution(img, rng.uniform(*style.downscale))
    if rng.random() < style.noise_prob:
        sigma = rng.uniform(*style.noise_sigma)
        img = img + rng.normal(0, sigma, img.shape).astype(np.float32)
    out = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
    out = out[..., 0] if out.shape[2] == 1 else out[..., ::-1].copy()
    if rng.random() < style.jpeg_prob:
        quality = int(rng.integers(style.jpeg_quality[0],
                                   style.jpeg_quality[1] + 1))
        ok, buf = cv2.imencode('.jpg', out, [cv2.IMWRITE_JPEG_QUALITY,
                                             quality])
        if not ok:
            raise RuntimeError('JPEG encoding failed')
        data = buf.tobytes()
        flag = cv2.IMREAD_GRAYSCALE if out.ndim == 2 else cv2.IMREAD_COLOR
        return cv2.imdecode(buf, flag), data
    return out, None
