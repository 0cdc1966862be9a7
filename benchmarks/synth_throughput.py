"""Throughput of the synthetic word generator (images/s, 1 and N workers).

Times :func:`crnn_plugin.synth.iter_encoded` (text + font draw, rendering
with all distortions, PNG/JPEG encoding) and, in the same run and through
the same process pool, a baseline: plain Pillow text rendering of the same
texts in the same fonts, black on white at height 32, no augmentation, PNG
encoded (what ``tools/data/make_toy_dataset.py`` does). Ratios are ours /
baseline at equal worker count. Optionally times the whole CLI path
(``write_recog_lmdb`` into a temporary LMDB).

Configurations run interleaved, ``--repeats`` times each (median
reported), and the load average is printed before and after: on a shared
machine other processes compete for the cores, so compare ratios. The CPU
time per image (all processes, user + system) is printed too; it does not
depend on the load.

Example::

    nice -n 10 python benchmarks/synth_throughput.py --num 3000
"""
import argparse
import json
import os
import os.path as osp
import platform
import statistics
import sys
import tempfile
import time
from typing import Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

from crnn_plugin.datasets import write_recog_lmdb  # noqa: E402
from crnn_plugin.synth import (CLEAN_STYLE, MJSYNTH_STYLE,  # noqa: E402
                               SynthWordGenerator, WordCorpus,
                               find_font_files, iter_encoded, load_font)


class PlainPILBaseline:
    """Same (text, font) draws as ``gen``; plain black-on-white rendering."""

    def __init__(self, gen: SynthWordGenerator, font_px: int = 24) -> None:
        self.gen = gen
        self.font_px = font_px

    def prepare(self) -> 'PlainPILBaseline':
        self.gen.prepare()
        return self

    def encode(self, index: int) -> Tuple[bytes, str, str, int]:
        text, font, redraws = self.gen.draw_text_and_font(self.gen.rng(index))
        pil_font = load_font(font.path, self.font_px)
        _, top, _, bottom = pil_font.getbbox('Hg')
        width = int(pil_font.getlength(text)) + 8
        img = Image.new('L', (width, 32), 255)
        ImageDraw.Draw(img).text((4, (32 - (bottom - top)) // 2 - top), text,
                                 font=pil_font, fill=0)
        ok, buf = cv2.imencode('.png', np.asarray(img),
                               [cv2.IMWRITE_PNG_COMPRESSION, 3])
        assert ok
        return buf.tobytes(), self.gen.label_of(text), font.family, redraws


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its reaped children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def time_run(source, num: int, workers: int,
             start: int) -> Tuple[float, float]:
    """(wall, CPU) seconds to produce ``num`` encoded samples (pool start
    included; pool workers are joined, so their CPU time is counted)."""
    t0, c0 = time.perf_counter(), _cpu_seconds()
    count = sum(1 for _ in iter_encoded(source, num, workers, start))
    assert count == num
    return time.perf_counter() - t0, _cpu_seconds() - c0


def time_cli_path(gen: SynthWordGenerator, num: int, workers: int,
                  start: int) -> Tuple[float, float]:
    """(wall, CPU) seconds for render + write_recog_lmdb into a temporary
    LMDB."""
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), _cpu_seconds()
        samples = ((d, label) for d, label, _, _ in iter_encoded(
            gen, num, workers, start))
        write_recog_lmdb(samples, osp.join(tmp, 'b.lmdb'), total=num,
                         check_images=False, show_progress=False)
        return time.perf_counter() - t0, _cpu_seconds() - c0


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--num', type=int, default=3000, help='images per run')
    p.add_argument('--workers', type=int, nargs='+', default=[1, 2])
    p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--no-cli', action='store_true',
                   help='skip the render+LMDB (CLI path) timing')
    p.add_argument('--json', help='also write the results here')
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    cv2.setNumThreads(1)
    load_before = os.getloadavg()
    fonts = find_font_files('train')
    corpus = WordCorpus(split='train')
    gens = {
        'synth (MJSynth style)': SynthWordGenerator(corpus, fonts),
        'synth --clean': SynthWordGenerator(corpus, fonts, style=CLEAN_STYLE),
    }
    assert gens['synth (MJSynth style)'].style is MJSYNTH_STYLE
    sources = {'baseline: plain PIL, no aug': PlainPILBaseline(
        gens['synth (MJSynth style)']), **gens}
    for source in sources.values():  # warm caches before any fork
        source.prepare()
        for i in range(200):
            source.encode(10**9 + i)
    times = {}
    start = 0
    for _ in range(args.repeats):
        for workers in args.workers:
            for name, source in sources.items():
                times.setdefault((name, workers), []).append(
                    time_run(source, args.num, workers, start))
                start += args.num  # fresh samples every run
            if not args.no_cli:
                times.setdefault(('CLI path: synth + LMDB write', workers),
                                 []).append(time_cli_path(
                                     gens['synth (MJSynth style)'], args.num,
                                     workers, start))
                start += args.num
    load_after = os.getloadavg()

    print(f'machine: {os.cpu_count()} CPUs ({platform.processor() or "?"}),'
          f' python {platform.python_version()}; load average (1/5/15 min) '
          f'before {"/".join(f"{v:.2f}" for v in load_before)}, after '
          f'{"/".join(f"{v:.2f}" for v in load_after)}')
    print(f'{args.num} images per run, median of {args.repeats} runs '
          '(pool start-up included)\n')
    header = f'{"source":32s} {"workers":>7s} {"images/s":>9s} ' \
             f'{"vs baseline":>11s} {"CPU ms/img":>10s}'
    print(header)
    print('-' * len(header))
    rows = []
    for (name, workers), runs in times.items():
        rate = args.num / statistics.median(r[0] for r in runs)
        base = args.num / statistics.median(
            r[0] for r in times[('baseline: plain PIL, no aug', workers)])
        cpu_ms = 1000 * statistics.median(r[1] for r in runs) / args.num
        rows.append(dict(source=name, workers=workers, images_per_s=rate,
                         runs_wall_cpu_s=runs, ratio_vs_baseline=rate / base,
                         cpu_ms_per_image=cpu_ms))
    for row in sorted(rows, key=lambda r: (r['workers'], r['source'])):
        print(f'{row["source"]:32s} {row["workers"]:7d} '
              f'{row["images_per_s"]:9.0f} '
              f'{row["ratio_vs_baseline"]:10.2f}x '
              f'{row["cpu_ms_per_image"]:10.2f}')
    print('\nCPU ms/img: user+sys time of all processes per image (includes '
          'pool start-up and result transfer); '
          f'{os.cpu_count()} idle cores would give about '
          f'{os.cpu_count()} * 1000 / (CPU ms/img) images/s.')
    best = max(r['images_per_s'] for r in rows
               if r['source'] == 'synth (MJSynth style)')
    print(f'\ngoal >= 300 images/s (MJSynth style): '
          f'{"met" if best >= 300 else "NOT met"} (best {best:.0f}/s)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(load_before=load_before, load_after=load_after,
                           num=args.num, rows=rows), f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
