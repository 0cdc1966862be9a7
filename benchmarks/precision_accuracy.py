"""Word accuracy and speed of each backend/precision on one labelled set.

Runs :class:`crnn_plugin.apis.TextRecognizer` four ways on the same
``--num`` images of a labelled LMDB (read and scored as
``accuracy_vs_tesseract.py`` does, with its helpers: case-folded
``[0-9a-z]``, word accuracy = exact match):

* torch fp32 (the reference every row is compared with),
* torch bf16 (autocast),
* ONNX Runtime fp32,
* ONNX Runtime int8 (convolutions quantized, static ranges calibrated on
  ``--calib-num`` images of ``--calib``: by default the first 256 training
  renders, which share no fonts and no word list with the held-out
  validation set; if ``--calib`` is the evaluated LMDB itself, the images
  right after the evaluated ones are used, never the evaluated ones).

For each: word accuracy, its change vs torch fp32 in percentage points,
how many texts differ from torch fp32 (and how many of those turned a
right answer wrong / a wrong one right), images/s and CPU ms/image
(median of ``--repeats`` passes, all systems interleaved per pass, same
``--threads``). The texts of every pass must agree; the first pass is
scored.

``--systems`` picks rows (torch fp32, the reference, is always run). By
default torch bf16 is left out on CPUs without native bfloat16 (no
AVX512-BF16/AMX: oneDNN emulates it, >14x slower than fp32, a 2,000-image
pass takes over half an hour); name it in ``--systems`` to run it anyway,
e.g. on a subset with ``--num``.

Example::

    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/precision_accuracy.py \\
        checkpoints/crnn_mini-vgg_synth.pth --data data/synth/val \\
        --calib data/synth/train --json precision_accuracy.json
"""
import argparse
import datetime
import json
import os
import os.path as osp
import statistics
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from accuracy_vs_tesseract import normalize, read_lmdb, score  # noqa: E402

#: (backend, precision) rows in table order; the first is the reference.
SYSTEMS = (('torch', 'fp32'), ('torch', 'bf16'), ('onnx', 'fp32'),
           ('onnx', 'int8'))


def calibration_images(args: argparse.Namespace) -> tuple:
    """Images for the int8 ranges, disjoint from the evaluated ones.

    Returns:
        tuple(list[np.ndarray], list[str], str): Images, their labels and
        a description of where they came from.
    """
    same = osp.realpath(args.calib) == osp.realpath(args.data)
    if not same:
        images, labels = read_lmdb(args.calib, args.calib_num)
        return images, labels, (f'first {len(images)} images of '
                                f'{args.calib}')
    images, labels = read_lmdb(args.calib, args.num + args.calib_num)
    if len(images) <= args.num:
        raise SystemExit(f'--calib {args.calib} is the evaluated LMDB and '
                         f'has no images after the first {args.num}: pass '
                         'another LMDB or a smaller --num')
    images, labels = images[args.num:], labels[args.num:]
    return images, labels, (f'images {args.num + 1}-{args.num + len(images)}'
                            f' of {args.calib} (after the evaluated ones)')


def system_name(backend: str, precision: str) -> str:
    """``--systems`` spelling of a row, e.g. ``torch-fp32``."""
    return f'{backend}-{precision}'


def select_systems(requested: Optional[str]) -> tuple:
    """The rows to run, in table order, and why any default row was left out.

    Args:
        requested (str, optional): Comma-separated ``backend-precision``
            names; None for the default (every row, less torch bf16 on a CPU
            without native bfloat16).

    Returns:
        tuple(list[tuple[str, str]], list[str]): Rows and notes.
    """
    from crnn_plugin.engine import cpu_supports_bf16
    names = {system_name(*row): row for row in SYSTEMS}
    if requested is None:
        if cpu_supports_bf16():
            return list(SYSTEMS), []
        return [row for row in SYSTEMS if row != ('torch', 'bf16')], [
            'torch bf16 left out: this CPU has no native bfloat16 '
            '(AVX512-BF16/AMX) and oneDNN emulates it >14x slower than fp32; '
            'pass --systems torch-fp32,torch-bf16 (with a small --num) to '
            'measure its accuracy anyway']
    wanted = [name.strip() for name in requested.split(',') if name.strip()]
    unknown = [name for name in wanted if name not in names]
    if unknown:
        raise SystemExit(f'--systems: unknown {", ".join(unknown)}; choose '
                         f'from {", ".join(names)}')
    wanted.append(system_name(*SYSTEMS[0]))  # the reference always runs
    return [row for row in SYSTEMS if system_name(*row) in wanted], []


