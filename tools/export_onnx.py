"""Export a CRNN checkpoint to ONNX and check it against PyTorch.

The graph maps ``images`` (N, C, 32, W) float32 (normalised as the config's
data preprocessor does) and ``widths`` (N,) int64 (each image's width before
right padding) to ``probs`` (N, T, K) per-frame probabilities and
``lengths`` (N,) valid frames, with dynamic N and W; padding never changes
an image's result. The model describes itself in its metadata (dictionary,
blank, separator, preprocessing, kind, the checkpoint's name and sha256),
so ``crnn_plugin.runtime`` reads with the file alone. ``--fp16-weights``
stores the weights of an fp16 checkpoint losslessly in fp16 (half the
size; computed in fp32).

After export, both backends run the same images: random images of six
widths (padded together, and one by one) plus the images of
``--check-images``. The maximum absolute difference of the probabilities
and the greedy texts are compared; a difference above ``--atol`` or any
differing text exits with status 1 (the file is kept).

The output may not be the checkpoint, the config or inside an image folder;
an existing output is replaced only with ``--force`` (and then atomically).
Exit status: 0 exported and checked; 1 a check failed; 2 bad input (missing
or unreadable checkpoint, refused or unwritable output): one ``error:``
line on stderr.

With ``--int8`` the convolutions are quantized (static, per-channel, ranges
from ``--calib-images``, default the ``--check-images``); the check then
reports how many greedy texts still agree with PyTorch fp32 and fails below
``--min-agreement``. Judge int8 by accuracy on labelled images of the
target domain (e.g. ``tools/infer.py`` on a labelled set), not by this
agreement alone.

Example::

    python tools/export_onnx.py configs/crnn_mini-vgg_mj.py model.pth \\
        model.onnx --check-images tests/data/toy_words/imgs
    python tools/export_onnx.py CONFIG model.pth model_int8.onnx --int8 \\
        --calib-images val_crops/

The shipped models (config ``-``: the one saved in the checkpoint)::

    python tools/export_onnx.py - checkpoints/crnn_mini-vgg_synth.pth \\
        checkpoints/crnn_mini-vgg_synth.onnx --fp16-weights \\
        --check-images demo/words
    python tools/export_onnx.py - checkpoints/crnn_omr_reduced.pth \\
        checkpoints/crnn_omr_reduced.onnx --fp16-weights \\
        --check-images demo/scores
"""
import argparse
import glob
import os.path as osp
import sys
import time

from mmengine.config import DictAction

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from crnn_plugin.apis import (DEFAULT_OPSET, IMAGE_EXTENSIONS,  # noqa: E402
                              OnnxBackend, TextRecognizer, check_parity,
                              export_onnx, pad_batch, parity_batches,
                              plan_batches, quantize_int8)
from crnn_plugin.cli import run_main  # noqa: E402
from crnn_plugin.runtime.output_paths import (check_output_file,  # noqa: E402
                                              replace_atomically)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        'config', help='model config file; "-": the config saved in the '
        'checkpoint')
    parser.add_argument('checkpoint', help='checkpoint (.pth)')
    parser.add_argument('output', help='ONNX file to write')
    parser.add_argument(
        '--opset', type=int, default=DEFAULT_OPSET, help='ONNX opset')
    parser.add_argument(
        '--check-images',
        metavar='DIR',
        help='also compare on the images of this folder')
    parser.add_argument(
        '--atol',
        type=float,
        default=1e-4,
        help='largest accepted probability difference')
    parser.add_argument(
        '--fp16-weights',
        action='store_true',
        help='store weights in fp16 where exact (an fp16 checkpoint: '
        'lossless, half the size); computation stays fp32')
    parser.add_argument(
        '--kind',
        choices=['text', 'score'],
        help='model kind stored in the metadata (default: "score" for '
        'space-separated tokens, else "text")')
    parser.add_argument(
        '--int8', action='store_true', help='quantize convolutions to int8')
    parser.add_argument(
        '--calib-images',
        metavar='DIR',
        help='int8 calibration images (default: --check-images)')
    parser.add_argument(
        '--min-agreement',
        type=float,
        default=0.95,
        help='int8: least share of greedy texts equal to PyTorch fp32')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='overrides')
    parser.add_argument(
        '--force', action='store_true', help='replace an existing output')
    return parser.parse_args(argv)


