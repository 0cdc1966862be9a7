"""Train a crnn-plugin (MMOCR 1.x) model with MMEngine's runner.

Adapted from MMOCR 1.0.1 ``tools/train.py`` (same flags), plus:

* ``crnn_plugin`` is imported, so our modules, the safe (weights_only)
  checkpoint loader and ``AtomicCheckpointHook`` are registered;
* ``--resume`` also takes a checkpoint path (bare ``--resume`` = the last
  checkpoint in the work dir, as in MMOCR);
* CPU-only machines: gloo instead of nccl, ``--amp`` = bfloat16 autocast,
  ``--launcher pytorch`` through ``tools/dist_train.sh`` runs CPU processes.

Example::

    python tools/train.py configs/crnn_mini-vgg_toy.py
    python tools/train.py configs/crnn_mini-vgg_toy.py --resume
    bash tools/dist_train.sh configs/crnn_mini-vgg_toy.py 2
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

# Allow running from a source checkout without `pip install -e .`.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

import crnn_plugin  # noqa: E402,F401  (registers modules)
from crnn_plugin.utils import (enable_amp, setup_distributed,  # noqa: E402
                               setup_resume, setup_work_dir)


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
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='Job launcher')
    # torch.distributed.launch/torchrun may pass `--local-rank`.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def build_cfg(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line options.

    Args:
        args (argparse.Namespace): Output of :func:`parse_args`.

    Returns:
        Config: The config to build the runner from.
    """
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    setup_work_dir(cfg, args.work_dir, args.config)
    if args.amp:
        enable_amp(cfg)
    setup_resume(cfg, args.resume)
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
    setup_distributed(cfg, args.launcher)
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    runner.train()


if __name__ == '__main__':
    main()
