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
projection is the sharpest wins (to a fiftieth of a degree). Photo-like
input is read twice, with the darkness against the local paper (uneven
light, backgrounds and noise otherwise pull the angle to 0 and hide dim
lines) and against the global paper level; the staff whose lines stand out
more wins. Its ends and exact lines are then measured in staff-space units.

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


def _line_darkness(gray: np.ndarray, box: int,
                   size: Optional[int] = None) -> np.ndarray:
    """Darkness of thin horizontal ink against the *local* paper, float32
    (H, W), for finding the staff on photo-like input.

    The local paper level is a grey closing, ``size`` px square (default:
    a quarter of the height; ink thinner than that in some direction
    vanishes in it; square, so that thick barlines stay ink and do not cut
    the staff lines short), so uneven light, shadows and photo backgrounds
    drop out instead of swamping the row projection (which then favoured
    angle 0 and missed tilted or dim staffs). A short horizontal box filter
    then averages camera noise along the lines (noise would otherwise eat
    the long horizontal minimum of :func:`_long_runs`); noteheads only
    widen a little. The box (``box`` px wide) lengthens each line by about
    ``box / 4`` at either end at the threshold of :func:`_measure`, which
    that takes back.
    """
    gray = gray.astype(np.float32)
    size = max(5, size or gray.shape[0] // 4) | 1
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE,
                             np.ones((size, size), np.uint8))
    dark = paper - gray
    return cv2.blur(dark, (box, 1)) if box > 1 else dark


def _rotate(img: np.ndarray, angle: float, fill) -> np.ndarray:
    """Rotate about the centre, same size, outside filled with ``fill``."""
    if angle == 0:
        return img
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def _long_runs(dark: np.ndarray, length: Optional[int] = None) -> np.ndarray:
    """Horizontal grey opening: keeps what is dark over ``length`` px
    (default ``W / 10``) in a row (staff lines, long beams), removes
    noteheads, stems and text."""
    kernel = np.ones((1, max(3, length or dark.shape[1] // 10)), np.uint8)
    return cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)


def _projection_score(dark: np.ndarray, angle: float) -> float:
    """Sharpness (sum of squares) of the row projection at ``angle``
    (:func:`_best_angle` pads the canvas so that no ink leaves it)."""
    rotated = _rotate(dark, angle, 0) if angle else dark
    profile = rotated.sum(axis=1, dtype=np.float64)
    return float((profile ** 2).sum())


def _best_angle(dark: np.ndarray, angles: Sequence[float]) -> float:
    """The angle whose row projection is sharpest (sum of squares), on the
    grid ``angles``, then refined to a tenth and a fiftieth of a degree
    (a long fragment drifts by a staff space over a quarter degree)."""
    h, w = dark.shape
    # paper (and a noise floor) at 0: a uniform background would otherwise
    # favour angle 0, where the rotated frame loses none of it
    dark = dark - np.float32(np.median(dark))
    pad = int(np.ceil(w / 2 * np.sin(np.deg2rad(
        max(abs(a) for a in angles) + 0.5)))) + 1
    dark = cv2.copyMakeBorder(dark, pad, pad, 0, 0, cv2.BORDER_CONSTANT,
                              value=0)
    best, best_score = 0.0, -1.0
    for angle in sorted(angles, key=abs):  # ties: the smallest rotation
        score = _projection_score(dark, angle)
        if score > best_score * (1 + 1e-6):
            best, best_score = float(angle), score
    lo, hi = min(angles), max(angles)
    step = float(np.min(np.diff(sorted(angles)))) if len(angles) > 1 else 0
    for fine in (0.1, 0.02):
        if step <= fine:
            break
        centre = best
        for k in range(-int(round(step / fine)), int(round(step / fine)) + 1):
            angle = round(centre + k * fine, 4)
            if k == 0 or not lo - step / 2 <= angle <= hi + step / 2:
                continue
            score = _projection_score(dark, angle)
            if score > best_score * (1 + 1e-6):
                best, best_score = float(angle), score
        step = fine
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
    plain = _darkness(gray)
    if not plain.any():
        raise StaffNotFound('no ink')
    # Two readings of the darkness: against the local paper (photos:
    # uneven light, backgrounds, noise) and against the image's paper level
    # (a step in the paper's tone, e.g. margins added in another grey, makes
    # false long edges in the local one); the staff whose lines stand out
    # more from the paper between them wins.
    best = None
    for dark in (_line_darkness(gray, max(3, gray.shape[1] // 100)), plain):
        angle = _best_angle(dark, angles)
        runs = _long_runs(_rotate(dark, angle, 0) if angle else dark)
        found = _five_lines(runs.mean(axis=1, dtype=np.float64))
        staff = found and _measure(gray, found[0], found[1], angle)
        if staff and (best is None or staff[1] > best[1]):
            best = staff
    if best is None:
        raise StaffNotFound('no five equally spaced staff lines')
    return best[0]


def _measure(gray: np.ndarray, top: float, bottom: float,
             angle: float) -> Optional[tuple]:
    """The staff's ends and refined lines, in staff-space units (so that
    they do not depend on the margins): darkness against the paper within
    3 spaces, averaged along the lines over a space, runs of 4 spaces.

    Returns:
        tuple(Staff, float) | None: The staff and its evidence (the lines'
        darkness above the paper between them, summed along the staff),
        or None if its lines are too short.
    """
    space = (bottom - top) / 4
    box = max(3, int(round(space)))
    dark = _line_darkness(gray, box, int(round(3 * space)))
    runs = _long_runs(_rotate(dark, angle, 0) if angle else dark,
                      int(round(4 * space)))
    # The ends: each line's strongest row within +-0.4 spaces (perspective
    # bends the lines away from their centre row towards the ends).
    h = runs.shape[0]
    rows = [min(max(int(round(top + k * space)), 0), h - 1)
            for k in range(5)]
    reach = max(1, int(round(0.4 * space)))
    lines = np.mean([runs[max(r - reach, 0):r + reach + 1].max(axis=0)
                     for r in rows], axis=0)  # (W,): darkness along the staff
    # minus the floor between the lines (noise raises the local paper
    # level of the closing, i.e. all darkness)
    lines -= np.mean([runs[min(max(int(round(top + (k + 0.5) * space)), 0),
                               h - 1)] for k in range(4)], axis=0)
    if not (lines > 0).any():
        return None
    cols = np.flatnonzero(lines > 0.25 * np.percentile(lines, 90))
    if cols.size == 0:
        return None
    left, right = int(cols[0]), int(cols[-1])
    evidence = float(np.clip(lines[left:right + 1], 0, None).sum())
    # The lines' centres again, projected over the staff's columns only.
    again = _five_lines(runs[:, left:right + 1].mean(axis=1,
                                                     dtype=np.float64))
    if again is not None and abs(again[0] - top) < 0.5 * space and abs(
            again[1] - bottom) < 0.5 * space:
        top, bottom = again
    trim = min(box // 4, (right - left) // 4)
    return Staff(top, bottom, left + trim, right - trim, angle), evidence


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
