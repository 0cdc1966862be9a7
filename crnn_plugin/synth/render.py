"""MJSynth-like rendering of one word image.

Pipeline after Jaderberg et al., "Synthetic Data and Artificial Neural
Networks for Natural Scene Text Recognition" (2014), §2:

1. font rendering: random font, size and tracking (:mod:`.text_layer`);
2. border/shadow: optional outline and drop shadow;
3. base colouring: background and text colours with a random minimum
   luminance contrast (either polarity), gradient-filled text;
4. projective distortion: rotation, shear, corner jitter, tight or loose
   crop, output height fixed and width proportional (one warp);
5. natural-data blending: natural-photo backgrounds
   (:mod:`.backgrounds`) and blending of the whole image with a photo crop;
6. noise: blur, resolution loss, Gaussian noise, JPEG (:mod:`.degrade`).

All randomness comes from one ``np.random.Generator``, so an image is a
pure function of (text, font, generator state, style).
"""
from typing import Optional, Tuple

import cv2
import numpy as np

from .backgrounds import LUMA, gradient, natural_crop, pattern, texture
from .degrade import blur, degrade
from .glyph_coverage import load_font
from .style import MJSYNTH_STYLE, RenderStyle
from .text_layer import (bend_masks, draw_text_masks, sample_warp,
                         warp_masks)


def sample_color(rng: np.random.Generator, lum: float,
                 channels: int) -> np.ndarray:
    """A colour of luma ~``lum`` with random hue and saturation.

    Returns:
        np.ndarray: float32 (channels,) in [0, 1].
    """
    lum = float(np.clip(lum, 0, 1))
    if channels == 1:
        return np.array([lum], np.float32)
    chroma = rng.uniform(-1, 1, 3).astype(np.float32)
    chroma -= chroma @ LUMA  # zero luma component (LUMA sums to 1)
    sat = rng.uniform(0, 0.5) * min(lum, 1 - lum) * 2
    return np.clip(lum + sat * chroma, 0, 1).astype(np.float32)


def sample_luminances(rng: np.random.Generator,
                      style: RenderStyle) -> Tuple[float, float]:
    """(text, background) luma with at least the sampled contrast."""
    if style.fixed_colors is not None:
        return style.fixed_colors
    contrast = rng.uniform(*style.contrast)
    bg = rng.uniform(0, 1)
    options = [v for v in (bg - contrast, bg + contrast) if 0 <= v <= 1]
    if not options:  # contrast > max(bg, 1 - bg): go to the far extreme
        return (0.0 if bg > 0.5 else 1.0), bg
    return options[int(rng.integers(len(options)))], bg


def _background(rng: np.random.Generator, style: RenderStyle, h: int, w: int,
                channels: int, text_lum: float,
                bg_lum: float) -> np.ndarray:
    """Background of a random kind around luma ``bg_lum``."""
    color = sample_color(rng, bg_lum, channels)
    cdf = np.cumsum(style.background_probs) / sum(style.background_probs)
    kind = min(len(cdf) - 1,
               int(np.searchsorted(cdf, rng.random(), side='right')))
    if kind == 0:
        return np.broadcast_to(color, (h, w, channels))
    if kind == 3:
        crop = natural_crop(rng, h, w, channels)
        gain = rng.uniform(*style.photo_gain)
        return color + (crop - crop.mean(axis=(0, 1))) * gain
    if kind == 4:
        # Pattern lines anywhere from a little away from the text's luma
        # to most of the way towards it: stroke-like clutter.
        toward = rng.uniform(*style.pattern_contrast)
        color_b = sample_color(rng, bg_lum + toward * (text_lum - bg_lum),
                               channels)
        return pattern(rng, h, w, color, color_b)
    # A second colour further away from the text keeps the contrast.
    away = np.sign(bg_lum - text_lum) or 1.0
    color_b = sample_color(rng, bg_lum + away * rng.uniform(0, 0.3),
                           channels)
    make = gradient if kind == 1 else texture
    return make(rng, h, w, color, color_b)


