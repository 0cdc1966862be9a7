"""Recognize the pitches (or all symbols) of one-staff score fragments
(paper §3.4).

Prints one line of space-separated pitch tokens, left to right, one per
notehead (``C#5 D5 E5``). Several inputs (files, folders, globs) give one
``path<TAB>tokens`` line each, printed batch by batch as they are read,
with the same readings as one by one. Any image size (rescaled to the
model's height 32), grayscale, colour or RGBA; the crop should hold one
staff with its clef (and key signature).

The default backend reads with the shipped ONNX model and ONNX Runtime
alone (no torch/MMOCR import); ``--backend torch`` runs the ``.pth``
checkpoint with the training stack, as does any ``--checkpoint`` given as
a ``.pth``.

Modes: the shipped model is trained in pitch mode (spelled pitches with key
signature and accidentals applied); ``--mode paper`` strips the accidentals
from its output, giving the paper's staff positions (``C5 D5 E5``). A
paper-mode model (``configs/omr/crnn_omr_reduced_paper-mode.py``) gives
staff positions in either mode. A semantic model
(``configs/omr/crnn_omr_reduced_semantic.py``; its mode travels in the
ONNX metadata) reads clef, key and time signature, notes with durations,
rests, ties and barlines (``clef-G2 keySignature-1 note-F#5_eighth
rest-quarter barline``, see ``omr/semantic.py``): its default mode is
``semantic``, and ``--mode pitch``/``paper`` print the pitches within its
reading. ``--mode semantic`` without ``--checkpoint`` reads with the
shipped semantic model (``checkpoints/crnn_omr_reduced_semantic.onnx``);
``--mode semantic`` of a pitch model is a usage error (2). The shipped
semantic reading takes the shipped pitch model's pitches (read from the
same image) whenever both read as many notes (:mod:`omr.pitch_fusion`;
``--pitch-model none``: the semantic model's own pitches).

Example::

    python omr/recognize.py score.jpg
    python omr/recognize.py fragments/ 'more/*.png' --json
    python omr/recognize.py score.jpg --mode paper --json
    python omr/recognize.py score.jpg --mode semantic --json
    python omr/recognize.py score.jpg --mode semantic --musicxml out.musicxml \
        --midi out.mid
    python omr/recognize.py score.jpg --render check.png

Outputs (--musicxml, --midi, --render) are written exactly to the paths
given (through a temporary file, so a failed write leaves nothing half
written); an existing file is not replaced without --force, and an output
may never be the input image or the checkpoint.

Exit status: 0 on success; 1 for a bad input image (missing, empty, not an
image, unreadable; one ``error:`` line on stderr each, the others are still
read; 1 only if every input failed) or an output that cannot be written; 2
for usage errors, when the model cannot be loaded (e.g. no checkpoint, an
unreadable or unsafe one, a text-recognition model) or an output path is
refused.
"""
import argparse
import json
import os.path as osp
import sys
from itertools import repeat
from typing import List, Optional, Tuple

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
# Run as a script, Python puts omr/ itself first on sys.path, where our
# module names (transforms, metrics, ...) would shadow other packages'.
if sys.path and osp.abspath(sys.path[0]) == osp.dirname(
        osp.abspath(__file__)):
    sys.path[0] = ROOT

from crnn_plugin.runtime.shipped_models import (  # noqa: E402
    SCORE_MODEL, SEMANTIC_SCORE_MODEL, SHIPPED)

