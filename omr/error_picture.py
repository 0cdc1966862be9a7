"""Pictures of OMR readings: the image, the truth and the reading, token by
token, wrong tokens in red (the pictures of ``docs/omr.md``).

:func:`align_tokens` pairs the truth with the reading along a minimal edit
script (rapidfuzz), so a missed notehead shows as ``-`` under its token
instead of shifting every later one; :func:`draw_readings` stacks one panel
per fragment.
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ['GAP', 'align_tokens', 'draw_readings']

GAP = '-'  # a token on one side with nothing on the other
_RED, _BLACK, _GREY = (190, 0, 0), (0, 0, 0), (100, 100, 100)
_FONTS = ('DejaVuSansMono.ttf', 'DejaVuSans.ttf')


def align_tokens(truth: Sequence[str],
                 read: Sequence[str]) -> List[Tuple[str, str]]:
    """Pair truth and reading tokens along a minimal Levenshtein script.

    Args:
        truth: Ground-truth tokens.
        read: Recognised tokens.

    Returns:
        list[tuple[str, str]]: (truth token, read token) columns; ``GAP`` on
        the side that has no token (a missed or an extra notehead).

    >>> align_tokens(['C4', 'D4', 'E4'], ['C4', 'E4'])
    [('C4', 'C4'), ('D4', '-'), ('E4', 'E4')]
    """
    from rapidfuzz.distance import Levenshtein

    columns = []
    for op in Levenshtein.opcodes(list(truth), list(read)):
        t = list(truth[op.src_start:op.src_end])
        r = list(read[op.dest_start:op.dest_end])
        width = max(len(t), len(r))
        t += [GAP] * (width - len(t))
        r += [GAP] * (width - len(r))
        columns.extend(zip(t, r))
    return columns


def _font(size: int) -> ImageFont.ImageFont:
    """DejaVu (Debian fonts-dejavu) if installed, else Pillow's own font."""
    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _text_width(draw: ImageDraw.ImageDraw, text: str,
                font: ImageFont.ImageFont) -> int:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return right - left


def _scaled(image: np.ndarray, height: int, zoom: int,
            width_scale: float = 1.0) -> Image.Image:
    """Grayscale ``image`` resized to ``height`` rows (aspect kept, the width
    then times ``width_scale``), enlarged ``zoom`` times with visible pixels
    (nearest neighbour)."""
    width = max(1, round(image.shape[1] * height / image.shape[0] *
                         width_scale))
    small = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    return Image.fromarray(small).resize((width * zoom, height * zoom),
                                         Image.NEAREST)


def draw_readings(panels: Sequence[dict],
                  title: Optional[str] = None,
                  model_height: Optional[int] = None,
                  model_width_scale: float = 1.0,
                  font_size: int = 18) -> Image.Image:
    """One panel per fragment: image, truth row, read row, caption.

    Args:
        panels: Dicts with ``image`` (np.ndarray, grayscale, H x W uint8),
            ``truth`` and ``read`` (token lists), an optional ``caption``
            and an optional ``engraved`` image (np.ndarray, grayscale: the
            reading re-engraved, :func:`omr.render.engrave_reading`),
            shown below the tokens at the stored image's height.
        title: Text above the first panel.
        model_height: Also show each image resized to this height (the
            model's input, e.g. 32), below the image as stored.
        model_width_scale: Width factor of that view (2 for the wide
            config's ``StretchedRescaleToHeight(width_scale=2)``).
        font_size: Text size in pixels.

    Returns:
        PIL.Image.Image: RGB picture; the image as stored is shown 2x, the
        model-height view ``128 // model_height`` x.
    """
    font = _font(font_size)
    probe = ImageDraw.Draw(Image.new('RGB', (1, 1)))
    line = font_size + 8

    def column_widths(columns):
        return [max(_text_width(probe, t, font), _text_width(probe, r, font))
                for t, r in columns]

    blocks = []  # (kind, payload) rows, drawn top to bottom
    if title:
        blocks.append(('text', (title, _BLACK)))
    for panel in panels:
        image = panel['image']
        blocks.append(('image', _scaled(image, image.shape[0], 2)))
        if model_height:
            zoom = max(1, 128 // model_height)
            blocks.append(('image', _scaled(image, model_height, zoom,
                                            model_width_scale)))
        columns = align_tokens(panel['truth'], panel['read'])
        blocks.append(('tokens', (columns, column_widths(columns))))
        if panel.get('engraved') is not None:
            blocks.append(('image', _scaled(panel['engraved'],
                                            2 * image.shape[0], 1)))
        if panel.get('caption'):
            blocks.append(('text', (panel['caption'], _GREY)))
        blocks.append(('space', 12))

    label_width = max(_text_width(probe, s, font) for s in ('truth', 'read'))
    space = _text_width(probe, 'M', font)

    def block_size(kind, payload):
        if kind == 'image':
            return payload.size
        if kind == 'tokens':
            return (label_width + space + sum(w + space for w in payload[1]),
                    2 * line)
        if kind == 'text':
            return _text_width(probe, payload[0], font), line
        return 0, payload

    sizes = [block_size(kind, payload) for kind, payload in blocks]
    margin = 10
    canvas = Image.new(
        'RGB', (max(w for w, _ in sizes) + 2 * margin,
                sum(h + 4 for _, h in sizes) + 2 * margin), 'white')
    draw = ImageDraw.Draw(canvas)
    y = margin
    for (kind, payload), (_, height) in zip(blocks, sizes):
        if kind == 'image':
            canvas.paste(payload.convert('RGB'), (margin, y))
        elif kind == 'text':
            draw.text((margin, y), payload[0], fill=payload[1], font=font)
        elif kind == 'tokens':
            draw.text((margin, y), 'truth', fill=_BLACK, font=font)
            draw.text((margin, y + line), 'read', fill=_BLACK, font=font)
            x = margin + label_width + space
            for (t, r), width in zip(*payload):
                colour = _BLACK if t == r else _RED
                draw.text((x, y), t, fill=colour, font=font)
                draw.text((x, y + line), r, fill=colour, font=font)
                x += width + space
        y += height + 4
    return canvas
