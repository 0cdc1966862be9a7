"""Recognize the pitches of a one-staff score fragment (paper §3.4).

Prints one line of space-separated pitch tokens, left to right, one per
notehead (``C#5 D5 E5``). Any image size (rescaled to the model's height
32), grayscale, colour or RGBA; the crop should hold one staff with its
clef (and key signature).

Modes: the shipped model is trained in pitch mode (spelled pitches with key
signature and accidentals applied); ``--mode paper`` strips the accidentals
from its output, giving the paper's staff positions (``C5 D5 E5``). A
paper-mode model (``configs/omr/crnn_omr_reduced_paper-mode.py``) gives
staff positions in either mode.

Example::

    python omr/recognize.py score.jpg
    python omr/recognize.py score.jpg --mode paper --json
    python omr/recognize.py score.jpg --musicxml out.musicxml --midi out.mid
    python omr/recognize.py score.jpg --render check.png

Outputs (--musicxml, --midi, --render) are written exactly to the paths
given (through a temporary file, so a failed write leaves nothing half
written); an existing file is not replaced without --force, and an output
may never be the input image or the checkpoint.

Exit status: 0 on success; 1 for a bad input image (missing, empty, not an
image, unreadable; one ``error:`` line on stderr) or an output that cannot
be written; 2 when the model cannot be loaded (e.g. no checkpoint, an
unreadable or unsafe one, a text-recognition model) or an output path is
refused.
"""
import argparse
import json
import os.path as osp
import sys
from typing import List, Optional

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
# Run as a script, Python puts omr/ itself first on sys.path, where our
# module names (transforms, metrics, ...) would shadow other packages'.
if sys.path and osp.abspath(sys.path[0]) == osp.dirname(
        osp.abspath(__file__)):
    sys.path[0] = ROOT

DEFAULT_CHECKPOINT = osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced.pth')
DEFAULT_CONFIG = osp.join(ROOT, 'configs', 'omr', 'crnn_omr_reduced.py')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Recognize the pitches of a one-staff score fragment.')
    parser.add_argument('image', help='score fragment image')
    parser.add_argument(
        '--mode',
        choices=['pitch', 'paper'],
        default='pitch',
        help='pitch: spelled pitches (C#5); paper: staff positions, '
        'accidentals stripped (C5)')
    parser.add_argument(
        '--json', action='store_true', help='one JSON line with per-note '
        'confidences')
    parser.add_argument('--musicxml', help='write MusicXML (quarter notes)')
    parser.add_argument('--midi', help='write MIDI (quarter notes)')
    parser.add_argument(
        '--render',
        help='write a PNG: the recognized notes re-engraved above the input')
    parser.add_argument(
        '--checkpoint',
        help='model weights (default: checkpoints/crnn_omr_reduced.pth)')
    parser.add_argument(
        '--config',
        help='model config (default: the one saved in the checkpoint, '
        '<checkpoint>.py, else configs/omr/crnn_omr_reduced.py)')
    parser.add_argument(
        '--force', action='store_true', help='overwrite existing outputs')
    return parser.parse_args(argv)


def error(message: str) -> None:
    """One ``error:`` line on stderr."""
    print(f'error: {message}', file=sys.stderr)


def load_recognizer(checkpoint: str, config: Optional[str]):
    """A :class:`crnn_plugin.apis.TextRecognizer` for the OMR model.

    Without ``config``: the config saved in the checkpoint or next to it,
    else :data:`DEFAULT_CONFIG`.
    """
    import logging

    from mmengine.logging import MMLogger

    import omr  # noqa: F401  (registers PitchDictionary)
    from crnn_plugin.apis import TextRecognizer
    logger = MMLogger.get_current_instance()
    for handler in logger.handlers:  # keep stdout for the result
        if isinstance(handler, logging.StreamHandler) and \
                handler.stream in (sys.stdout, sys.__stdout__):
            handler.setStream(sys.__stderr__)
    kwargs = dict(backend='torch', workers=0, batch_size=1)
    if config is None:
        try:
            return TextRecognizer(None, checkpoint, **kwargs)
        except ValueError as err:
            if 'no config given' not in str(err):
                raise
        config = DEFAULT_CONFIG
    return TextRecognizer(config, checkpoint, **kwargs)