def folder_batches(recognizer: TextRecognizer, folder: str) -> list:
    """Batches of the readable images of ``folder`` (unreadable skipped)."""
    paths = sorted(p for p in glob.glob(osp.join(folder, '*'))
                   if p.lower().endswith(IMAGE_EXTENSIONS))
    images = []
    for path in paths:
        try:
            images.append(recognizer.prepare(path))
        except ValueError as err:
            print(f'skipping {err}', file=sys.stderr)
    groups = plan_batches([img.shape[-1] for img in images],
                          recognizer.batch_size)
    return [pad_batch([images[i] for i in group]) for group in groups]


def main(argv=None) -> int:
    """Export, check parity, print a summary; return the exit status."""
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        print(f'error: checkpoint {args.checkpoint} not found',
              file=sys.stderr)
        return 2
    for flag in ('check_images', 'calib_images'):
        folder = getattr(args, flag)
        if folder and not osp.isdir(folder):
            print(f'error: --{flag.replace("_", "-")} {folder} is not a '
                  'folder', file=sys.stderr)
            return 2
    calib_dir = args.calib_images or args.check_images
    if args.int8 and not calib_dir:
        print('error: --int8 needs --calib-images (or --check-images)',
              file=sys.stderr)
        return 2
    config = None if args.config == '-' else args.config
    try:
        check_output_file(
            args.output, [args.checkpoint, config, args.check_images,
                          args.calib_images], args.force)
        recognizer = TextRecognizer(
            config,
            args.checkpoint,
            backend='torch',
            cfg_options=args.cfg_options)
    except (OSError, ValueError, KeyError, ImportError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    start = time.perf_counter()
    with replace_atomically(args.output, '.onnx') as tmp:
        export_onnx(
            recognizer.model,
            tmp,
            opset=args.opset,
            metadata=recognizer.metadata(args.kind),
            height=recognizer.params.height,
            fp16_weights=args.fp16_weights)
        if args.int8:
            data = quantize_int8(tmp, folder_batches(recognizer, calib_dir))
            with open(tmp, 'wb') as f:
                f.write(data)
    kind = ' (int8)' if args.int8 else ''
    print(f'exported {args.output}{kind} '
          f'({osp.getsize(args.output) / 2**20:.1f} MiB, opset {args.opset}) '
          f'in {time.perf_counter() - start:.1f} s')

    channels = recognizer.model.backbone_in_channels
    batches = parity_batches(channels, height=recognizer.params.height)
    if args.check_images:
        batches += folder_batches(recognizer, args.check_images)
    result = check_parity(
        recognizer.backend,
        OnnxBackend(args.output, threads=recognizer.threads),
        batches,
        decode=lambda probs: recognizer.decode(probs).text)
    widths = sorted({int(w) for _, ws in batches for w in ws})
    print(f'parity vs PyTorch on {result.num_images} images (widths '
          f'{widths[0]}..{widths[-1]} px): max |p_onnx - p_torch| = '
          f'{result.max_abs_diff:.2e} (atol {args.atol:g}), greedy texts '
          f'differ: {len(result.text_mismatches)}, frame counts differ: '
          f'{result.length_mismatches}')
    if args.int8:
        agreement = 1 - len(result.text_mismatches) / result.num_images
        print(f'int8: {100 * agreement:.1f}% of greedy texts equal to '
              f'PyTorch fp32 (minimum {100 * args.min_agreement:.0f}%)')
        if agreement < args.min_agreement or result.length_mismatches:
            print('error: int8 agreement check FAILED', file=sys.stderr)
            return 1
        print('int8 agreement check passed')
        return 0
    if not result.ok(args.atol):
        for ref, new in result.text_mismatches[:5]:
            print(f'  torch {ref!r} vs onnx {new!r}', file=sys.stderr)
        print('error: parity check FAILED', file=sys.stderr)
        return 1
    print('parity check passed')
    return 0


if __name__ == '__main__':
    sys.exit(run_main(main))
