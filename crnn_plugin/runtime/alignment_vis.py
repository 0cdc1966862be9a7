"""Picture of a prediction with its CTC alignment (best label per frame).

Frame ``t`` of ``T`` is drawn over the image columns
``[t * W / T, (t + 1) * W / T)`` (the receptive-field centres of CRNN's
frames are 4 px apart, paper §2.2). Frames whose best label is a character
are tinted and carry the character in the strip below the image; blank
frames show a small dot.
"""
from typing import Callable, Sequence

import cv2
import numpy as np

__all__ = ['draw_alignment']

_FONT = cv2.FONT_HERSHEY_SIMPLEX
# Alternating tints (BGR) so neighbouring characters stay apart.
_TINTS = ((60, 160, 255), (255, 160, 60), (90, 200, 90), (200, 90, 200))


def draw_alignment(image: np.ndarray,
                   frame_labels: Sequence[int],
                   label_char: Callable[[int], str],
                   text: str,
                   confidence: float,
                   scale: int = 3) -> np.ndarray:
    """Draw the input, the predicted text and the per-frame labels.

    Args:
        image (np.ndarray): The model's input image (uint8, (H, W) or
            (H, W, 3)), i.e. after resizing to the model height.
        frame_labels (Sequence[int]): Best label per valid frame, (T,).
        label_char (callable): Label index -> character ('' for blank).
        text (str): The prediction.
        confidence (float): Its confidence.
        scale (int): Magnification of the image. Defaults to 3.

    Returns:
        np.ndarray: BGR uint8 picture: header with the text, the image
        with tinted frames, and the alignment strip.
    """
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    height, width = image.shape[0] * scale, image.shape[1] * scale
    big = cv2.resize(image, (width, height), interpolation=cv2.INTER_NEAREST)
    header = f'{text}  ({confidence:.3f})' if text else \
        f'(empty)  ({confidence:.3f})'
    (text_w, _), _ = cv2.getTextSize(header, _FONT, 0.6, 1)
    canvas_w = max(width, text_w + 10)
    head_h, strip_h = 28, 26
    canvas = np.full((head_h + height + strip_h, canvas_w, 3), 255, np.uint8)
    cv2.putText(canvas, header, (5, 20), _FONT, 0.6, (0, 0, 0), 1,
                cv2.LINE_AA)
    overlay = big.copy()
    frames = max(len(frame_labels), 1)
    run = -1
    previous = None
    strip_top = head_h + height
    for t, label in enumerate(frame_labels):
        x0 = int(round(t * width / frames))
        x1 = max(int(round((t + 1) * width / frames)), x0 + 1)
        char = label_char(int(label))
        if not char:
            previous = None
            cv2.circle(canvas, ((x0 + x1) // 2, strip_top + strip_h // 2),
                       1, (150, 150, 150), -1)
            continue
        if label != previous:
            run += 1
        previous = label
        tint = _TINTS[run % len(_TINTS)]
        overlay[:, x0:x1] = tint
        cv2.rectangle(canvas, (x0, strip_top + 2), (x1 - 1,
                                                    strip_top + strip_h - 2),
                      tint, -1)
        (cw, ch), _ = cv2.getTextSize(char, _FONT, 0.45, 1)
        cv2.putText(canvas, char, ((x0 + x1 - cw) // 2,
                                   strip_top + (strip_h + ch) // 2), _FONT,
                    0.45, (0, 0, 0), 1, cv2.LINE_AA)
    canvas[head_h:head_h + height, :width] = cv2.addWeighted(
        big, 0.7, overlay, 0.3, 0)
    return canvas