#: The runtime's model (ONNX export of the shipped checkpoint).
DEFAULT_CHECKPOINT = SCORE_MODEL
#: The shipped PyTorch checkpoint (``--backend torch``).
DEFAULT_TORCH_CHECKPOINT, DEFAULT_CONFIG, _ = SHIPPED[SCORE_MODEL]
#: The shipped semantic model (``--mode semantic``) and its checkpoint.
SEMANTIC_CHECKPOINT = SEMANTIC_SCORE_MODEL
SEMANTIC_TORCH_CHECKPOINT = SHIPPED[SEMANTIC_SCORE_MODEL][0]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Recognize the pitches of one-staff score fragments.')
    parser.add_argument(
        'inputs', nargs='+', metavar='IMAGE|DIR|GLOB',
        help='score fragment images')
    parser.add_argument(
        '--mode',
        choices=['pitch', 'paper', 'semantic'],
        help='pitch: spelled pitches (C#5); paper: staff positions, '
        'accidentals stripped (C5); semantic: clef, key, meter, notes with '
        'durations, rests, barlines (the shipped semantic model unless '
        '--checkpoint is given). Default: semantic for a semantic model, '
        'else pitch')
    parser.add_argument(
        '--json', action='store_true', help='one JSON line per image with '
        'per-note (per-symbol) confidences')
    parser.add_argument(
        '--musicxml', help='write MusicXML (one image only; quarter notes '
        'from a pitch model, the read durations, rests, meter, key and clef '
        'from a semantic model)')
    parser.add_argument(
        '--midi', help='write MIDI (one image only; as --musicxml)')
    parser.add_argument(
        '--render',
        help='write a PNG: the recognized notes re-engraved above the input '
        '(one image only)')
    parser.add_argument(
        '--checkpoint',
        help='exported .onnx model or .pth checkpoint (default: '
        'checkpoints/crnn_omr_reduced.onnx, crnn_omr_reduced_semantic.onnx '
        'with --mode semantic, or their .pth with --backend torch)')
    parser.add_argument(
        '--pitch-model', metavar='MODEL|none',
        help='pitch-mode model whose pitches a semantic reading takes when '
        'both read as many notes (default: the shipped pitch model with the '
        'shipped semantic model, none with --checkpoint; none: the semantic '
        'model\'s own pitches)')
    parser.add_argument(
        '--config',
        help='model config of a .pth (default: the one saved in the '
        'checkpoint, <checkpoint>.py, else configs/omr/crnn_omr_reduced.py)')
    parser.add_argument(
        '--backend',
        choices=['auto', 'runtime', 'torch'],
        default='auto',
        help='runtime: ONNX Runtime on an exported model, no torch; torch: '
        'the training stack on a .pth; auto: by the checkpoint\'s type')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--threads', type=int, help='model threads')
    parser.add_argument(
        '--staff-crop', action='store_true',
        help='crop each input around its staff first (+-3 spaces): for '
        'fragments cut by hand or from other engravers (runtime backend)')
    parser.add_argument(
        '--force', action='store_true', help='overwrite existing outputs')
    return parser.parse_args(argv)


def error(message: str) -> None:
    """One ``error:`` line on stderr."""
    sys.stdout.flush()  # keep stdout and stderr lines in order
    print(f'error: {message}', file=sys.stderr)


def load_recognizer(checkpoint: str, config: Optional[str],
                    batch_size: int = 32):
    """A :class:`crnn_plugin.apis.TextRecognizer` for the OMR model.

    Without ``config``: the config saved in the checkpoint or next to it,
    else :data:`DEFAULT_CONFIG`.
    """
    import logging

    from mmengine.logging import MMLogger

    import omr.registration  # noqa: F401  (PitchDictionary)
    from crnn_plugin.apis import TextRecognizer, model_task
    logger = MMLogger.get_current_instance()
    for handler in logger.handlers:  # keep stdout for the result
        if isinstance(handler, logging.StreamHandler) and \
                handler.stream in (sys.stdout, sys.__stdout__):
            handler.setStream(sys.__stderr__)
    kwargs = dict(backend='torch', workers=0, batch_size=batch_size)
    recognizer = None
    if config is None:
        try:
            recognizer = TextRecognizer(None, checkpoint, **kwargs)
        except ValueError as err:
            if 'no config given' not in str(err):
                raise
        config = DEFAULT_CONFIG
    recognizer = recognizer or TextRecognizer(config, checkpoint, **kwargs)
    if model_task(recognizer.cfg) != 'omr':
        raise ValueError(f'{checkpoint} is a text-recognition model, not a '
                         'score (OMR) model: use tools/infer.py')
    return recognizer


def uses_torch(args: argparse.Namespace) -> bool:
    """Whether the training stack reads (``--backend torch`` or a
    ``.pth``)."""
    return args.backend == 'torch' or bool(
        args.checkpoint and not args.checkpoint.endswith('.onnx'))


def checkpoint_path(args: argparse.Namespace) -> str:
    """``--checkpoint``, else the shipped model of the mode and backend."""
    if args.checkpoint:
        return args.checkpoint
    semantic = args.mode == 'semantic'
    if uses_torch(args):
        return SEMANTIC_TORCH_CHECKPOINT if semantic else \
            DEFAULT_TORCH_CHECKPOINT
    return SEMANTIC_CHECKPOINT if semantic else DEFAULT_CHECKPOINT


