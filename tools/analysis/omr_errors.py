"""Which mistakes does an OMR model make? (by error class)

Reads the fragments of an LMDB (``data/omr/val`` by default: held-out
pieces, clean renders) with a checkpoint, like ``omr/recognize.py``, and
counts the wrong readings per class of :mod:`omr.error_analysis` (missed
notehead, wrong staff position, letter-wide, other accidental) and
the accidental confusions (true -> read). ``--mode semantic`` (a semantic
model; the LMDB's ``semantic-%09d`` labels) counts every symbol edit per
class of :mod:`omr.semantic_errors` instead (a dot missed, a key
signature's count, a missed tie, ...) and prints the symbol error rate.
``--pitch-model`` (semantic mode) gives each semantic reading a pitch
model's pitches, as ``omr/recognize.py --mode semantic`` does
(:mod:`omr.pitch_fusion`). ``--out`` writes one JSON line per fragment
(index, truth, reading, class or classes).

Example::

    OMP_NUM_THREADS=2 python tools/analysis/omr_errors.py \\
        checkpoints/crnn_omr_reduced.pth --num 1000 --out errors.jsonl
    python tools/analysis/omr_errors.py semantic.pth --mode semantic \\
        --config configs/omr/crnn_omr_reduced_semantic.py \\
        --lmdb data/omr_heldout/verovio_Leland/val
    python tools/analysis/omr_errors.py \
        checkpoints/crnn_omr_reduced_semantic.pth --mode semantic \
        --pitch-model checkpoints/crnn_omr_reduced.pth \
        --lmdb data/omr_heldout/verovio_Leland/val
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
from omr.semantic_errors import summarize_semantic  # noqa: E402
from omr.metrics import fragment_tokens  # noqa: E402
from omr.pitch_fusion import with_pitches  # noqa: E402
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
    parser.add_argument('--mode', choices=['pitch', 'semantic'],
                        default='pitch',
                        help='pitch: pitch labels and error classes; '
                        'semantic: semantic labels and symbol edits')
    parser.add_argument('--pitch-model', default=None,
                        help='semantic mode: a pitch-mode checkpoint whose '
                        'pitches the readings take (omr.pitch_fusion)')
    parser.add_argument('--out', default=None,
                        help='JSON lines: index, truth, read, class')
    return parser.parse_args(argv)


def read_lmdb(path: str, num: Optional[int],
              prefix: str = 'label') -> List[tuple]:
    """(index, image bytes, label tokens) of the first ``num`` samples
    (labels under ``prefix-%09d``)."""
    with open_readonly_env(path).begin() as txn:
        total = int(txn.get(b'num-samples'))
        count = total if num is None else min(num, total)
        return [(i, txn.get(b'image-%09d' % i),
                 (txn.get(f'{prefix}-{i:09d}'.encode()) or b'').decode()
                 .split()) for i in range(1, count + 1)]


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    semantic = args.mode == 'semantic'
    samples = read_lmdb(args.lmdb, args.num,
                        'semantic' if semantic else 'label')
    if args.pitch_model and not semantic:
        raise SystemExit('error: --pitch-model needs --mode semantic')
    recognizer = load_recognizer(args.checkpoint, args.config)
    pitch_recognizer = args.pitch_model and load_recognizer(args.pitch_model,
                                                            None)
    pairs = []
    for _, image, truth in tqdm(samples, desc='read', unit='fragment'):
        result, = recognizer([image])
        pred = fragment_tokens(result.text, args.mode)
        if pitch_recognizer:
            pitches, = pitch_recognizer([image])
            pred, _, _ = with_pitches(pred, fragment_tokens(pitches.text))
        pairs.append((truth, pred))
    summary = (summarize_semantic if semantic else summarize)(pairs)
    if args.out:
        with open(args.out, 'w') as f:
            for (index, _, _), (truth, pred), error in zip(
                    samples, pairs, summary['errors']):
                f.write(json.dumps(dict(
                    index=index, truth=' '.join(truth), read=' '.join(pred),
                    error=error)) + '\n')
    n = summary['fragments']
    print(f'{n} fragments of {args.lmdb}')
    if semantic:
        right, edits, symbols = (summary['right'], summary['edits'],
                                 summary['symbols'])
        print(f'  fully right {right} ({100 * right / max(n, 1):.1f}%); '
              f'symbol error rate {100 * edits / max(symbols, 1):.1f}% '
              f'({edits} edits of {symbols} symbols)')
        for name, count in summary['classes'].items():
            print(f'  {name:28s} {count:6d}')
        return summary
    for name, count in summary['classes'].items():
        print(f'  {name:15s} {count:6d}  {100 * count / max(n, 1):5.1f}%')
    wrong = sum(summary['confusion'].values())
    print(f'accidental confusions (true -> read), {wrong} tokens:')
    for (true, read), count in summary['confusion'].items():
        print(f'  {true or "none":>4s} -> {read or "none":4s} {count:6d}')
    return summary


if __name__ == '__main__':
    main()