def build_systems(args: argparse.Namespace,
                  calibration: Sequence[np.ndarray],
                  rows: Sequence[tuple]) -> Dict[str, Callable]:
    """``name -> (images -> texts)`` for each ``(backend, precision)`` of
    ``rows``."""
    from crnn_plugin.apis import TextRecognizer
    systems = {}
    for backend, precision in rows:
        rec = TextRecognizer(
            args.config, args.checkpoint, backend=backend,
            precision=precision, batch_size=args.batch_size,
            threads=args.threads, workers=0,
            calibration=calibration if precision == 'int8' else None)
        systems[f'{backend} {precision}'] = (
            lambda images, rec=rec: [r.text for r in rec(images)])
    return systems


def run_interleaved(systems: Dict[str, Callable], images: List[np.ndarray],
                    repeats: int) -> dict:
    """Texts and per-pass wall/CPU seconds, systems interleaved per pass
    after a warm-up call on the first 32 images.

    Returns:
        dict: name -> dict(texts, wall, cpu, unstable), where ``texts`` are
        the first pass's and ``unstable`` counts images whose text changed
        in a later pass.
    """
    from tqdm import tqdm
    out = {name: dict(texts=None, wall=[], cpu=[], unstable=0)
           for name in systems}
    for run in systems.values():  # warm-up: lazy allocations, first calls
        run(images[:32])
    with tqdm(total=repeats * len(systems), unit='pass', leave=False) as bar:
        for _ in range(repeats):
            for name, run in systems.items():
                w0, c0 = time.perf_counter(), time.process_time()
                texts = run(images)
                out[name]['wall'].append(time.perf_counter() - w0)
                out[name]['cpu'].append(time.process_time() - c0)
                first = out[name]['texts']
                if first is None:
                    out[name]['texts'] = texts
                else:
                    out[name]['unstable'] = max(
                        out[name]['unstable'],
                        sum(a != b for a, b in zip(first, texts)))
                bar.update()
    return out


def compare(runs: dict, labels: Sequence[str]) -> Dict[str, dict]:
    """Accuracy, change vs the reference and speed of every system."""
    ref_name = ' '.join(SYSTEMS[0])
    ref = runs[ref_name]['texts']
    ref_ok = [normalize(p) == normalize(t) for p, t in zip(ref, labels)]
    ref_acc = score(ref, labels)['word_acc']
    n = len(labels)
    rows = {}
    for name, run in runs.items():
        texts = run['texts']
        ok = [normalize(p) == normalize(t) for p, t in zip(texts, labels)]
        metrics = score(texts, labels)
        wall = statistics.median(run['wall'])
        rows[name] = dict(
            backend=name.split()[0],
            precision=name.split()[1],
            word_acc=metrics['word_acc'],
            ned=metrics['ned'],
            delta_pp=100 * (metrics['word_acc'] - ref_acc),
            differ=sum(a != b for a, b in zip(texts, ref)),
            right_to_wrong=sum(r and not o for r, o in zip(ref_ok, ok)),
            wrong_to_right=sum(o and not r for r, o in zip(ref_ok, ok)),
            images_per_s=n / wall,
            cpu_ms_per_image=1000 * statistics.median(run['cpu']) / n,
            spread=(max(run['wall']) - min(run['wall'])) / wall,
            unstable=run['unstable'],
            examples=[dict(label=t, reference=r, text=p)
                      for t, r, p in zip(labels, ref, texts) if p != r][:10])
    ref_speed = rows[ref_name]['images_per_s']
    for row in rows.values():
        row['speed_vs_ref'] = row['images_per_s'] / ref_speed
    return rows