def _shift(mask: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Translate an (H, W, 1) float mask by (dx, dy) px."""
    h, w = mask.shape[:2]
    mat = np.array([[1, 0, dx], [0, 1, dy]], np.float32)
    return cv2.warpAffine(mask, mat, (w, h)).reshape(mask.shape)


def _emboss(img: np.ndarray, fill: np.ndarray, rng: np.random.Generator,
            channels: int) -> np.ndarray:
    """A light edge on one side of the glyphs and a dark one on the other.

    Args:
        img (np.ndarray): float32 (h, w, C) background.
        fill (np.ndarray): float32 (h, w, 1) text mask.

    Returns:
        np.ndarray: float32 (h, w, C).
    """
    dx, dy = rng.uniform(0.6, 1.5, 2) * rng.choice([-1, 1], 2)
    for sign, lum in ((1, rng.uniform(0.0, 0.2)), (-1, rng.uniform(0.8, 1))):
        alpha = _shift(fill, sign * dx, sign * dy) * rng.uniform(0.5, 0.9)
        img = img * (1 - alpha) + sample_color(rng, lum, channels) * alpha
    return img


def render_word(text: str,
                font_path: str,
                rng: np.random.Generator,
                style: RenderStyle = MJSYNTH_STYLE,
                height: int = 32,
                channels: int = 1,
                neighbours: Tuple[str, str] = ('', '')
                ) -> Tuple[np.ndarray, Optional[bytes]]:
    """Render ``text`` in the font at ``font_path``.

    Args:
        text (str): Non-empty text (the caller checks glyph coverage).
        font_path (str): Font file or ``BUILTIN_FONT``.
        rng (np.random.Generator): Randomness (consumed).
        style (RenderStyle): Rendering parameters. Defaults to
            :data:`~.style.MJSYNTH_STYLE`.
        height (int): Output height. Defaults to 32.
        channels (int): 1 (grayscale) or 3 (colour). Defaults to 1.
        neighbours (tuple[str, str]): Words left and right of the text on
            the same line, shown only as far as the crop's margins reach.
            Defaults to none.

    Returns:
        tuple: uint8 image, (height, W) or (height, W, 3) BGR with W
        proportional to the text, and the JPEG bytes of that image when
        JPEG artefacts were applied (else ``None``).
    """
    if channels not in (1, 3):
        raise ValueError(f'channels must be 1 or 3, got {channels}')
    size = int(rng.integers(style.font_px[0], style.font_px[1] + 1))
    font = load_font(font_path, size)
    tracking = (rng.uniform(*style.tracking)
                if rng.random() < style.tracking_prob else 0.0)
    border = (int(rng.integers(style.border_px[0], style.border_px[1] + 1))
              if rng.random() < style.border_prob else 0)
    jitter = None
    if rng.random() < style.char_jitter_prob:
        jitter = np.stack([
            1 + np.clip(rng.normal(0, style.char_size_jitter, len(text)),
                        -0.3, 0.3),
            rng.normal(0, style.char_rise_jitter, len(text))], axis=1)
    line = None
    if rng.random() < style.line_prob:
        line = rng.uniform(-0.15, -0.05) if rng.random() < 0.6 \
            else rng.uniform(0.25, 0.4)
    masks, box = draw_text_masks(text, font, tracking, border, jitter,
                                 neighbours, line)
    masks, box = bend_masks(masks, box, rng, style, size)
    margin_h = style.neighbour_margin if any(neighbours) else None
    matrix, width = sample_warp(box, rng, style, height, margin_h)
    warped = warp_masks(masks, matrix, width, height)  # (h, w, 2)
    fill, outline = warped[..., :1], warped[..., 1:]   # (h, w, 1) each

    text_lum, bg_lum = sample_luminances(rng, style)
    img = _background(rng, style, height, width, channels, text_lum, bg_lum)
    if rng.random() < style.shadow_prob:
        shape = outline if border else fill
        offset = rng.uniform(*style.shadow_offset) * rng.choice([-1, 1], 2)
        shadow = blur(_shift(shape, *offset), rng.uniform(*style.shadow_blur))
        alpha = shadow * rng.uniform(0.4, 0.9)
        shadow_color = sample_color(rng, rng.uniform(0, 1), channels)
        img = img * (1 - alpha) + shadow_color * alpha
    if border:
        border_lum = text_lum + (0.5 if text_lum < 0.5 else -0.5) \
            * rng.uniform(0.6, 2.0)
        img = img * (1 - outline) + sample_color(rng, border_lum,
                                                 channels) * outline
    if rng.random() < style.emboss_prob:
        img = _emboss(img, fill, rng, channels)
        text_lum = bg_lum + rng.uniform(-0.12, 0.12)
    text_color = sample_color(rng, text_lum, channels)
    if rng.random() < style.text_gradient_prob:
        other = sample_color(rng, text_lum + rng.uniform(-0.15, 0.15),
                             channels)
        text_color = gradient(rng, height, width, text_color, other)
    alpha = fill * rng.uniform(*style.opacity)
    img = img * (1 - alpha) + text_color * alpha
    if rng.random() < style.blend_prob:
        weight = rng.uniform(*style.blend_alpha)
        img = img * (1 - weight) + natural_crop(rng, height, width,
                                                channels) * weight
    return degrade(np.ascontiguousarray(img, dtype=np.float32), rng, style)
