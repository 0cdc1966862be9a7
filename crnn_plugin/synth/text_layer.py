"""Text masks and the projective warp that crops them to the output.

The word is drawn once at render scale (Pillow/FreeType, anti-aliased) into
a fill mask and, optionally, an outline mask. A single homography then
applies rotation, shear and corner jitter (projective distortion) and maps
the axis-aligned bounding box of the distorted text plus random margins onto
the output (height ``out_h``, width proportional), so one
``cv2.warpPerspective`` does distortion, crop and scaling.

The vertical extent of the crop is the union of the ink and the font's
cap-height-to-baseline box, so lower-case words keep their size relative to
capitals (``'o'`` stays distinguishable from ``'O'``).
"""
from typing import Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .style import RenderStyle

Box = Tuple[float, float, float, float]  # x0, y0, x1, y1


def draw_text_masks(text: str, font: ImageFont.FreeTypeFont,
                    tracking: float = 0.0,
                    border: int = 0) -> Tuple[np.ndarray, Box]:
    """Draw ``text`` as masks at render scale.

    Args:
        text (str): Non-empty text.
        font (FreeTypeFont): Font (size = render scale).
        tracking (float): Extra spacing between characters (x em); > 0
            draws character by character (pair kerning is then lost).
            Defaults to 0.
        border (int): Outline width in px (0: none). Defaults to 0.

    Returns:
        tuple: ``masks`` (uint8, (H, W, 2): fill, outline; outline is zeros
        without border) and the crop reference box (x0, y0, x1, y1): ink
        extent horizontally, union of ink and cap-height..baseline
        vertically.
    """
    size = font.size
    ascent, descent = font.getmetrics()
    advances = [font.getlength(c) for c in text] if tracking > 0 else None
    extra = tracking * size
    length = (sum(advances) + extra * (len(text) - 1)
              if advances is not None else font.getlength(text))
    pad = size // 2 + border + 2
    width = int(np.ceil(length)) + 2 * pad
    height = ascent + descent + 2 * pad
    baseline = pad + ascent

    def draw(stroke: int) -> np.ndarray:
        img = Image.new('L', (width, height), 0)
        drw = ImageDraw.Draw(img)
        kw = dict(font=font, fill=255, anchor='ls', stroke_width=stroke,
                  stroke_fill=255)
        if advances is None:
            drw.text((pad, baseline), text, **kw)
        else:
            x = float(pad)
            for char, adv in zip(text, advances):
                drw.text((x, baseline), char, **kw)
                x += adv + extra
        return np.asarray(img)

    fill = draw(0)
    outline = draw(border) if border > 0 else None
    ink = outline if outline is not None else fill
    cols = np.flatnonzero(ink.max(axis=0))
    rows = np.flatnonzero(ink.max(axis=1))
    if cols.size == 0:
        raise ValueError(f'text {text!r} rendered without ink')
    cap_top = baseline + font.getbbox('H', anchor='ls')[1]
    box = (float(cols[0]), float(min(rows[0], cap_top)),
           float(cols[-1] + 1), float(max(rows[-1] + 1, baseline)))
    masks = np.zeros((height, width, 2), np.uint8)
    masks[..., 0] = fill
    if outline is not None:
        masks[..., 1] = outline
    return masks, box


def _distort_corners(box: Box, rng: np.random.Generator,
                     style: RenderStyle) -> np.ndarray:
    """Corners of ``box`` after random rotation, shear and jitter."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    center = pts.mean(axis=0)
    if rng.random() < style.shear_prob:
        shear = rng.uniform(-style.shear_max, style.shear_max) * h
        pts[:2, 0] += shear / 2  # top edge
        pts[2:, 0] -= shear / 2  # bottom edge
    if rng.random() < style.rotate_prob:
        angle = np.clip(rng.normal(0, style.rotate_std), -style.rotate_max,
                        style.rotate_max)
        rad = np.deg2rad(angle)
        rot = np.array([[np.cos(rad), -np.sin(rad)],
                        [np.sin(rad), np.cos(rad)]])
        pts = (pts - center) @ rot.T + center
    if rng.random() < style.perspective_prob:
        pts += rng.uniform(-style.perspective_max, style.perspective_max,
                           size=(4, 2)) * h
    return pts


def sample_warp(box: Box, rng: np.random.Generator, style: RenderStyle,
                out_h: int = 32) -> Tuple[np.ndarray, int]:
    """Homography from render canvas to output, and the output width.

    Args:
        box (Box): Crop reference box from :func:`draw_text_masks`.
        rng (np.random.Generator): Randomness.
        style (RenderStyle): Distortion and margin parameters.
        out_h (int): Output height. Defaults to 32.

    Returns:
        tuple: ``(M, out_w)``: 3x3 float64 matrix for
        ``cv2.warpPerspective`` and the output width (>= 1).
    """
    x0, y0, x1, y1 = box
    src = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    dst = _distort_corners(box, rng, style)
    distort = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    # The distorted box contains all ink (the reference box does).
    bx0, by0 = dst.min(axis=0)
    bx1, by1 = dst.max(axis=0)
    h = by1 - by0
    margin = style.margin_tight if rng.random() < style.tight_prob \
        else style.margin_loose
    top, bottom = rng.uniform(*margin, size=2) * h
    left, right = rng.uniform(*style.margin_h, size=2) * h
    scale_y = out_h / (h + top + bottom)
    scale_x = scale_y * rng.uniform(*style.aspect)
    out_w = max(1, int(round((bx1 - bx0 + left + right) * scale_x)))
    crop = np.array([[scale_x, 0, -(bx0 - left) * scale_x],
                     [0, scale_y, -(by0 - top) * scale_y],
                     [0, 0, 1]])
    return crop @ distort, out_w


def warp_masks(masks: np.ndarray, matrix: np.ndarray, out_w: int,
               out_h: int = 32) -> np.ndarray:
    """Warp (H, W, 2) uint8 masks to float32 (out_h, out_w, 2) in [0, 1].

    Masks are low-pass filtered first when the warp shrinks them by more
    than 1.5x, to limit aliasing (``warpPerspective`` has no area mode).
    """
    scale = np.sqrt(abs(np.linalg.det(matrix[:2, :2])))
    if scale < 1 / 1.5:
        sigma = 0.4 / scale
        masks = cv2.GaussianBlur(masks, (0, 0), sigma)
    out = cv2.warpPerspective(masks, matrix, (out_w, out_h),
                              flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return out.astype(np.float32) * (1 / 255)
