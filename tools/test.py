"""Test (and evaluate) a crnn-plugin model with MMEngine's runner.

Adapted from MMOCR 1.0.1 ``tools/test.py`` (same flags), plus: ``crnn_plugin``
is imported (our modules and the weights_only checkpoint loader are
registered, so the checkpoint never runs pickled code), CPU-only machines
use gloo for ``--launcher pytorch`` (``tools/dist_test.sh``), ``--save-preds``
also works with MMOCR's ``MultiDatasetsEvaluator``, and ``--lexicon``/
``--delta`` switch to lexicon-based transcription (paper §2.3.3).

Exit status: 0 tested; 2 bad input (an unreadable or unsafe checkpoint, a
missing config, a --show-dir that is a file, a broken dataset): one
``error:`` line on stderr.

Example::

    python tools/test.py configs/crnn_mini-vgg_toy.py work_dirs/x/iter_100.pth
    python tools/test.py CONFIG CKPT --save-preds --show-dir vis/
    python tools/test.py CONFIG CKPT --lexicon words.txt --delta 3
    python tools/test.py CONFIG CKPT --lexicon per-image
"""
import argparse
import os.path as osp
import sys

from mmengine.config import Config, DictAction
from mmengine.logging import print_log

# Allow running from a source checkout without `pip install -e .`.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

import crnn_plugin.registration  # noqa: E402,F401
from crnn_plugin.checkpoint import check_checkpoint  # noqa: E402
from crnn_plugin.cli import parse_with_launcher, run_main  # noqa: E402
from crnn_plugin.engine import (add_dump_metric, build_runner,  # noqa: E402
                                finish_distributed, load_config, side_by_side,
                                use_lexicon)
from crnn_plugin.runtime.output_paths import check_output_dir  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (MMOCR 1.0.1's test flags).

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.

    Returns:
        argparse.Namespace: The parsed arguments.
    """
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='Test config file path')
    parser.add_argument('checkpoint', help='Checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='The directory to save the file containing evaluation metrics')
    parser.add_argument(
        '--save-preds',
        action='store_true',
        help='Dump predictions to a pickle file for offline evaluation')
    parser.add_argument(
        '--show', action='store_true', help='Show prediction results')
    parser.add_argument(
        '--show-dir',
        help='Directory where painted images will be saved (the '
        "visualizer's save_dir; images under SHOW_DIR/vis_data/vis_image)")
    parser.add_argument(
        '--wait-time', type=float, default=2, help='The interval of show (s)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='Override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed.')
    parser.add_argument(
        '--tta', action='store_true', help='Test time augmentation')
    parser.add_argument(
        '--lexicon',
        metavar='FILE|per-image',
        help='Lexicon-based transcription (paper §2.3.3) with '
        'LexiconCTCPostProcessor: a word file (UTF-8, one word per line), '
        'a .json file {image_key: [words]} of per-image lexicons, or '
        '"per-image" (the "lexicon" list of each annotation entry). '
        'Lexicon-free and lexicon-based metrics are reported side by side.')
    parser.add_argument(
        '--delta',
        type=int,
        default=3,
        help='Max edit distance δ of lexicon candidates (with --lexicon). '
        'Defaults to 3, the paper\'s value.')
    parser.add_argument(
        '--lexicon-margin',
        type=float,
        help='Open vocabulary (with --lexicon): a lexicon word replaces the '
        'reading only if its log-probability is within this margin of it '
        '(7 was best on our held-out renders with the Hunspell list); '
        'default: always the lexicon word')
    return parse_with_launcher(parser, argv)


def trigger_visualization_hook(cfg: Config,
                               args: argparse.Namespace) -> Config:
    """Enable MMOCR's VisualizationHook for ``--show``/``--show-dir``.

    Args:
        cfg (Config): The config (modified in place).
        args (argparse.Namespace): Output of :func:`parse_args`.

    Returns:
        Config: ``cfg``.
    """
    default_hooks = cfg.default_hooks
    if 'visualization' not in default_hooks:
        raise RuntimeError(
            'VisualizationHook must be included in default_hooks. '
            'refer to usage '
            '"visualization=dict(type=\'VisualizationHook\')"')
    visualization_hook = default_hooks['visualization']
    visualization_hook['enable'] = True
    visualization_hook['draw_gt'] = True
    visualization_hook['draw_pred'] = True
    if args.show:
        visualization_hook['show'] = True
        visualization_hook['wait_time'] = args.wait_time
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir
        cfg.visualizer['vis_backends'] = [dict(type='LocalVisBackend')]
    return cfg


def build_cfg(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line options.

    Args:
        args (argparse.Namespace): Output of :func:`parse_args`.

    Returns:
        Config: The config to build the runner from.
    """
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    cfg.load_from = args.checkpoint

    if args.show and args.show_dir:
        raise ValueError('--show and --show-dir cannot be set at the same '
                         'time')
    if args.show_dir:
        check_output_dir(args.show_dir, [args.config, args.checkpoint],
                         what='--show-dir')
    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)

    if args.lexicon is not None:
        use_lexicon(cfg, args.lexicon, args.delta, args.lexicon_margin)
    elif args.lexicon_margin is not None:
        raise ValueError('--lexicon-margin needs --lexicon')

    if args.tta:
        missing = [k for k in ('tta_model', 'tta_pipeline') if k not in cfg]
        if missing:
            raise ValueError(f'--tta needs {missing} in the config (see '
                             "MMOCR's textrecog/crnn/_base_crnn_mini-vgg.py "
                             'and textrecog/_base_/default_runtime.py)')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model

    if args.save_preds:
        add_dump_metric(
            cfg,
            osp.join(cfg.work_dir,
                     f'{osp.basename(args.checkpoint)}_predictions.pkl'))
    check_checkpoint(args.checkpoint)  # a bad file: one error line
    return cfg


def main(argv=None) -> dict:
    """Entry point: build the runner and test.

    Returns:
        dict: The metrics returned by ``runner.test()``.
    """
    args = parse_args(argv)
    cfg = build_cfg(args)
    runner = build_runner(cfg, args.launcher)
    try:
        metrics = runner.test()
    except KeyError as error:
        if args.lexicon == 'per-image' and "'lexicon'" in str(error):
            raise KeyError(
                '--lexicon per-image: a test image has no "lexicon" list in '
                'its annotation entry; give every entry one, or map images '
                'to words in a .json file (--lexicon FILE.json)') from error
        raise
    if args.lexicon is not None:
        model = getattr(runner.model, 'module', runner.model)
        postprocessor = model.decoder.postprocessor
        if hasattr(postprocessor, 'log_counts'):
            postprocessor.log_counts()
        print_log('\n' + side_by_side(metrics), logger='current')
    return metrics


if __name__ == '__main__':
    try:
        # Bad files (checkpoint, config, data): one error line, status 2.
        status = run_main(main)
    finally:
        finish_distributed()  # before exit (gloo threads)
    sys.exit(status)
