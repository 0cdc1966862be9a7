#!/usr/bin/env python
"""Render the small, deterministic toy word set used by the toy config.

Writes ``OUT_DIR/imgs/word_%03d.png`` (grayscale, height 32, black text on
white, width proportional to the word), ``OUT_DIR/labels.json`` (MMOCR 1.x
textrecog format) and, unless ``--no-lmdb``, the same samples as an LMDB in
``OUT_DIR/lmdb`` (keys ``num-samples``/``image-%09d``/``label-%09d``).

Words are 3-8 random lowercase letters/digits (the paper's 36 classes),
unique, drawn from ``random.Random(seed)``, rendered at most ``--max-width``
px wide; the font is Pillow's built-in
scalable font (``ImageFont.load_default(size=...)``, Pillow >= 10.1, needs
FreeType - bundled with the PyPI wheels), so no system font is needed.

Example:
  python tools/data/make_toy_dataset.py tests/data/toy_words --num 64
"""
import argparse
import json
import os
import os.path as osp
import random
import string
import sys
from typing import List, Optional

from PIL import Image, ImageDraw, ImageFont

CHARSET = string.ascii_lowercase + string.digits
HEIGHT = 32


def make_words(num: int, seed: int = 0, min_len: int = 3,
               max_len: int = 8) -> List[str]:
    """Return ``num`` unique random words over ``CHARSET``.

    Args:
        num (int): Number of words.
        seed (int): Random seed. Defaults to 0.
        min_len (int): Shortest word. Defaults to 3.
        max_len (int): Longest word. Defaults to 8.

    Returns:
        list[str]: The words, in generation order.

    Example:
        >>> make_words(3, seed=0) == make_words(3, seed=0)
        True
    """
    rng = random.Random(seed)
    words: List[str] = []
    seen = set()
    while len(words) < num:
        word = ''.join(
            rng.choice(CHARSET) for _ in range(rng.randint(min_len, max_len)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def load_font(size: int = 22, font_path: Optional[str] = None):
    """Pillow's built-in scalable font, or a TrueType file if given."""
    if font_path:
        return ImageFont.truetype(font_path, size)
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError('Pillow >= 10.1 with FreeType is needed for a '
                           'scalable default font; pass --font PATH.')
    return font


def render_word(word: str, font, pad: int = 4) -> Image.Image:
    """Render ``word`` black on white, grayscale, height 32.

    The vertical offset is computed from the whole charset, so every word
    shares one baseline.

    Args:
        word (str): Text to draw.
        font: A Pillow font.
        pad (int): Horizontal margin in pixels. Defaults to 4.

    Returns:
        PIL.Image.Image: Mode ``'L'`` image of size (W, 32).
    """
    _, top, _, bottom = font.getbbox(CHARSET)
    y = (HEIGHT - (bottom - top)) // 2 - top
    width = int(round(font.getlength(word))) + 2 * pad
    img = Image.new('L', (width, HEIGHT), color=255)
    ImageDraw.Draw(img).text((pad, y), word, font=font, fill=0)
    return img


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument('--num', type=int, default=64,
                        help='number of words (default: 64)')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed (default: 0)')
    parser.add_argument('--font-size', type=int, default=22,
                        help='font size in px (default: 22)')
    parser.add_argument('--font', default=None,
                        help='TrueType font file (default: Pillow built-in)')
    parser.add_argument('--max-width', type=int, default=100,
                        help='redraw words rendered wider than this, so '
                        'the 100x32 training resize never squeezes a word '
                        'the proportional-width test resize keeps '
                        '(default: 100)')
    parser.add_argument('--no-lmdb', action='store_true',
                        help='do not write OUT_DIR/lmdb')
    args = parser.parse_args(argv)

    font = load_font(args.font_size, args.font)
    os.makedirs(osp.join(args.out_dir, 'imgs'), exist_ok=True)
    data_list = []
    for word in make_words(args.num * 10, args.seed):
        img = render_word(word, font)
        if img.width > args.max_width:
            continue
        rel_path = f'imgs/word_{len(data_list):03d}.png'
        img.save(osp.join(args.out_dir, rel_path), optimize=True)
        data_list.append(dict(img_path=rel_path, instances=[dict(text=word)]))
        if len(data_list) == args.num:
            break
    ann = dict(
        metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'),
        data_list=data_list)
    with open(osp.join(args.out_dir, 'labels.json'), 'w',
              encoding='utf-8') as f:
        json.dump(ann, f, indent=1)
        f.write('\n')

    if not args.no_lmdb:
        from crnn_plugin.datasets import write_recog_lmdb
        lmdb_dir = osp.join(args.out_dir, 'lmdb')
        write_recog_lmdb(
            [(osp.join(args.out_dir, d['img_path']), d['instances'][0]['text'])
             for d in data_list],
            lmdb_dir,
            map_size=1024**2,
            overwrite=True,
            show_progress=False)
        # Readers open with lock=False; the lock file is not needed.
        lock_file = osp.join(lmdb_dir, 'lock.mdb')
        if osp.exists(lock_file):
            os.remove(lock_file)
    print(f'Wrote {len(data_list)} words to {args.out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
