#!/usr/bin/env python
"""Save a grid of synthetic word images with their labels as a PNG.

Renders samples 0..rows*cols-1 of the generator exactly as
tools/data/synth_text.py would (same --seed/--fonts/--words/--charset/
--clean/--color), each shown at 2x (long ones shrunk to the cell width)
with its label and font family below.

Example (the README picture, docs/images/synth_samples.png):
  python tools/data/synth_preview.py docs/images/synth_samples.png \\
      --rows 6 --cols 4 --charset alnum
"""
import argparse
import os
import os.path as osp
import sys
from typing import List, Optional

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

CELL_W, SCALE, CAPTION_H = 256, 2, 14


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('out_png')
    p.add_argument('--rows', type=int, default=8)
    p.add_argument('--cols', type=int, default=4)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--start', type=int, default=0, help='first index')
    p.add_argument('--charset', default='lower_digits',
                   choices=['lower_digits', 'alnum'])
    p.add_argument('--fonts', default='train', choices=['train', 'val', 'all'])
    p.add_argument('--words', choices=['train', 'val', 'all'])
    p.add_argument('--clean', action='store_true')
    p.add_argument('--color', action='store_true')
    return p.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    from crnn_plugin.synth import (BUILTIN_FONT, CLEAN_STYLE, MJSYNTH_STYLE,
                                   SynthWordGenerator, WordCorpus,
                                   find_font_files, load_font)
    gen = SynthWordGenerator(
        WordCorpus(split=args.words or args.fonts),
        find_font_files(args.fonts), charset=args.charset,
        style=CLEAN_STYLE if args.clean else MJSYNTH_STYLE, seed=args.seed,
        color=args.color)
    cell_h = 32 * SCALE + CAPTION_H
    mode = 'RGB' if args.color else 'L'
    grid = Image.new(mode, (args.cols * (CELL_W + 4),
                            args.rows * (cell_h + 4)), 'white')
    draw = ImageDraw.Draw(grid)
    font = load_font(BUILTIN_FONT, 11)
    for k in range(args.rows * args.cols):
        sample = gen(args.start + k)
        img = sample.image[..., ::-1] if args.color else sample.image
        scale = min(SCALE, CELL_W / img.shape[1])  # long words: shrink
        tile = Image.fromarray(np.ascontiguousarray(img)).resize(
            (round(img.shape[1] * scale), round(32 * scale)),
            Image.NEAREST if scale == SCALE else Image.LANCZOS)
        x = (k % args.cols) * (CELL_W + 4) + 2
        y = (k // args.cols) * (cell_h + 4) + 2
        grid.paste(tile, (x, y + 32 * SCALE - tile.height))
        draw.text((x, y + 32 * SCALE + 1),
                  f'{sample.label}  [{sample.font.family}]', font=font,
                  fill=(0, 0, 160) if args.color else 0)
    os.makedirs(osp.dirname(osp.abspath(args.out_png)), exist_ok=True)
    grid.save(args.out_png, optimize=True)
    print(f'Wrote {args.rows * args.cols} samples to {args.out_png}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