def render(image, tokens: List[str], path: str) -> None:
    """Write the re-engraved tokens above the input image.

    The engraving is scaled to the input's height (a crop of one staff
    then shows both at about the same staff size); the narrower picture is
    padded with white on the right.
    """
    import cv2
    import numpy as np

    from crnn_plugin.utils import replace_atomically
    from omr.engrave import engrave_tokens
    from omr.export import choose_clef
    color = image if image.ndim == 3 else cv2.cvtColor(image,
                                                       cv2.COLOR_GRAY2BGR)
    parts = [color]
    if tokens:
        engraved = np.asarray(engrave_tokens(tokens, choose_clef(tokens)))
        if engraved.ndim == 2:
            engraved = cv2.cvtColor(engraved, cv2.COLOR_GRAY2BGR)
        engraved = engraved[..., :3].astype(np.uint8)
        height = color.shape[0]
        width = max(1, round(engraved.shape[1] * height / engraved.shape[0]))
        parts.insert(0, cv2.resize(engraved, (width, height),
                                   interpolation=cv2.INTER_AREA))
    else:
        print('warning: no notes recognized; --render shows the input only',
              file=sys.stderr)
    width = max(p.shape[1] for p in parts)
    parts = [
        cv2.copyMakeBorder(p, 0, 0, 0, width - p.shape[1],
                           cv2.BORDER_CONSTANT, value=(255, 255, 255))
        for p in parts
    ]
    gap = np.full((max(4, parts[-1].shape[0] // 16), width, 3), 255,
                  np.uint8)
    picture = np.vstack(parts[:-1] + [gap, parts[-1]])
    with replace_atomically(path, '.png') as tmp:  # PNG, whatever the name
        if not cv2.imwrite(tmp, picture):
            raise OSError(f'cannot write {path}')


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command; return the exit status."""
    args = parse_args(argv)
    from crnn_plugin.apis import ImageInputError, model_task, read_image
    from crnn_plugin.utils import check_output_file, replace_atomically
    outputs = [(flag, path) for flag, path in (
        ('--musicxml', args.musicxml), ('--midi', args.midi),
        ('--render', args.render)) if path]
    try:  # refused outputs: before any work
        for i, (flag, path) in enumerate(outputs):
            check_output_file(
                path, [args.image, args.checkpoint or DEFAULT_CHECKPOINT,
                       args.config] + [p for _, p in outputs[:i]],
                args.force, what=flag)
    except ValueError as err:  # OutputPathError
        error(str(err))
        return 2
    try:  # bad input first: one clear line, before loading the model
        image = read_image(args.image, 'color')
    except ImageInputError as err:
        error(str(err))
        return 1
    checkpoint = args.checkpoint or DEFAULT_CHECKPOINT
    if not osp.isfile(checkpoint):
        hint = ('the shipped OMR model is missing from this checkout '
                '(restore it with git) or pass --checkpoint'
                if args.checkpoint is None else 'check the path')
        error(f'checkpoint {checkpoint} not found: {hint}')
        return 2
    try:
        recognizer = load_recognizer(checkpoint, args.config)
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as err:
        error(f'cannot load the model: {err}')
        return 2
    if model_task(recognizer.cfg) != 'omr':
        error(f'{checkpoint} is a text-recognition model, not a score '
              '(OMR) model: use tools/infer.py')
        return 2
    # The path (not the decoded array): decoded exactly as in validation.
    result = recognizer([args.image], on_error='return')[0]
    if isinstance(result, ImageInputError):
        error(str(result))
        return 1
    from omr.metrics import fragment_tokens
    tokens = fragment_tokens(result.text, args.mode)
    scores = result.char_scores or [result.confidence] * len(tokens)
    if args.json:
        print(json.dumps(dict(
            image=args.image,
            mode=args.mode,
            tokens=tokens,
            confidence=round(result.confidence, 6),
            notes=[dict(pitch=t, confidence=round(s, 6))
                   for t, s in zip(tokens, scores)])))
    else:
        print(' '.join(tokens))
    sys.stdout.flush()
    try:
        if args.musicxml:
            from omr.export import write_musicxml
            with replace_atomically(args.musicxml, '.musicxml') as tmp:
                write_musicxml(tokens, tmp)
        if args.midi:
            from omr.export import write_midi
            with replace_atomically(args.midi, '.mid') as tmp:
                write_midi(tokens, tmp)
        if args.render:
            render(image, tokens, args.render)
    except ImportError as err:
        error(f'cannot write the output: {err}')
        return 2
    except Exception as err:  # music21/verovio/OpenCV write failures
        error(f'cannot write the output: {type(err).__name__}: {err}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
