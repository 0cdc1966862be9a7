"""Recognize word images: ``path<TAB>text<TAB>confidence`` per image.

Inputs are image files, folders (their image files) or glob patterns.
Images are read and resized like the test pipeline (height 32, width
proportional, at least 100 px), batched by width, and results are printed
chunk by chunk as they come. The default backend reads with the shipped
ONNX model and ONNX Runtime alone (no torch/MMOCR import: well under a
second to the first result); ``--backend torch`` (or ``onnx``: ONNX
Runtime on an in-memory export) runs a ``.pth`` checkpoint through the
training stack, which ``--lexicon`` and ``--device cuda`` need. A bad file
(missing, unreadable, empty, not an image, too large) gives one
``error: PATH: reason`` line on stderr and the others go on; the exit
status is 1 if every input failed or an output picture could not be
written, 2 for usage errors (a missing or unusable checkpoint, an OMR
checkpoint, a --show-dir that is a file or an input folder). Existing
pictures in --show-dir are kept unless --force.

Example::

    python tools/infer.py word.png
    python tools/infer.py 'crops/*.jpg' --json
    python tools/infer.py crops/ --lexicon words.txt --show-dir vis/
    python tools/infer.py crops/ --backend torch --checkpoint my.pth
"""
import argparse
import json
import os.path as osp
import sys

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
sys.path.insert(0, ROOT)

#: The runtime's model (ONNX export of the shipped checkpoint).
DEFAULT_CHECKPOINT = osp.join(ROOT, 'checkpoints', 'crnn_mini-vgg_synth.onnx')
#: The shipped PyTorch checkpoint (``--backend torch/onnx``, ``--lexicon``).
DEFAULT_TORCH_CHECKPOINT = osp.join(ROOT, 'checkpoints',
                                    'crnn_mini-vgg_synth.pth')


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Recognize word images with a CRNN model.')
    parser.add_argument(
        'inputs', nargs='+', metavar='IMAGE|DIR|GLOB', help='images')
    parser.add_argument(
        '--checkpoint',
        default=None,
        help='exported .onnx model or .pth checkpoint (default: the '
        'shipped checkpoints/crnn_mini-vgg_synth.onnx, or its .pth for '
        'the torch stack)')
    parser.add_argument(
        '--config',
        help='model config of a .pth (default: the one saved in the '
        'checkpoint, or <checkpoint>.py)')
    parser.add_argument(
        '--backend',
        choices=['auto', 'runtime', 'torch', 'onnx'],
        default='auto',
        help='runtime: ONNX Runtime on an exported model, no torch; '
        'torch/onnx: the training stack on a .pth; auto: runtime for '
        '.onnx models unless --lexicon/--config/--device need the stack')
    parser.add_argument('--device', default='cpu', help='cpu or cuda[:N]')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--threads', type=int, help='model threads')
    parser.add_argument(
        '--workers', type=int, default=1, help='image decoding threads')
    parser.add_argument('--lexicon', help='word file, one word per line')
    parser.add_argument(
        '--delta', type=int, default=3, help='lexicon edit distance')
    parser.add_argument(
        '--lexicon-margin', type=float,
        help='open vocabulary: a lexicon word replaces the reading only if '
        'its log-probability is within this margin of it (7 was best on '
        'our held-out renders with the Hunspell list); default: always')
    parser.add_argument(
        '--json', action='store_true', help='print JSON lines')
    parser.add_argument(
        '--show-dir', help='write <name>.png with the CTC alignment here')
    parser.add_argument(
        '--force', action='store_true',
        help='overwrite existing --show-dir pictures; allow --show-dir '
        'inside an input folder')
    return parser.parse_args(argv)


def stack_needed(args: argparse.Namespace) -> bool:
    """Whether the options need the training stack (torch, MMOCR)."""
    return args.backend in ('torch', 'onnx') or bool(
        args.lexicon or args.config or args.device != 'cpu')


def choose_model(args: argparse.Namespace):
    """``(checkpoint, backend)``: ``'runtime'`` for an ``.onnx`` model
    unless the options need the stack, else a TextRecognizer backend."""
    checkpoint = args.checkpoint or (
        DEFAULT_TORCH_CHECKPOINT if stack_needed(args) else
        DEFAULT_CHECKPOINT)
    if args.backend == 'auto' and checkpoint.endswith('.onnx') and \
            not stack_needed(args):
        return checkpoint, 'runtime'
    return checkpoint, args.backend


def logs_to_stderr() -> None:
    """Send MMEngine's log lines (e.g. the lexicon summary) to stderr, so
    stdout holds only results (one JSON object per line with --json)."""
    import logging

    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler) and \
                handler.stream is sys.stdout:
            handler.setStream(sys.stderr)


