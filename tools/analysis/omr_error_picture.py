"""Draw OMR readings: fragments of an LMDB with truth and reading, wrong
tokens in red (the error pictures of docs/omr.md).

Takes the JSON lines of ``tools/analysis/omr_errors.py --out`` (index,
truth, read, error class) and the LMDB they were read from.

Example (the two pictures of docs/omr.md)::

    python tools/analysis/omr_errors.py checkpoints/crnn_omr_reduced.pth \\
        --out clean.jsonl
    python tools/analysis/omr_errors.py checkpoints/crnn_omr_reduced.pth \\
        --lmdb data/omr/val_aug --out aug.jsonl
    python tools/analysis/omr_error_picture.py clean.jsonl --indices 38 \\
        --model-height 32 --model-width-scale 2 \\
        --out docs/images/omr_errors.png
    python tools/analysis/omr_error_picture.py aug.jsonl \\
        --lmdb data/omr/val_aug --right-in clean.jsonl \\
        --indices 61,23,134,247 --out docs/images/omr_errors_augmented.png

(``--model-width-scale 2``: the shipped model reads the wide config's input;
the docs' PNGs were then quantised to 256 colours.)
"""
import argparse
import json
import os.path as osp
import sys
from typing import List, Optional

import cv2
import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)

from crnn_plugin.datasets.lmdb_env import open_readonly_env  # noqa: E402
from omr.error_picture import draw_readings  # noqa: E402
from omr.render import engrave_reading  # noqa: E402


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('errors', help='JSON lines of omr_errors.py --out')
    parser.add_argument('--lmdb', default=osp.join(ROOT, 'data', 'omr',
                                                   'val'),
                        help='the LMDB the readings were made on')
    parser.add_argument('--indices', default=None,
                        help='comma-separated LMDB indices to draw '
                        '(default: the first --num wrong readings)')
    parser.add_argument('--num', type=int, default=4,
                        help='wrong readings to draw without --indices')
    parser.add_argument('--right-in', default=None,
                        help='without --indices: only fragments read right '
                        'in this other JSON-lines file (e.g. the clean '
                        'renders of augmented ones)')
    parser.add_argument('--model-height', type=int, default=None,
                        help='also show each image at this height (32: '
                        'what the reduced model reads)')
    parser.add_argument('--model-width-scale', type=float, default=1.0,
                        help='width factor of that view (2: the '
                        'input of configs/omr/crnn_omr_reduced.py)')
    parser.add_argument('--engrave', action='store_true',
                        help='also draw each reading re-engraved by verovio '
                        '(as omr/recognize.py --render)')
    parser.add_argument('--title', default=None)
    parser.add_argument('--caption', default='{split} #{index}: {error}',
                        help='per-fragment caption, a format string with '
                        '{split}, {index}, {error}')
    parser.add_argument('--out', required=True, help='PNG to write')
    return parser.parse_args(argv)


def read_jsonl(path: str) -> dict:
    """``{index: record}`` of an ``omr_errors.py --out`` file."""
    with open(path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return {r['index']: r for r in records}


def pick(records: dict, indices: Optional[str], num: int,
         right_in: Optional[dict]) -> List[int]:
    """The LMDB indices to draw (see the ``--indices``/``--num`` help)."""
    if indices:
        chosen = [int(i) for i in indices.split(',')]
        missing = [i for i in chosen if i not in records]
        if missing:
            raise SystemExit(f'indices not in the readings: {missing}')
        return chosen
    wrong = [i for i, r in sorted(records.items()) if r['error'] != 'correct'
             and (right_in is None or right_in.get(i, {}).get('error')
                  == 'correct')]
    return wrong[:num]


def main(argv: Optional[List[str]] = None) -> List[int]:
    args = parse_args(argv)
    records = read_jsonl(args.errors)
    right_in = read_jsonl(args.right_in) if args.right_in else None
    chosen = pick(records, args.indices, args.num, right_in)
    if not chosen:
        raise SystemExit('nothing to draw: no wrong reading matches')
    split = osp.basename(osp.normpath(args.lmdb))
    panels = []
    with open_readonly_env(args.lmdb).begin() as txn:
        for index in chosen:
            buf = txn.get(b'image-%09d' % index)
            if buf is None:
                raise SystemExit(f'{args.lmdb} has no image {index}')
            image = cv2.imdecode(np.frombuffer(buf, np.uint8),
                                 cv2.IMREAD_GRAYSCALE)
            record = records[index]
            read = record['read'].split()
            panels.append(dict(
                image=image, truth=record['truth'].split(), read=read,
                engraved=engrave_reading(read, 'pitch') if args.engrave
                and read else None,
                caption=args.caption.format(split=split, index=index,
                                            error=record['error'])))
    picture = draw_readings(panels, title=args.title,
                            model_height=args.model_height,
                            model_width_scale=args.model_width_scale)
    picture.save(args.out, optimize=True)
    print(f'{args.out}: {len(chosen)} fragments ({chosen}), '
          f'{picture.size[0]}x{picture.size[1]}')
    return chosen


if __name__ == '__main__':
    main()
