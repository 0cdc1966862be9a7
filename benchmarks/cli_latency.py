"""Wall time of the reading commands: ONNX runtime vs PyTorch vs tesseract.

Runs, in one session and interleaved, the real commands a user types:

* ``tools/infer.py`` on word images and ``omr/recognize.py`` on score
  fragments, each with the default ONNX Runtime path and with
  ``--backend torch`` (the training stack: torch + MMOCR imported);
* the ``tesseract`` CLI on the word images (``--psm 7``; 300 images as one
  list file, one process), if installed; it has no OMR, so no score row;

on one image and on ``--num`` images (default 300) generated from the demo
images (rescaled, blurred and noised copies) in a temporary folder. Each
timing is the median of ``--repeats`` runs (the ``--num`` torch runs: one).
Before this work ``omr/recognize.py`` took one image per process, so a
folder cost ``num`` start-ups: that row ("one process per image") is the
measured one-image torch time times ``num`` (extrapolated, not run).
It also prints the CPU's kernel family (fp32; int8 VNNI/AMX or not) and the
precision the runtime ran (fp32: int8 is not the default, see
``docs/benchmarks.md``).

Example::

    nice -n 5 python benchmarks/cli_latency.py
"""
import argparse
import os
import os.path as osp
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import List

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

from crnn_plugin.runtime.cpu_features import kernel_family  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--num', type=int, default=300,
                        help='images of the folder runs')
    parser.add_argument('--repeats', type=int, default=3)
    return parser.parse_args()


def make_images(kind: str, num: int, folder: str) -> List[str]:
    """``num`` variants of the demo images of ``kind`` in ``folder``."""
    import cv2
    import numpy as np
    demo = osp.join(ROOT, 'demo', kind)
    sources = sorted(osp.join(demo, n) for n in os.listdir(demo)
                     if n.endswith(('.png', '.jpg')))
    rng = np.random.default_rng(0)
    os.makedirs(folder)
    paths = []
    for i in range(num):
        img = cv2.imread(sources[i % len(sources)], cv2.IMREAD_GRAYSCALE)
        scale = rng.uniform(0.7, 1.4)
        img = cv2.resize(img, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_AREA)
        if i % 3 == 1:
            img = cv2.GaussianBlur(img, (3, 3), 0)
        noise = rng.normal(0, 6, img.shape)
        img = np.clip(img + noise, 0, 255).astype(np.uint8)
        path = osp.join(folder, f'{kind}_{i:04d}.png')
        cv2.imwrite(path, img)
        paths.append(path)
    return paths


def wall(command: List[str], repeats: int) -> float:
    """Median wall time (s) of a command; it must succeed."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run(command, cwd=ROOT, capture_output=True,
                             text=True)
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            raise RuntimeError(f'{command[:3]} failed: {out.stderr[-500:]}')
    return statistics.median(times)


def main() -> None:
    args = parse_args()
    py = sys.executable
    family = kernel_family()
    import onnxruntime
    print(f'CPU: {family["machine"]}, {os.cpu_count()} cores; ONNX Runtime '
          f'{onnxruntime.__version__} MLAS kernels: fp32 {family["fp32"]}, '
          f'int8 {family["int8"]}; runtime precision: fp32 (shipped '
          'models; int8 is not the default)')
    tesseract = shutil.which('tesseract')
    tmp = tempfile.mkdtemp(prefix='cli_latency_')
    try:
        rows = []
        for kind, tool in (('words', 'tools/infer.py'),
                           ('scores', 'omr/recognize.py')):
            paths = make_images(kind, args.num, osp.join(tmp, kind))
            one, folder = [paths[0]], [osp.join(tmp, kind)]
            runtime_1 = wall([py, tool, *one], args.repeats)
            torch_1 = wall([py, tool, *one, '--backend', 'torch'],
                           args.repeats)
            runtime_n = wall([py, tool, *folder], args.repeats)
            torch_n = wall([py, tool, *folder, '--backend', 'torch'], 1)
            rows.append((tool, 'runtime (default)', runtime_1, runtime_n))
            rows.append((tool, '--backend torch', torch_1, torch_n))
            rows.append((tool, '--backend torch, one process per image',
                         torch_1, torch_1 * args.num))
            if kind == 'words' and tesseract:
                listing = osp.join(tmp, 'words.txt')
                with open(listing, 'w') as f:
                    f.write('\n'.join(paths) + '\n')
                base = [tesseract, '--psm', '7']
                rows.append(('tesseract', 'CLI', wall(
                    [*base, paths[0], 'stdout'], args.repeats),
                    wall([*base, listing, 'stdout'], args.repeats)))
        if not tesseract:
            print('tesseract: not installed, row skipped '
                  '(apt-get install tesseract-ocr)')
        print(f'\n| command | path | 1 image (s) | {args.num} images (s) |'
              f' x runtime (1) | x runtime ({args.num}) |')
        print('|---|---|---|---|---|---|')
        base = {}
        for tool, path, t1, tn in rows:
            if path.startswith('runtime'):
                base[tool] = (t1, tn)
            ref = base.get(tool, base.get('tools/infer.py'))
            print(f'| {tool} | {path} | {t1:.2f} | {tn:.1f} | '
                  f'{t1 / ref[0]:.2f} | {tn / ref[1]:.2f} |')
        print('\n(ratios > 1: slower than the runtime path of the same '
              'command; tesseract compared with tools/infer.py)')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
