"""Peak resident memory (RSS) of inference at batch 1 and 64.

Each (system, batch size) runs in a fresh child process, which reports
``ru_maxrss`` after the imports, after building the model and after
recognizing the images, so the table separates the libraries, the model
and the inference itself. Called by ``inference_speed.py``; standalone::

    python benchmarks/inference_rss.py --images 'DIR/*.png'
"""
import argparse
import glob
import json
import os.path as osp
import resource
import subprocess
import sys
import tempfile
from typing import List

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SYSTEMS = ('ours onnx', 'ours torch', 'MMOCR CRNN')


def _rss_mib() -> float:
    """Peak RSS so far (MiB): ``VmHWM``, which a new program starts afresh
    (``ru_maxrss`` keeps the parent's peak across fork + exec on Linux)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024.
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.


def child(system: str, batch: int, config: str, checkpoint: str,
          threads: int, list_file: str) -> None:
    """Build one system, recognize the listed images, print RSS JSON."""
    sys.path.insert(0, ROOT)
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    import torch
    torch.set_num_threads(threads)
    from bench_systems import build_mmocr_crnn, mmocr_recognize

    from crnn_plugin.apis import TextRecognizer
    paths = open(list_file).read().split('\n')
    imports = _rss_mib()
    if system == 'MMOCR CRNN':
        mmocr = build_mmocr_crnn(config)
        built = _rss_mib()
        mmocr_recognize(mmocr, paths, batch)
    else:
        rec = TextRecognizer(config, checkpoint, backend=system.split()[1],
                             batch_size=batch, threads=threads)
        built = _rss_mib()
        rec(paths)
    print(json.dumps(dict(imports=imports, built=built, peak=_rss_mib())))


def measure_all(config: str, checkpoint: str, threads: int,
                paths: List[str], num: int = 128) -> None:
    """Print a markdown table of peak RSS for every system and batch."""
    with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
        f.write('\n'.join(paths[:num]))
    print(f'\n### Peak RSS (MiB), {min(num, len(paths))} variable-width '
          'images, fresh process each\n\n| system | batch | after imports | '
          'after model build | peak | inference increment |\n'
          '|---|---|---|---|---|---|')
    for system in SYSTEMS:
        for batch in (1, 64):
            proc = subprocess.run([
                sys.executable, __file__, '--child', system, str(batch),
                config, checkpoint, str(threads), f.name
            ], capture_output=True, text=True)
            try:
                r = json.loads(proc.stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                print(f'| {system} | {batch} | failed: '
                      f'{proc.stderr.strip()[-200:]} |||')
                continue
            print(f'| {system} | {batch} | {r["imports"]:.0f} | '
                  f'{r["built"]:.0f} | {r["peak"]:.0f} | '
                  f'{r["peak"] - r["built"]:.0f} |')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--child', nargs=6, metavar='ARG')
    parser.add_argument('--images', help='glob of images')
    parser.add_argument(
        '--config', default=osp.join(ROOT, 'configs', 'crnn_mini-vgg_mj.py'))
    parser.add_argument('--checkpoint')
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    if args.child:
        system, batch, config, checkpoint, threads, list_file = args.child
        child(system, int(batch), config, checkpoint or None, int(threads),
              list_file)
        return
    measure_all(args.config, args.checkpoint or '', args.threads,
                sorted(glob.glob(args.images)))


if __name__ == '__main__':
    main()
