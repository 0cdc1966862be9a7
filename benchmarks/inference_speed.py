"""Inference speed: our engine vs MMOCR's CRNN vs tesseract, same run.

Times, on the same generated word images (``--num-images``, default 1000;
a fixed 100x32 set and a variable-width set at height 32), reading the PNG
files and producing the texts:

* ours: :class:`crnn_plugin.apis.TextRecognizer` (one image-decoding
  thread besides the model threads) with ONNX Runtime fp32 (the default),
  ONNX Runtime int8 (convolutions quantized, calibrated on the first 256
  images of the set; speed only: the accuracy needs a trained model) and
  PyTorch eager fp32;
* MMOCR's CRNN (``mmocr.models.textrecog.CRNN`` from MMOCR's own
  ``textrecog/crnn/_base_crnn_mini-vgg.py``), run the way MMOCR's
  inferencer and ``tools/test.py`` run it: its data pipeline (loader,
  ``RescaleToHeight`` with our sizes: height 32, width >= 100) per image,
  ``pseudo_collate`` and ``model.test_step`` per batch of
  ``--batch-size`` images in input order;
* tesseract through tesserocr (``PSM.SINGLE_LINE``), one word at a time.

Both CRNNs have the paper's architecture (1.41 GFLOP, 8.3M parameters per
100x32 image) with random weights unless ``--checkpoint`` is given (speed
does not depend on the weights). All systems get ``--threads`` model
threads (tesseract: ``OMP_THREAD_LIMIT``). Systems run interleaved,
``--repeats`` times each, after a warm-up; medians are reported with the
CPU time per image (all threads of the process; it depends less on the
machine's load than the wall time). The model-only part runs the models
on a fixed 100x32 batch (fp32 and bf16 autocast) and relates the measured
FLOP/s to the measured GEMM peaks; peak RSS is measured in child
processes (``benchmarks/inference_rss.py``).

Example::

    nice -n 10 python benchmarks/inference_speed.py --threads 1
"""
import argparse
import os
import os.path as osp
import platform
import statistics
import sys
import tempfile
import time
from typing import Callable, Dict, List

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--num-images', type=int, default=1000)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument(
        '--config', default=osp.join(ROOT, 'configs', 'crnn_mini-vgg_mj.py'))
    parser.add_argument('--checkpoint', help='default: random weights')
    parser.add_argument('--no-tesseract', action='store_true')
    parser.add_argument('--no-rss', action='store_true')
    parser.add_argument(
        '--quick', action='store_true', help='300 images (about 3 min)')
    return parser.parse_args()


def machine() -> str:
    """CPU model, cores, relevant flags, load, library versions."""
    model, flags = platform.processor(), set()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                elif line.startswith('flags'):
                    flags = set(line.split(':', 1)[1].split())
    except OSError:
        pass
    wanted = ('avx2', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'amx_bf16',
              'amx_int8', 'amx_tile')
    import onnxruntime
    import torch
    return (f'{model}, {os.cpu_count()} cores, flags: '
            f'{" ".join(f for f in wanted if f in flags)} (no '
            f'{" ".join(f for f in wanted if f not in flags) or "-"}); '
            f'torch {torch.__version__}, onnxruntime '
            f'{onnxruntime.__version__}, python {platform.python_version()}')


def load() -> str:
    return '/'.join(f'{x:.2f}' for x in os.getloadavg())


def time_systems(systems: Dict[str, Callable[[], object]], repeats: int,
                 count: int) -> Dict[str, Dict[str, float]]:
    """Interleaved repeats; median images/s and CPU ms per image."""
    walls: Dict[str, List[float]] = {name: [] for name in systems}
    cpus: Dict[str, List[float]] = {name: [] for name in systems}
    for _ in range(repeats):
        for name, run in systems.items():
            cpu, wall = time.process_time(), time.perf_counter()
            run()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    return {
        name: dict(
            ips=count / statistics.median(walls[name]),
            cpu_ms=1e3 * statistics.median(cpus[name]) / count,
            spread=(max(walls[name]) - min(walls[name])) /
            statistics.median(walls[name]))
        for name in systems
    }


def print_table(title: str, results: Dict[str, Dict[str, float]],
                baselines: List[str]) -> None:
    """Markdown table with ratios to each baseline present."""
    baselines = [b for b in baselines if b in results]
    head = ' | '.join(f'x {b}' for b in baselines)
    print(f'\n{title}\n\n| system | images/s | CPU ms/image | spread | '
          f'{head} |\n|---|---|---|---|' + '---|' * len(baselines))
    for name, r in results.items():
        ratios = ' | '.join(f'{r["ips"] / results[b]["ips"]:.2f}'
                            for b in baselines)
        print(f'| {name} | {r["ips"]:.1f} | {r["cpu_ms"]:.2f} | '
              f'{100 * r["spread"]:.0f}% | {ratios} |')


