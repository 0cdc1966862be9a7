"""Crop-independent score input: find the staff, crop and scale around it.

A one-staff fragment can come cropped tight or with wide margins, at any
resolution and staff size. :func:`normalize_staff` finds the five staff
lines and returns a crop that depends on the staff alone: from
``spaces_above`` staff spaces above the top line to ``spaces_below`` below
the bottom line (padded with paper where the input is shorter), the
staff's horizontal extent plus ``side_spaces`` spaces, scaled so that the
crop is ``height`` px high. The same fragment therefore gives the same
image (within about a pixel) however it was cropped or scaled. The staff's
ends are found less precisely on photo-like input (uneven light, textured
paper: up to a fifth of the width), which moves the side margins
only.

Staff lines are found as in the projection methods of classic OMR
(Rebelo et al., "Optical music recognition: state-of-the-art and open
issues", 2012, §3.1): on the ink darkness (paper level minus pixel, so
blurred and faint lines count), a horizontal grey opening keeps only long
horizontal runs (staff lines, some beams), the rows are projected, and
the five equally spaced peaks with the most ink are the staff. A small
rotation (photos, up to a few degrees) is undone first: the angle whose
projection is the sharpest wins.

NumPy and OpenCV only: the ONNX reader (:mod:`crnn_plugin.runtime`) and
the training transform (:class:`omr.transforms.StaffNormalize`) share it.
"""
from typing import NamedTuple, Optional, Sequence

import cv2
import numpy as np

__all__ = ['Staff', 'StaffNotFound', 'find_staff_lines', 'normalize_staff']

#: Angles (degrees) tried when straightening the staff.
ANGLES = tuple(np.arange(-4.0, 4.01, 0.5))


class StaffNotFound(ValueError):
    """No five equally spaced staff lines in the image."""


class Staff(NamedTuple):
    """Where the staff is, in the (straightened) image.

    Attributes:
        top (float): Row of the top staff line's centre.
        bottom (float): Row of the bottom staff line's centre.
        left (int): First column of the staff lines.
        right (int): Last column of the staff lines.
        angle (float): Rotation (degrees) that straightened the image.
    """
    top: float
    bottom: float
    left: int
    right: int
    angle: float

    @property
    def space(self) -> float:
        """Staff space (px): a quarter of the staff height."""
        return (self.bottom - self.top) / 4