def pitch_model_path(args: argparse.Namespace) -> Optional[str]:
    """The pitch model of a semantic reading (``--pitch-model``; by default
    the shipped one of the backend when the semantic model is the shipped
    one), else None."""
    if args.pitch_model == 'none' or (args.checkpoint and
                                      not args.pitch_model):
        return None
    if args.pitch_model:
        return args.pitch_model
    return DEFAULT_TORCH_CHECKPOINT if uses_torch(args) else \
        DEFAULT_CHECKPOINT


def load_reader(args: argparse.Namespace, checkpoint: Optional[str] = None):
    """The model (``checkpoint``, default :func:`checkpoint_path`), or an
    error line and exit status 2 (as a string)."""
    torch_backend = uses_torch(args)
    if args.backend == 'runtime' and torch_backend:
        return 'the runtime reads exported .onnx models: export the .pth ' \
            'with tools/export_onnx.py or use --backend torch'
    if args.staff_crop and torch_backend:
        return '--staff-crop needs the runtime backend (an .onnx model)'
    checkpoint = checkpoint or checkpoint_path(args)
    if not osp.isfile(checkpoint):
        hint = ('the shipped OMR model is missing from this checkout '
                '(restore it with git) or pass --checkpoint'
                if checkpoint in (DEFAULT_CHECKPOINT, SEMANTIC_CHECKPOINT,
                                  DEFAULT_TORCH_CHECKPOINT,
                                  SEMANTIC_TORCH_CHECKPOINT)
                else 'check the path')
        return f'checkpoint {checkpoint} not found: {hint}'
    try:
        if torch_backend:
            return load_recognizer(checkpoint, args.config, args.batch_size)
        from crnn_plugin.runtime import ScoreReader
        return ScoreReader(checkpoint, staff_crop=args.staff_crop,
                           batch_size=args.batch_size, threads=args.threads)
    except (OSError, ValueError, KeyError, ImportError, RuntimeError) as err:
        return f'cannot load the model: {err}'


def model_mode(reader) -> str:
    """What a loaded model reads: ``'pitch'``, ``'paper'`` or
    ``'semantic'`` (the torch backend's dictionary, else the mode stored
    in the ONNX metadata)."""
    dictionary = getattr(reader, 'dictionary', None)
    if dictionary is not None:
        return getattr(dictionary, 'mode', 'pitch')
    return reader.mode


def reading(result, source: str, mode: str) -> Tuple[List[str], List[float]]:
    """Tokens and confidences of a read fragment in the output ``mode``.

    Args:
        result (Recognition): The model's reading.
        source (str): The model's mode (:func:`model_mode`).
        mode (str): The output mode.

    Returns:
        tuple(list[str], list[float]): Pitch tokens (pitch/paper mode) or
        semantic symbols, one confidence each.
    """
    from omr.pitch_tokens import strip_accidental
    from omr.semantic import NOTE_RE
    from omr.semantic_tokens import join_symbols
    tokens = result.text.split()
    scores = result.char_scores or [result.confidence] * len(tokens)
    if source == 'semantic':
        if mode == 'semantic':
            return join_symbols(tokens, scores)
        notes = [(m.group(1), s) for m, s in zip(map(NOTE_RE.match, tokens),
                                                 scores) if m]
        tokens, scores = [t for t, _ in notes], [s for _, s in notes]
    if mode == 'paper':
        tokens = [strip_accidental(t) for t in tokens]
    return tokens, list(scores)


def note_line(path: str, tokens: List[str], scores: List[float],
              confidence: float, mode: str, as_json: bool,
              with_path: bool) -> str:
    """The output line of one read fragment (see :func:`reading`): the
    tokens, or JSON with one confidence per note (``notes``) or, in
    semantic mode, per symbol (``symbols``)."""
    if as_json:
        key, name = ('symbols', 'symbol') if mode == 'semantic' else (
            'notes', 'pitch')
        return json.dumps({
            'image': path,
            'mode': mode,
            'tokens': tokens,
            'confidence': round(confidence, 6),
            key: [{name: t, 'confidence': round(s, 6)}
                  for t, s in zip(tokens, scores)]})
    return f'{path}\t{" ".join(tokens)}' if with_path else ' '.join(tokens)


