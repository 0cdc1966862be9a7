"""Re-engrave a reading above its input image (``omr/recognize.py
--render``): what the model read, drawn by verovio, to compare by eye."""
import sys
from typing import List

import numpy as np

__all__ = ['engrave_reading', 'render']


def engrave_reading(tokens: List[str], mode: str) -> np.ndarray:
    """Grayscale engraving of a reading.

    Args:
        tokens (list[str]): Pitch tokens (engraved as quarter notes) or
            semantic symbols (engraved as read:
            :func:`omr.semantic.fragment_of`).
        mode (str): ``'semantic'`` for symbols, else pitch tokens.

    Returns:
        np.ndarray: (H, W) uint8.
    """
    if mode == 'semantic':
        from omr.engrave import engrave_fragment
        from omr.semantic import fragment_of
        return engrave_fragment(fragment_of(tokens))
    from omr.engrave import engrave_tokens
    from omr.export import choose_clef
    return engrave_tokens(tokens, choose_clef(tokens))


def render(image, tokens: List[str], path: str, mode: str = 'pitch') -> None:
    """Write the re-engraved tokens above the input image.

    Pitch tokens are engraved as quarter notes; semantic symbols as read
    (:func:`omr.semantic.fragment_of`), with their durations, rests,
    meter, key, clef and barlines.

    The engraving is scaled to the input's height (a crop of one staff
    then shows both at about the same staff size); the narrower picture is
    padded with white on the right.
    """
    import cv2

    from crnn_plugin.runtime.output_paths import replace_atomically
    color = image if image.ndim == 3 else cv2.cvtColor(image,
                                                       cv2.COLOR_GRAY2BGR)
    parts = [color]
    if tokens:
        engraved = np.asarray(engrave_reading(tokens, mode))
        if engraved.ndim == 2:
            engraved = cv2.cvtColor(engraved, cv2.COLOR_GRAY2BGR)
        engraved = engraved[..., :3].astype(np.uint8)
        height = color.shape[0]
        width = max(1, round(engraved.shape[1] * height / engraved.shape[0]))
        parts.insert(0, cv2.resize(engraved, (width, height),
                                   interpolation=cv2.INTER_AREA))
    else:
        print('warning: no notes recognized; --render shows the input only',
              file=sys.stderr)
    width = max(p.shape[1] for p in parts)
    parts = [
        cv2.copyMakeBorder(p, 0, 0, 0, width - p.shape[1],
                           cv2.BORDER_CONSTANT, value=(255, 255, 255))
        for p in parts
    ]
    gap = np.full((max(4, parts[-1].shape[0] // 16), width, 3), 255,
                  np.uint8)
    picture = np.vstack(parts[:-1] + [gap, parts[-1]])
    with replace_atomically(path, '.png') as tmp:  # PNG, whatever the name
        if not cv2.imwrite(tmp, picture):
            raise OSError(f'cannot write {path}')