def load_reader(args: argparse.Namespace, backend: str, checkpoint: str):
    """The runtime's TextReader or the stack's TextRecognizer."""
    if backend == 'runtime':
        from crnn_plugin.runtime import TextReader
        return TextReader(checkpoint, batch_size=args.batch_size,
                          threads=args.threads, workers=args.workers)
    logs_to_stderr()
    from crnn_plugin.apis import TextRecognizer, model_task
    recognizer = TextRecognizer(
        args.config,
        checkpoint,
        backend=backend,
        device=args.device,
        batch_size=args.batch_size,
        threads=args.threads,
        workers=args.workers,
        lexicon=args.lexicon,
        lexicon_delta=args.delta,
        lexicon_margin=args.lexicon_margin)
    if model_task(recognizer.cfg) != 'text':
        raise ValueError(f'{checkpoint} is a score (OMR) model: use '
                         'omr/recognize.py')
    return recognizer


def show(reader, path: str, result, show_dir: str, used: set,
         inputs=(), force: bool = False) -> None:
    """Write the alignment picture of one result (never over an input,
    nor over an existing file without ``force``: OutputPathError)."""
    import cv2

    from crnn_plugin.runtime import draw_alignment
    from crnn_plugin.runtime.output_paths import check_output_file
    stem = osp.splitext(osp.basename(path))[0] or 'image'
    name, k = stem, 1
    while name in used:
        name, k = f'{stem}_{k}', k + 1
    used.add(name)
    target = osp.join(show_dir, f'{name}.png')
    check_output_file(target, inputs, force, what='--show-dir picture')
    picture = draw_alignment(
        reader.resized(path), result.frame_labels, reader.label_char,
        result.text, result.confidence)
    if not cv2.imwrite(target, picture):
        raise OSError(f'cannot write {target}')


def format_result(path: str, result, as_json: bool) -> str:
    """One output line."""
    if not as_json:
        return f'{path}\t{result.text}\t{result.confidence:.4f}'
    return json.dumps(
        dict(
            path=path,
            text=result.text,
            confidence=round(result.confidence, 6),
            char_scores=None if result.char_scores is None else
            [round(s, 6) for s in result.char_scores]),
        ensure_ascii=False)


def main(argv=None) -> int:
    """Run the command; return the exit status."""
    args = parse_args(argv)
    from crnn_plugin.runtime import ImageInputError, expand_inputs
    if args.backend == 'runtime' and stack_needed(args):
        print('error: --lexicon, --config and --device need the training '
              'stack (--backend torch or onnx)', file=sys.stderr)
        return 2
    checkpoint, backend = choose_model(args)
    if not osp.isfile(checkpoint):
        hint = ('the shipped model is not in this checkout; pass '
                '--checkpoint (and --config) of a trained model'
                if args.checkpoint is None else 'check the path')
        print(f'error: checkpoint {checkpoint} not found: {hint}',
              file=sys.stderr)
        return 2
    if args.lexicon and not osp.isfile(args.lexicon):
        print(f'error: lexicon {args.lexicon} not found', file=sys.stderr)
        return 2
    paths, empty = expand_inputs(args.inputs)
    for item in empty:
        print(f'error: {item}: no image files found', file=sys.stderr)
    if not paths:
        return 1
    if args.show_dir:
        from crnn_plugin.runtime.inputs import GLOB_CHARS
        from crnn_plugin.runtime.output_paths import (OutputPathError,
                                                      check_output_dir,
                                                      make_output_dir)
        try:
            folders = [osp.dirname(i) or '.' for i in args.inputs
                       if any(c in i for c in GLOB_CHARS)]  # of globs
            check_output_dir(args.show_dir, args.inputs + folders,
                             args.force, what='--show-dir')
            make_output_dir(args.show_dir, what='--show-dir')
        except OutputPathError as err:
            print(f'error: {err}', file=sys.stderr)
            return 2
    try:
        reader = load_reader(args, backend, checkpoint)
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as err:
        print(f'error: cannot load the model: {err}', file=sys.stderr)
        return 2
    used: set = set()
    ok = unwritten = 0
    for path, result in zip(paths, reader.read(paths, on_error='return')):
        if isinstance(result, ImageInputError):
            sys.stdout.flush()  # keep stdout and stderr lines in order
            print(f'error: {path}: {result.reason}', file=sys.stderr)
            continue
        ok += 1
        print(format_result(path, result, args.json), flush=True)
        if args.show_dir:
            try:
                show(reader, path, result, args.show_dir, used, paths,
                     args.force)
            except (OSError, ValueError) as err:  # OutputPathError
                print(f'error: {err}', file=sys.stderr)
                unwritten += 1
    sys.stdout.flush()
    return 0 if ok and not unwritten else 1


if __name__ == '__main__':
    sys.exit(main())
