"""Which mistakes does an OMR model make? (pitch mode, by error class)

Reads the fragments of an LMDB (``data/omr/val`` by default: held-out
pieces, clean renders) with a checkpoint, like ``omr/recognize.py``, and
counts the wrong readings per class of :mod:`omr.error_analysis` (missed
notehead, wrong staff position, letter-wide, other accidental) and
the accidental confusions (true -> read). ``--out`` writes one JSON line
per fragment (index, truth, reading, class).

Example::

    OMP_NUM_THREADS=2 python tools/analysis/omr_errors.py \\
        checkpoints/crnn_omr_reduced.pth --num 1000 --out errors.jsonl
"""
import argparse
import json
import os.path as osp
import sys
from typing import List, Optional

from tqdm import tqdm

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)

from crnn_plugin.datasets.lmdb_env import open_readonly_env  # noqa: E402
from omr.error_analysis import summarize  # noqa: E402
from omr.metrics import fragment_tokens  # noqa: E402
from omr.recognize import load_recognizer  # noqa: E402


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='OMR model checkpoint')
    parser.add_argument('--config', default=None,
                        help='model config (default: the one saved in or '
                        'next to the checkpoint, else the reduced config)')
    parser.add_argument('--lmdb', default=osp.join(ROOT, 'data', 'omr',
                                                   'val'),
                        help='LMDB of fragments (image-%%09d, label-%%09d)')
    parser.add_argument('--num', type=int, default=None,
                        help='read only the first NUM fragments')
    parser.add_argument('--out', default=None,
                        help='JSON lines: index, truth, read, class')
    return parser.parse_args(argv)


def read_lmdb(path: str, num: Optional[int]) -> List[tuple]:
    """(index, image bytes, label tokens) of the first ``num`` samples."""
    with open_readonly_env(path).begin() as txn:
        total = int(txn.get(b'num-samples'))
        count = total if num is None else min(num, total)
        return [(i, txn.get(b'image-%09d' % i),
                 txn.get(b'label-%09d' % i).decode().split())
                for i in range(1, count + 1)]


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    samples = read_lmdb(args.lmdb, args.num)
    recognizer = load_recognizer(args.checkpoint, args.config)
    pairs = []
    for _, image, truth in tqdm(samples, desc='read', unit='fragment'):
        result, = recognizer([image])
        pairs.append((truth, fragment_tokens(result.text, 'pitch')))
    summary = summarize(pairs)
    if args.out:
        with open(args.out, 'w') as f:
            for (index, _, _), (truth, pred), error in zip(
                    samples, pairs, summary['errors']):
                f.write(json.dumps(dict(
                    index=index, truth=' '.join(truth), read=' '.join(pred),
                    error=error)) + '\n')
    n = summary['fragments']
    print(f'{n} fragments of {args.lmdb}')
    for name, count in summary['classes'].items():
        print(f'  {name:15s} {count:6d}  {100 * count / max(n, 1):5.1f}%')
    wrong = sum(summary['confusion'].values())
    print(f'accidental confusions (true -> read), {wrong} tokens:')
    for (true, read), count in summary['confusion'].items():
        print(f'  {true or "none":>4s} -> {read or "none":4s} {count:6d}')
    return summary


if __name__ == '__main__':
    main()