def _gray(img: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 3) BGR or (H, W, 4) BGRA uint8 -> (H, W) uint8."""
    if img.ndim == 2:
        return img
    if img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def _darkness(gray: np.ndarray) -> np.ndarray:
    """Ink darkness, float32 (H, W): paper level (90th percentile) minus
    the pixel, clipped at 0 (keeps blurred, faint lines)."""
    paper = float(np.percentile(gray, 90))
    return np.clip(paper - gray.astype(np.float32), 0, None)


def _rotate(img: np.ndarray, angle: float, fill) -> np.ndarray:
    """Rotate about the centre, same size, outside filled with ``fill``."""
    if angle == 0:
        return img
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def _long_runs(dark: np.ndarray) -> np.ndarray:
    """Horizontal grey opening: keeps what is dark over ``W / 10`` px in a
    row (staff lines, long beams), removes noteheads, stems and text."""
    kernel = np.ones((1, max(3, dark.shape[1] // 10)), np.uint8)
    return cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)


def _best_angle(dark: np.ndarray, angles: Sequence[float]) -> float:
    """The angle whose row projection is sharpest (sum of squares)."""
    best, best_score = 0.0, -1.0
    for angle in sorted(angles, key=abs):  # ties: the smallest rotation
        rotated = _rotate(dark, angle, 0) if angle else dark
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float((profile ** 2).sum())
        if score > best_score * (1 + 1e-6):
            best, best_score = float(angle), score
    return best


def _five_lines(profile: np.ndarray) -> Optional[tuple]:
    """Rows (centre of the top and bottom line) of the five equally spaced
    strongest peaks of a row profile."""
    profile = profile - np.median(profile)  # textured paper: a floor
    peak = profile.max()
    if peak <= 0:
        return None
    p = np.concatenate([[0.0], profile, [0.0]])
    rows = np.flatnonzero((p[1:-1] >= p[:-2]) & (p[1:-1] > p[2:])
                          & (profile > 0.3 * peak))
    centres = []
    for r in rows:  # sub-pixel centre: parabola through the peak
        a, b, c = p[r], p[r + 1], p[r + 2]
        denom = a - 2 * b + c
        centres.append(r + (0.5 * (a - c) / denom if denom < 0 else 0.0))
    best, best_score = None, -1.0
    for i in range(len(rows)):
        for j in range(i + 4, len(rows)):  # i: top line, j: bottom line
            gap = (centres[j] - centres[i]) / 4
            if gap < 2:
                continue
            chosen = [i]
            for k in range(1, 4):  # the middle lines
                want = centres[i] + k * gap
                near = int(np.argmin([abs(c - want) for c in centres]))
                if abs(centres[near] - want) > max(1.0, 0.3 * gap):
                    break
                chosen.append(near)
            if len(chosen) < 4:
                continue
            chosen.append(j)
            heights = profile[rows[chosen]]
            score = float(heights.sum() + 5 * heights.min())
            if score > best_score:
                best_score = score
                best = (centres[i], centres[j])
    return best


def find_staff_lines(img: np.ndarray,
                     angles: Sequence[float] = ANGLES) -> Staff:
    """Find the five lines of the (one) staff of a fragment image.

    Args:
        img (np.ndarray): uint8 (H, W) grayscale, (H, W, 3) BGR or
            (H, W, 4) BGRA; dark ink on light paper.
        angles (Sequence[float]): Rotations (degrees) tried to straighten
            the staff. Defaults to :data:`ANGLES` (-4..4 by 0.5).

    Returns:
        Staff: Top/bottom line rows and horizontal extent in the image
        rotated by ``angle``.

    Raises:
        StaffNotFound: If no five equally spaced long lines are found.
    """
    gray = _gray(img)
    if gray.size == 0 or min(gray.shape) < 8:
        raise StaffNotFound('image too small for a staff')
    dark = _darkness(gray)
    if not dark.any():
        raise StaffNotFound('no ink')
    angle = _best_angle(dark, angles)
    if angle:
        dark = _rotate(dark, angle, 0)
    runs = _long_runs(dark)
    found = _five_lines(runs.mean(axis=1, dtype=np.float64))
    if found is None:
        raise StaffNotFound('no five equally spaced staff lines')
    top, bottom = found
    rows = [int(round(top + k * (bottom - top) / 4)) for k in range(5)]
    lines = runs[rows].mean(axis=0)  # (W,): darkness along the staff
    cols = np.flatnonzero(lines > 0.25 * np.percentile(lines, 90))
    if cols.size == 0:
        raise StaffNotFound('staff lines too short')
    return Staff(top, bottom, int(cols[0]), int(cols[-1]), angle)


def normalize_staff(img: np.ndarray,
                    height: int = 64,
                    spaces_above: float = 3.0,
                    spaces_below: float = 3.0,
                    side_spaces: float = 1.0,
                    staff: Optional[Staff] = None) -> np.ndarray:
    """Crop and scale a fragment around its staff (see module docstring).

    Args:
        img (np.ndarray): uint8 (H, W), (H, W, 3) or (H, W, 4) image.
        height (int): Output height (px). Defaults to 64.
        spaces_above (float): Staff spaces kept above the top line.
            Defaults to 3 (two ledger lines and a note above them).
        spaces_below (float): Staff spaces kept below the bottom line.
            Defaults to 3.
        side_spaces (float): Staff spaces kept left and right of the staff
            lines. Defaults to 1.
        staff (Staff, optional): A staff found before (else found here).

    Returns:
        np.ndarray: uint8 image of ``height`` rows, the input's channels
        (BGRA -> BGR); the staff spans ``4 / (4 + above + below)`` of it.

    Raises:
        StaffNotFound: If the staff cannot be found.
    """
    if img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    staff = staff or find_staff_lines(img)
    paper = np.percentile(img.reshape(-1, 1 if img.ndim == 2 else 3), 90,
                          axis=0)
    fill = tuple(float(v) for v in paper) if img.ndim == 3 else float(
        paper[0])
    img = _rotate(img, staff.angle, fill)
    space = staff.space
    y0 = staff.top - spaces_above * space
    y1 = staff.bottom + spaces_below * space
    x0 = staff.left - side_spaces * space
    x1 = staff.right + side_spaces * space
    scale = height / (y1 - y0)
    width = max(1, int(round((x1 - x0) * scale)))
    gain_x = gain_y = scale  # output px per px of the (shrunk) input
    if scale < 1:  # shrink by area averaging first, then place sub-pixel
        h, w = img.shape[:2]
        size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        gain_x, gain_y = scale * w / size[0], scale * h / size[1]  # ~1
    # Input (x, y) -> output ((x - x0) * scale, (y - y0) * scale).
    matrix = np.float32([[gain_x, 0, -x0 * scale], [0, gain_y, -y0 * scale]])
    return cv2.warpAffine(img, matrix, (width, height),
                          flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
