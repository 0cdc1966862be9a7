"""Train a crnn-plugin (MMOCR 1.x) model with MMEngine's runner.

Adapted from MMOCR 1.0.1 ``tools/train.py`` (same flags), plus:

* ``crnn_plugin`` is imported, so our modules, the safe (weights_only)
  checkpoint loader and ``AtomicCheckpointHook`` are registered;
* ``--resume`` also takes a checkpoint path (bare ``--resume`` = the last
  checkpoint in the work dir, as in MMOCR);
* CPU-only machines: gloo instead of nccl, ``--amp`` = bfloat16 autocast,
  ``--launcher pytorch`` through ``tools/dist_train.sh`` runs CPU processes;
* a bad ``--resume``/``load_from`` checkpoint (missing, unreadable, unsafe)
  or config gives one ``error:`` line and exit status 2 before training.

Example::

    python tools/train.py configs/crnn_mini-vgg_toy.py
    python tools/train.py configs/crnn_mini-vgg_toy.py --resume
    bash tools/dist_train.sh configs/crnn_mini-vgg_toy.py 2
"""
import argparse
import os.path as osp
import sys

from mmengine.config import Config, DictAction

# Allow running from a source checkout without `pip install -e .`.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

import crnn_plugin.registration  # noqa: E402,F401
from crnn_plugin.cli import parse_with_launcher, run_main  # noqa: E402
from crnn_plugin.engine import (  # noqa: E402
    build_runner, check_load_from, enable_amp, finish_distributed,
    load_config, setup_resume)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line (MMOCR 1.0.1's train flags).

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` if None.

    Returns:
        argparse.Namespace: The parsed arguments.
    """
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='Train config file path')
    parser.add_argument('--work-dir', help='The dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='Resume training. Without a value: from the last checkpoint in '
        'the work dir (work_dir/last_checkpoint); with a value: from that '
        'checkpoint file.')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='Enable automatic-mixed-precision training (float16 with loss '
        'scaling on CUDA, bfloat16 autocast on CPU)')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='Whether to scale the learning rate automatically. It requires '
        '`auto_scale_lr` in config, and `base_batch_size` in `auto_scale_lr`')
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
    return parse_with_launcher(parser, argv)


def build_cfg(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line options.

    Args:
        args (argparse.Namespace): Output of :func:`parse_args`.

    Returns:
        Config: The config to build the runner from.
    """
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    if args.amp:
        enable_amp(cfg)
    setup_resume(cfg, args.resume)
    check_load_from(cfg)
    if args.auto_scale_lr:
        if 'auto_scale_lr' in cfg and 'base_batch_size' in cfg.auto_scale_lr:
            cfg.auto_scale_lr.enable = True
        else:
            raise RuntimeError('Can not find "auto_scale_lr" or '
                               '"auto_scale_lr.base_batch_size" in your'
                               ' configuration file.')
    return cfg


def main(argv=None) -> None:
    """Entry point: build the runner and train."""
    args = parse_args(argv)
    cfg = build_cfg(args)
    runner = build_runner(cfg, args.launcher)
    runner.train()


if __name__ == '__main__':
    try:
        # Bad files (config, --resume/load_from checkpoint, data): one
        # error line, status 2.
        status = run_main(main)
    finally:
        finish_distributed()  # before exit (gloo threads)
    sys.exit(status)