def print_table(rows: Dict[str, dict]) -> None:
    """The result as a Markdown table."""
    print('| backend | precision | word acc | change vs torch fp32 (pp) | '
          'texts != torch fp32 (right->wrong / wrong->right) | images/s | '
          'CPU ms/image | spread | x torch fp32 speed |')
    print('|---|---|---|---|---|---|---|---|---|')
    for row in rows.values():
        print(f'| {row["backend"]} | {row["precision"]} | '
              f'{100 * row["word_acc"]:.2f}% | {row["delta_pp"]:+.2f} | '
              f'{row["differ"]} ({row["right_to_wrong"]} / '
              f'{row["wrong_to_right"]}) | {row["images_per_s"]:.1f} | '
              f'{row["cpu_ms_per_image"]:.2f} | {100 * row["spread"]:.0f}% | '
              f'{row["speed_vs_ref"]:.2f} |')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('checkpoint', help='.pth checkpoint')
    parser.add_argument('--config', help='default: the config saved in the '
                        'checkpoint (meta.cfg)')
    parser.add_argument('--data', default='data/synth/val',
                        help='labelled text-recognition LMDB')
    parser.add_argument('--num', type=int, help='first N images (all)')
    parser.add_argument('--calib', default='data/synth/train',
                        help='LMDB of the int8 calibration images')
    parser.add_argument('--calib-num', type=int, default=256)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument(
        '--systems', help='comma-separated rows to run, from ' +
        ', '.join(system_name(*row) for row in SYSTEMS) +
        ' (default: all; torch-bf16 only on CPUs with native bfloat16)')
    parser.add_argument('--json', help='write the result to this file')
    args = parser.parse_args(argv)
    for name in ('num', 'calib_num', 'threads', 'batch_size', 'repeats'):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f'--{name.replace("_", "-")} must be >= 1')
    return args


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    selected, notes = select_systems(args.systems)
    for note in notes:
        print(note, file=sys.stderr)
    images, labels = read_lmdb(args.data, args.num)
    args.num = len(images)
    if ('onnx', 'int8') in selected:
        calib, calib_labels, calib_source = calibration_images(args)
    else:
        calib, calib_labels, calib_source = [], [], 'not used (no int8 row)'
    shared = set(map(normalize, calib_labels)) & set(map(normalize, labels))
    print(f'{len(images)} images of {args.data}; int8 calibration: '
          f'{calib_source} ({len(shared)} of its texts also occur in the '
          'evaluated set)', file=sys.stderr)
    t0 = time.perf_counter()
    systems = build_systems(args, calib, selected)
    build_s = time.perf_counter() - t0
    runs = run_interleaved(systems, images, args.repeats)
    rows = compare(runs, labels)
    from crnn_plugin.checkpoint import load_checkpoint_weights_only
    meta = load_checkpoint_weights_only(
        args.checkpoint, map_location='cpu').get('meta', {})
    print(f'\n{args.data}: {len(images)} images; checkpoint '
          f'{args.checkpoint} (iteration {meta.get("iter")}); '
          f'{args.threads} thread(s), batch {args.batch_size}, median of '
          f'{args.repeats}; load average {os.getloadavg()[0]:.1f}')
    print_table(rows)
    print(f'int8 calibration: {calib_source}')
    for note in notes:
        print(note)
    for name, row in rows.items():
        if row['unstable']:
            print(f'WARNING: {name} changed {row["unstable"]} texts between '
                  'passes')
    record = dict(
        checkpoint=osp.abspath(args.checkpoint), iteration=meta.get('iter'),
        config=args.config, data=osp.abspath(args.data), num=len(images),
        calibration=dict(source=calib_source, num=len(calib),
                         texts_shared_with_data=len(shared)),
        threads=args.threads, batch_size=args.batch_size,
        repeats=args.repeats, build_seconds=build_s, notes=notes,
        load_average=os.getloadavg()[0],
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'),
        rows=rows)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(record, f, indent=1)
        print(f'wrote {args.json}')
    return record


if __name__ == '__main__':
    main()
