#!/usr/bin/env python
"""A held-out word set from another generator: TextRecognitionDataGenerator.

TRDG (``pip install trdg``; its own 100 font files, dictionary, background
photos and distortions) is never used for training: its words measure how
the text model reads images that our engine did not draw. The set mixes
TRDG's four background kinds (Gaussian noise, plain white, quasicrystal,
photos) in equal parts, each with random skew (up to 5 degrees), random
Gaussian blur (up to 1), random sine/cosine/random distortion on both axes
and text height 32; Python's ``random`` is seeded, so a run is repeatable.

TRDG needs Pillow < 10 (it calls ``FreeTypeFont.getsize``), so it runs in a
venv of its own; the result goes into an LMDB with the project's converter::

    python -m venv /tmp/trdg && /tmp/trdg/bin/pip install trdg \\
        'pillow<10' 'numpy<2' 'opencv-python<4.11'
    /tmp/trdg/bin/python tools/data/trdg_words.py data/trdg --num 1000
    python tools/data/convert_to_lmdb.py data/trdg/labels.txt \\
        data/trdg/lmdb --img-root data/trdg
"""
import argparse
import os
import os.path as osp
import random
import sys

# TRDG options per preset: random skew up to N degrees, distortion kind
# (3 = random noise) and orientation (2 = both axes).
PRESETS = {
    'harsh': ['-k', '5', '-rk', '-d', '3', '-do', '2'],
    'mild': ['-k', '2', '-rk', '-d', '0'],
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('out_dir', help='output folder (images + labels.txt)')
    parser.add_argument('--num', type=int, default=1000,
                        help='number of images (default: 1000)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of Python random (default: 0)')
    parser.add_argument('--preset', choices=sorted(PRESETS), default='harsh',
                        help='skew and distortion (default: harsh)')
    args = parser.parse_args()
    try:
        from trdg.run import main as trdg_main
    except ImportError as err:
        print(f'error: trdg is not importable ({err}); see --help',
              file=sys.stderr)
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    labels = []
    per_kind = -(-args.num // 4)
    for kind in range(4):
        count = min(per_kind, args.num - kind * per_kind)
        part = osp.join(args.out_dir, f'bg{kind}')
        random.seed(args.seed * 4 + kind)
        sys.argv = ['trdg', '-c', str(count), '-w', '1', '-f', '32',
                    '-b', str(kind), *PRESETS[args.preset], '-bl', '1',
                    '-rbl', '-na', '2', '-t', '1', '--output_dir', part]
        trdg_main()
        with open(osp.join(part, 'labels.txt'), encoding='utf-8') as f:
            for line in f:
                name, _, text = line.rstrip('\n').partition(' ')
                if text and osp.isfile(osp.join(part, name)):
                    labels.append(f'bg{kind}/{name}\t{text}')
    with open(osp.join(args.out_dir, 'labels.txt'), 'w',
              encoding='utf-8') as f:
        f.write('\n'.join(labels) + '\n')
    print(f'{len(labels)} images in {args.out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
