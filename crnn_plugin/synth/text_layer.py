"""Text masks and the projective warp that crops them to the output.

The word is drawn once at render scale (Pillow/FreeType, anti-aliased) into
a fill mask and, optionally, an outline mask, with optional per-character
jitter, neighbouring words and an under/strike line; :func:`bend_masks` may
then arch, wave or elastically warp it. A single homography then
applies rotation, shear and corner jitter (projective distortion) and maps
the axis-aligned bounding box of the distorted text plus random margins onto
the output (height ``out_h``, width proportional), so one
``cv2.warpPerspective`` does distortion, crop and scaling.

The vertical extent of the crop is the union of the ink and the font's
cap-height-to-baseline box, so lower-case words keep their size relative to
capitals (``'o'`` stays distinguishable from ``'O'``).
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .style import RenderStyle

Box = Tuple[float, float, float, float]  # x0, y0, x1, y1


def _layout(text: str, font: ImageFont.FreeTypeFont, tracking: float,
            jitter: Optional[np.ndarray]) -> List[Tuple[str, object, float,
                                                        float]]:
    """Glyph placements ``(char, font, x, rise)`` from x = 0.

    Drawn as one string (pair kerning kept) unless tracking or per-character
    ``jitter`` (rows of (relative size, rise x em)) asks for characters one
    by one.
    """
    if tracking == 0 and jitter is None:
        return [(text, font, 0.0, 0.0)]
    size = font.size
    placed, x = [], 0.0
    for i, char in enumerate(text):
        scale, rise = jitter[i] if jitter is not None else (1.0, 0.0)
        glyph_font = font if scale == 1.0 else font.font_variant(
            size=max(4, int(round(size * scale))))
        placed.append((char, glyph_font, x, rise * size))
        x += glyph_font.getlength(char) + tracking * size
    return placed


def _extent(placed: Sequence[Tuple[str, object, float, float]]) -> float:
    char, font, x, _ = placed[-1]
    return x + font.getlength(char)


def draw_text_masks(text: str, font: ImageFont.FreeTypeFont,
                    tracking: float = 0.0,
                    border: int = 0,
                    jitter: Optional[np.ndarray] = None,
                    neighbours: Tuple[str, str] = ('', ''),
                    line: Optional[float] = None) -> Tuple[np.ndarray, Box]:
    """Draw ``text`` as masks at render scale.

    Args:
        text (str): Non-empty text.
        font (FreeTypeFont): Font (size = render scale).
        tracking (float): Extra spacing between characters (x em; < 0
            tightens); not 0 draws character by character (pair kerning
            is then lost). Defaults to 0.
        border (int): Outline width in px (0: none). Defaults to 0.
        jitter (np.ndarray, optional): (len(text), 2) relative size and rise
            (x em) of each character. Defaults to None.
        neighbours (tuple[str, str]): Words drawn left and right of the
            text, a space apart, outside the reference box. Defaults to
            no neighbours.
        line (float, optional): Draw a line through the text at this height
            above the baseline (x em; < 0 underlines). Defaults to None.

    Returns:
        tuple: ``masks`` (uint8, (H, W, 2): fill, outline; outline is zeros
        without border) and the crop reference box (x0, y0, x1, y1): ink
        extent of ``text`` horizontally, union of its ink and
        cap-height..baseline vertically.
    """
    size = font.size
    ascent, descent = font.getmetrics()
    space = font.getlength(' ') + tracking * size
    main = _layout(text, font, tracking, jitter)
    left = _layout(neighbours[0], font, tracking, None) \
        if neighbours[0] else []
    right = _layout(neighbours[1], font, tracking, None) \
        if neighbours[1] else []
    left_w = _extent(left) + space if left else 0.0
    main_w = _extent(main)
    right_w = _extent(right) + space if right else 0.0
    pad = size // 2 + border + 2
    width = int(np.ceil(left_w + main_w + right_w)) + 2 * pad
    height = ascent + descent + 2 * pad
    baseline = pad + ascent
    x_main = pad + left_w

    def draw(placed, x0: float, stroke: int, img: Image.Image) -> None:
        drw = ImageDraw.Draw(img)
        for chars, glyph_font, x, rise in placed:
            drw.text((x0 + x, baseline - rise), chars, font=glyph_font,
                     fill=255, anchor='ls', stroke_width=stroke,
                     stroke_fill=255)

    layers = []
    for stroke in ((0, border) if border > 0 else (0, )):
        img = Image.new('L', (width, height), 0)
        draw(main, x_main, stroke, img)
        layers.append(img)
    ink = np.asarray(layers[-1])
    cols = np.flatnonzero(ink.max(axis=0))
    rows = np.flatnonzero(ink.max(axis=1))
    if cols.size == 0:
        raise ValueError(f'text {text!r} rendered without ink')
    cap_top = baseline + font.getbbox('H', anchor='ls')[1]
    box = (float(cols[0]), float(min(rows[0], cap_top)),
           float(cols[-1] + 1), float(max(rows[-1] + 1, baseline)))
    for stroke, img in zip((0, border), layers):
        draw(left, pad, stroke, img)
        draw(right, x_main + main_w + space, stroke, img)
        if line is not None:
            y = baseline - line * size
            thick = max(1, int(round(size * 0.06)))
            ImageDraw.Draw(img).line(
                [(box[0] - 0.2 * size, y), (box[2] + 0.2 * size, y)],
                fill=255, width=thick + 2 * stroke)
    masks = np.zeros((height, width, 2), np.uint8)
    for i, img in enumerate(layers):
        masks[..., i] = np.asarray(img)
    return masks, box


def bend_masks(masks: np.ndarray, box: Box, rng: np.random.Generator,
               style: RenderStyle, em: float) -> Tuple[np.ndarray, Box]:
    """Arch or wave the baseline and/or warp the glyphs elastically.

    Args:
        masks (np.ndarray): uint8 (H, W, 2) from :func:`draw_text_masks`.
        box (Box): Its reference box.
        rng (np.random.Generator): Randomness.
        style (RenderStyle): ``curve_*`` and ``elastic_*`` parameters.
        em (float): Font size in px.

    Returns:
        tuple: Masks (uint8, (H + 2 * pad, W, 2)) and the box moved with the
        text (it spans the displaced cap-height..baseline band).
    """
    h, w = masks.shape[:2]
    xs = np.arange(w, dtype=np.float32)
    dy = np.zeros(w, np.float32)
    if rng.random() < style.curve_prob:
        amp = rng.uniform(*style.curve_amp) * em * rng.choice([-1, 1])
        span = max(box[2] - box[0], 1.0)
        # -0.5..0.5 over the text, held flat beyond 1 (neighbours)
        t = np.clip((xs - (box[0] + box[2]) / 2) / span, -1, 1)
        if rng.random() < 0.5:
            dy = amp * 4 * t ** 2
        else:
            period = rng.uniform(0.5, 1.5)
            dy = amp * np.sin(2 * np.pi * t / period + rng.uniform(0, 6.3))
        dy = dy.astype(np.float32)
    ex = ey = np.zeros((h, w), np.float32)
    if rng.random() < style.elastic_prob:
        amp = rng.uniform(*style.elastic_amp) * em
        cell = max(4, int(em * rng.uniform(0.3, 0.8)))
        grid = (max(2, h // cell + 2), max(2, w // cell + 2))
        ex, ey = (cv2.resize(rng.uniform(-amp, amp, grid).astype(np.float32),
                             (w, h), interpolation=cv2.INTER_CUBIC)
                  for _ in range(2))
    pad = int(np.ceil(np.abs(dy).max())) + 1
    map_x = np.broadcast_to(xs, (h + 2 * pad, w)).copy()
    map_y = np.arange(-pad, h + pad, dtype=np.float32)[:, None] - dy
    map_x[pad:pad + h] += ex
    map_y[pad:pad + h] += ey
    out = cv2.remap(masks, map_x, map_y.astype(np.float32), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    inside = dy[int(box[0]):int(np.ceil(box[2]))]
    box = (box[0], box[1] + pad + float(inside.min()), box[2],
           box[3] + pad + float(inside.max()))
    return out.reshape(h + 2 * pad, w, 2), box


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
                out_h: int = 32,
                margin_h: Optional[Tuple[float, float]] = None
                ) -> Tuple[np.ndarray, int]:
    """Homography from render canvas to output, and the output width.

    Args:
        box (Box): Crop reference box from :func:`draw_text_masks`.
        rng (np.random.Generator): Randomness.
        style (RenderStyle): Distortion and margin parameters.
        out_h (int): Output height. Defaults to 32.
        margin_h (tuple[float, float], optional): Horizontal margin range
            (x h). Defaults to ``style.margin_h``.

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
    left, right = rng.uniform(*(margin_h or style.margin_h), size=2) * h
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
