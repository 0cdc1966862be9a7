"""Training-step throughput: our CRNN vs MMOCR's CRNN (fp32, bf16 autocast),
and the LMDB data pipeline's throughput against what training consumes.

A step is what MMEngine's runner does per iteration: ``model.train_step``
(data preprocessor, forward, CTC loss, backward, ADADELTA update through an
``OptimWrapper``; bf16 uses our ``CPUAmpOptimWrapper``), batch 64 of
100x32 grayscale images with random lower-case/digit labels. Our model is
``configs/crnn_mini-vgg_mj.py``, MMOCR's is built from its own
``textrecog/crnn/_base_crnn_mini-vgg.py``. Both run interleaved,
``--repeats`` times (median), with ``--threads`` threads.

The data row reads the committed toy LMDB through
``LMDBTextRecogDataset`` with our training pipeline (decode, resize to
100x32, pack) and ``pseudo_collate``, in this process (a DataLoader's
``num_workers`` multiply it).

Example::

    nice -n 10 python benchmarks/train_step_speed.py --threads 1
"""
import argparse
import os
import os.path as osp
import statistics
import sys
import time
from typing import Callable, Dict

import numpy as np
import torch

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

CHARS = np.array(list('abcdefghijklmnopqrstuvwxyz0123456789'))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--steps', type=int, default=2, help='per repeat')
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument(
        '--config', default=osp.join(ROOT, 'configs', 'crnn_mini-vgg_mj.py'))
    parser.add_argument(
        '--lmdb', default=osp.join(ROOT, 'tests', 'data', 'toy_words',
                                   'lmdb'))
    return parser.parse_args()


def make_batch(batch_size: int, seed: int = 0) -> dict:
    """Runner-style data: uint8 images and samples with labels."""
    from mmengine.structures import LabelData
    from mmocr.structures import TextRecogDataSample
    rng = np.random.default_rng(seed)
    inputs, samples = [], []
    for _ in range(batch_size):
        inputs.append(torch.from_numpy(
            rng.integers(0, 256, (1, 32, 100), dtype=np.uint8)))
        sample = TextRecogDataSample()
        sample.set_metainfo(dict(valid_ratio=1.0, img_shape=(32, 100)))
        sample.gt_text = LabelData(
            item=''.join(rng.choice(CHARS, rng.integers(3, 11))))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def train_calls(models: Dict[str, torch.nn.Module], data: dict,
                steps: int) -> Dict[str, Callable]:
    """``name -> run steps`` for each model in fp32 and bf16."""
    from mmengine.optim import OptimWrapper

    from crnn_plugin.engine import CPUAmpOptimWrapper
    calls = {}
    for name, model in models.items():
        model.train()
        for precision in ('fp32', 'bf16'):
            optimizer = torch.optim.Adadelta(
                model.parameters(), lr=1.0, rho=0.9)
            wrapper = OptimWrapper(optimizer) if precision == 'fp32' else \
                CPUAmpOptimWrapper(optimizer=optimizer)

            def call(model=model, wrapper=wrapper):
                for _ in range(steps):
                    model.train_step(data, wrapper)

            calls[f'{name} {precision}'] = call
    return calls


def data_pipeline_rate(config: str, lmdb: str, batch_size: int,
                       seconds: float = 5.) -> float:
    """Samples/s of LMDB decoding + train pipeline + collate."""
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import DefaultScope
    from mmocr.registry import DATASETS
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('mmocr'):
        dataset = DATASETS.build(
            dict(
                type='LMDBTextRecogDataset',
                ann_file=lmdb,
                img_color_type='grayscale',
                pipeline=cfg.train_pipeline[1:]))
        count, start, index = 0, time.perf_counter(), 0
        while time.perf_counter() - start < seconds:
            batch = []
            for _ in range(batch_size):
                batch.append(dataset[index % len(dataset)])
                index += 1
            pseudo_collate(batch)
            count += batch_size
    return count / (time.perf_counter() - start)


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    from bench_systems import build_mmocr_crnn
    from inference_speed import load, machine

    from crnn_plugin.apis import load_recognizer
    print(f'machine: {machine()}\nload average at start: {load()}')
    _, ours = load_recognizer(args.config)
    mmocr = build_mmocr_crnn(args.config)[0]
    calls = train_calls({'ours': ours, 'MMOCR CRNN': mmocr},
                        make_batch(args.batch_size), args.steps)
    for call in calls.values():  # warm-up (allocations, oneDNN kernels)
        call()
    times: Dict[str, list] = {name: [] for name in calls}
    for _ in range(args.repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    samples = args.steps * args.batch_size
    rates = {n: samples / statistics.median(t) for n, t in times.items()}
    print(f'\n### Training steps, batch {args.batch_size} x 1x32x100, '
          f'{args.threads} thread(s), median of {args.repeats} x '
          f'{args.steps} steps (load now {load()})\n\n| model | samples/s | '
          's/step | x MMOCR CRNN (same precision) |\n|---|---|---|---|')
    for name, rate in rates.items():
        base = rates[f'MMOCR CRNN {name.split()[-1]}']
        print(f'| {name} | {rate:.1f} | {args.batch_size / rate:.2f} | '
              f'{rate / base:.2f} |')
    if osp.isdir(args.lmdb):
        data_rate = data_pipeline_rate(args.config, args.lmdb,
                                       args.batch_size)
        print(f'\nLMDB pipeline (1 process): {data_rate:.0f} samples/s = '
              f'{data_rate / rates["ours fp32"]:.1f}x ours fp32 and '
              f'{data_rate / rates["ours bf16"]:.1f}x ours bf16 training '
              'consumption')
    print(f'load average at end: {load()}')


if __name__ == '__main__':
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    main()
