"""Recognize word images: ``path<TAB>text<TAB>confidence`` per image.

Inputs are image files, folders (their image files) or glob patterns.
Images are read and resized like the test pipeline (height 32, width
proportional, at least 100 px), batched by width and run with ONNX Runtime
or PyTorch (``--backend``). A bad file (missing, unreadable, empty, not an
image, too large) gives one ``error: PATH: reason`` line on stderr and the
others go on; the exit status is 1 if every input failed or an output
picture could not be written, 2 for usage errors (a missing or unusable
checkpoint, an OMR checkpoint, a --show-dir that is a file or an input
folder). Existing pictures in --show-dir are kept unless --force.

Example::

    python tools/infer.py word.png
    python tools/infer.py 'crops/*.jpg' --json --lexicon words.txt
    python tools/infer.py crops/ --show-dir vis/ --checkpoint my.pth
"""
import argparse
import glob
import json
import os
import os.path as osp
import sys
from typing import List, Tuple

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
DEFAULT_CHECKPOINT = osp.join(ROOT, 'checkpoints', 'crnn_mini-vgg_synth.pth')
GLOB_CHARS = '*?['


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Recognize word images with a CRNN checkpoint.')
    parser.add_argument(
        'inputs', nargs='+', metavar='IMAGE|DIR|GLOB', help='images')
    parser.add_argument(
        '--checkpoint',
        default=None,
        help='.pth checkpoint or exported .onnx model (default: the '
        'shipped checkpoints/crnn_mini-vgg_synth.pth)')
    parser.add_argument(
        '--config',
        help='model config (default: the one saved in the checkpoint, '
        'or <checkpoint>.py)')
    parser.add_argument(
        '--backend', choices=['auto', 'torch', 'onnx'], default='auto')
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


def expand_inputs(items: List[str]) -> Tuple[List[str], List[str]]:
    """Expand folders and globs; keep plain paths as they are.

    Returns:
        tuple(list[str], list[str]): Paths to recognize, and patterns/
        folders that matched no file (each counts as a failure).
    """
    from crnn_plugin.apis import IMAGE_EXTENSIONS
    paths, empty = [], []
    for item in items:
        if osp.isdir(item):
            found = sorted(
                osp.join(item, name) for name in os.listdir(item)
                if name.lower().endswith(IMAGE_EXTENSIONS)
                and osp.isfile(osp.join(item, name)))
        elif any(c in item for c in GLOB_CHARS) and not osp.exists(item):
            found = sorted(p for p in glob.glob(item) if osp.isfile(p))
        else:
            found = [item]
        if not found:
            empty.append(item)
        paths.extend(found)
    return paths, empty


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


def show(recognizer, path: str, result, show_dir: str, used: set,
         inputs=(), force: bool = False) -> None:
    """Write the alignment picture of one result (never over an input,
    nor over an existing file without ``force``: OutputPathError)."""
    import cv2

    from crnn_plugin.apis import draw_alignment
    from crnn_plugin.utils import check_output_file
    stem = osp.splitext(osp.basename(path))[0] or 'image'
    name, k = stem, 1
    while name in used:
        name, k = f'{stem}_{k}', k + 1
    used.add(name)
    target = osp.join(show_dir, f'{name}.png')
    check_output_file(target, inputs, force, what='--show-dir picture')
    picture = draw_alignment(
        recognizer.resized(path), result.frame_labels, recognizer.label_char,
        result.text, result.confidence)
    if not cv2.imwrite(target, picture):
        raise OSError(f'cannot write {target}')


def main(argv=None) -> int:
    """Run the command; return the exit status."""
    args = parse_args(argv)
    checkpoint = args.checkpoint or DEFAULT_CHECKPOINT
    if not osp.isfile(checkpoint):
        hint = ('the shipped model is not in this checkout yet; pass '
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
        from crnn_plugin.utils import (OutputPathError, check_output_dir,
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

    logs_to_stderr()
    from crnn_plugin.apis import ImageInputError, TextRecognizer
    try:
        recognizer = TextRecognizer(
            args.config,
            checkpoint,
            backend=args.backend,
            device=args.device,
            batch_size=args.batch_size,
            threads=args.threads,
            workers=args.workers,
            lexicon=args.lexicon,
            lexicon_delta=args.delta,
            lexicon_margin=args.lexicon_margin)
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as err:
        print(f'error: cannot load the model: {err}', file=sys.stderr)
        return 2
    from crnn_plugin.apis import model_task
    if model_task(recognizer.cfg) != 'text':
        print(f'error: {checkpoint} is a score (OMR) model: use '
              'omr/recognize.py', file=sys.stderr)
        return 2
    used: set = set()
    ok = unwritten = 0
    for path, result in zip(paths, recognizer(paths, on_error='return')):
        if isinstance(result, ImageInputError):
            print(f'error: {path}: {result.reason}', file=sys.stderr)
            continue
        ok += 1
        if args.json:
            print(
                json.dumps(
                    dict(
                        path=path,
                        text=result.text,
                        confidence=round(result.confidence, 6),
                        char_scores=None if result.char_scores is None else
                        [round(s, 6) for s in result.char_scores]),
                    ensure_ascii=False))
        else:
            print(f'{path}\t{result.text}\t{result.confidence:.4f}')
        if args.show_dir:
            try:
                show(recognizer, path, result, args.show_dir, used, paths,
                     args.force)
            except (OSError, ValueError) as err:  # OutputPathError
                print(f'error: {err}', file=sys.stderr)
                unwritten += 1
    sys.stdout.flush()
    return 0 if ok and not unwritten else 1


if __name__ == '__main__':
    sys.exit(main())
