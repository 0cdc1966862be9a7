"""Plain helpers for the OMR model tests: a drawn staff fragment image."""
from typing import Sequence

import cv2
import numpy as np


def staff_image(height: int = 64,
                width: int = 400,
                note_rows: Sequence[int] = (26, 30, 34, 38),
                paper: int = 245,
                ink: int = 15) -> np.ndarray:
    """A grayscale staff (10 staff spaces high) with filled noteheads.

    Staff lines sit at 3..7 spaces from the top (the renders' +-3 spaces
    window); noteheads are drawn at ``note_rows`` in turn, every 30 px.

    Returns:
        np.ndarray: uint8 (height, width).
    """
    space = height / 10
    img = np.full((height, width), paper, np.uint8)
    for k in range(5):
        y = int(round((3 + k) * space))
        img[y:y + 1] = ink
    rx, ry = int(round(0.65 * space)), int(round(0.45 * space))
    for i, x in enumerate(range(30, width - 10, 30)):
        cv2.ellipse(img, (x, note_rows[i % len(note_rows)]), (rx, ry), -20, 0,
                    360, ink, -1)
    return img