def main() -> None:
    args = parse_args()
    if args.quick:
        args.num_images = 300
    os.environ.setdefault('OMP_THREAD_LIMIT', str(args.threads))
    import torch
    torch.set_num_threads(args.threads)
    from bench_systems import (build_mmocr_crnn, make_word_images,
                               mmocr_model_call, mmocr_recognize,
                               ours_model_calls, tesseract_recognize)
    from model_flops import gemm_peaks

    from crnn_plugin.apis import TextRecognizer, load_recognizer
    print(f'machine: {machine()}')
    print(f'load average (1/5/15 min) at start: {load()}')
    start = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix='crnn_bench_')
    checkpoint = args.checkpoint
    if checkpoint is None:  # one set of random weights for all our rows
        cfg, model = load_recognizer(args.config)
        checkpoint = osp.join(workdir, 'random.pth')
        torch.save(dict(state_dict=model.state_dict()), checkpoint)
    sets = make_word_images(workdir, args.num_images)
    for name, (paths, widths) in sets.items():
        print(f'{name}: {len(paths)} images, width {min(widths)}..'
              f'{max(widths)} (mean {statistics.mean(widths):.0f}) px')

    def ours(backend: str, workers: int) -> TextRecognizer:
        return TextRecognizer(
            args.config, checkpoint, backend=backend,
            batch_size=args.batch_size, threads=args.threads,
            workers=workers)

    mmocr = build_mmocr_crnn(args.config)
    tess = None if args.no_tesseract else tesseract_recognize(args.threads)
    if tess is None and not args.no_tesseract:
        print('tesserocr not available: tesseract rows skipped')
    for set_name, (paths, _) in sets.items():
        engines = {
            'ours onnx': ours('onnx', 1),
            'ours onnx int8': TextRecognizer(
                args.config, checkpoint, precision='int8',
                calibration=paths[:256], batch_size=args.batch_size,
                threads=args.threads, workers=1),
            'ours torch': ours('torch', 1),
        }
        systems = {
            name: (lambda e=engine: e(paths))
            for name, engine in engines.items()
        }
        systems['MMOCR CRNN'] = lambda: mmocr_recognize(
            mmocr, paths, args.batch_size)
        if tess is not None:
            systems['tesseract'] = lambda: tess(paths)
        for engine in engines.values():  # warm-up
            engine(paths[:args.batch_size])
        mmocr_recognize(mmocr, paths[:args.batch_size], args.batch_size)
        if tess is not None:
            tess(paths[:5])
        texts = engines['ours onnx'](paths)
        same = sum(a.text == b.text
                   for a, b in zip(texts, engines['ours torch'](paths)))
        results = time_systems(systems, args.repeats, len(paths))
        print_table(
            f'### End to end, {set_name} ({len(paths)} PNG files -> texts, '
            f'batch {args.batch_size}, {args.threads} model thread(s), '
            f'median of {args.repeats}; load now {load()})', results,
            ['MMOCR CRNN', 'tesseract'])
        print(f'ours onnx vs ours torch: {same}/{len(paths)} identical '
              'texts')

    batch = torch.zeros(args.batch_size, 1, 32, 100).uniform_(-1, 1)
    calls = ours_model_calls(
        engines['ours torch'].model, {
            'ours onnx fp32': engines['ours onnx'].backend,
            'ours onnx int8': engines['ours onnx int8'].backend
        }, batch)
    calls.update(mmocr_model_call(mmocr, batch))
    model_results = time_systems(calls, args.repeats, args.batch_size * 4)
    peaks = gemm_peaks(args.threads)
    print_table(
        f'### Model only, {args.batch_size}x1x32x100 (x4 calls), '
        f'{args.threads} thread(s), median of {args.repeats}', model_results,
        ['MMOCR CRNN fp32'])
    print('\n| system | GFLOP/s achieved (1.410 GFLOP/image) | % of measured '
          'GEMM peak |\n|---|---|---|')
    for name, r in model_results.items():
        precision = next(
            (p for p in ('bf16', 'int8') if p in name), 'fp32')
        achieved = 1.410e9 * r['ips']
        print(f'| {name} | {achieved / 1e9:.0f} | '
              f'{100 * achieved / peaks[precision]:.0f}% of {precision} '
              f'{peaks[precision] / 1e9:.0f} |')
    print('\nmeasured GEMM peaks (best of 512^3..2048^3): ' + ', '.join(
        f'{k} {v / 1e9:.0f} G(FL)OP/s' for k, v in peaks.items()))
    if not args.no_rss:
        from inference_rss import measure_all
        measure_all(args.config, checkpoint, args.threads, sets['variable'][0])
    print(f'\nload average at end: {load()}; total '
          f'{time.perf_counter() - start:.0f} s')


if __name__ == '__main__':
    main()