def write_outputs(args: argparse.Namespace, path: str, tokens: List[str],
                  mode: str = 'pitch'):
    """Write --musicxml/--midi/--render; return the exit status."""
    from crnn_plugin.runtime.output_paths import replace_atomically
    mode = 'semantic' if mode == 'semantic' else 'pitch'
    try:
        if args.musicxml:
            from omr.export import write_musicxml
            with replace_atomically(args.musicxml, '.musicxml') as tmp:
                write_musicxml(tokens, tmp, mode=mode)
        if args.midi:
            from omr.export import write_midi
            with replace_atomically(args.midi, '.mid') as tmp:
                write_midi(tokens, tmp, mode=mode)
        if args.render:
            from crnn_plugin.runtime import read_image
            from omr.render import render
            render(read_image(path, 'color'), tokens, args.render, mode)
    except ImportError as err:
        error(f'cannot write the output: {err}')
        return 2
    except Exception as err:  # music21/verovio/OpenCV write failures
        error(f'cannot write the output: {type(err).__name__}: {err}')
        return 1
    return 0


def check_outputs(args: argparse.Namespace, inputs: List[str]) -> bool:
    """Refuse outputs that would destroy data (one error line): True if
    refused."""
    from crnn_plugin.runtime.output_paths import (OutputPathError,
                                                  check_output_file)
    outputs = [(flag, path) for flag, path in (
        ('--musicxml', args.musicxml), ('--midi', args.midi),
        ('--render', args.render)) if path]
    models = [checkpoint_path(args), pitch_model_path(args)]
    try:
        for i, (flag, path) in enumerate(outputs):
            check_output_file(
                path, inputs + models + [args.config] +
                [p for _, p in outputs[:i]], args.force, what=flag)
    except OutputPathError as err:
        error(str(err))
        return True
    return False


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command; return the exit status."""
    args = parse_args(argv)
    from crnn_plugin.runtime import ImageInputError, expand_inputs, read_image
    from omr.pitch_fusion import with_pitches
    paths, empty = expand_inputs(args.inputs)
    for item in empty:
        error(f'{item}: no image files found')
    outputs = args.musicxml or args.midi or args.render
    if outputs and len(paths) + len(empty) != 1:
        error('--musicxml, --midi and --render take one image')
        return 2
    if outputs and check_outputs(args, paths):
        return 2
    if len(paths) == 1 and not empty:
        try:  # bad input first: one clear line, before loading the model
            read_image(paths[0], 'color')
        except ImageInputError as err:
            error(str(err))
            return 1
    if not paths:
        return 1
    reader = load_reader(args)
    if isinstance(reader, str):
        error(reader)
        return 2
    source = model_mode(reader)
    if args.mode == 'semantic' and source != 'semantic':
        error(f'--mode semantic needs a semantic model (configs/omr/'
              f'crnn_omr_reduced_semantic.py); this is a {source}-mode model')
        return 2
    mode = args.mode or ('semantic' if source == 'semantic' else 'pitch')
    pitch_reader, pitch_model = None, pitch_model_path(args)
    if mode == 'semantic' and pitch_model:
        pitch_reader = load_reader(args, pitch_model)
        if isinstance(pitch_reader, str) or model_mode(pitch_reader) != \
                'pitch':
            error(pitch_reader if isinstance(pitch_reader, str) else
                  f'--pitch-model {args.pitch_model} is not a pitch-mode '
                  'model')
            return 2
    # Paths (not decoded arrays): decoded exactly as in validation.
    several = len(paths) > 1 or bool(empty)
    results = reader.read(paths, on_error='return')
    pitch_results = pitch_reader.read(paths, on_error='return') \
        if pitch_reader else repeat(None)
    read = 0
    for path, result, pitch_result in zip(paths, results, pitch_results):
        if isinstance(result, ImageInputError):
            error(str(result))
            continue
        read += 1
        tokens, scores = reading(result, source, mode)
        if pitch_result is not None and \
                not isinstance(pitch_result, ImageInputError):
            pitches, pitch_scores = reading(pitch_result, 'pitch', 'pitch')
            tokens, scores, _ = with_pitches(tokens, pitches, scores,
                                             pitch_scores)
        print(note_line(path, tokens, scores, result.confidence, mode,
                        args.json, several), flush=True)
    if not read:
        return 1
    if outputs:
        return write_outputs(args, paths[0], tokens, mode)
    return 0


if __name__ == '__main__':
    sys.exit(main())
