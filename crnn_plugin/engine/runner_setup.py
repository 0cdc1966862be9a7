"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``.

Adapted from MMOCR 1.0.1's ``tools/train.py``/``tools/test.py`` (the AMP and
work-dir logic), extended so the same commands run on CPU-only machines.
"""
import logging
import os.path as osp
from typing import Optional

import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from .cpu_distributed import init_cpu_dist

__all__ = [
    'default_dist_backend', 'setup_work_dir', 'setup_distributed',
    'cpu_supports_bf16', 'enable_amp', 'setup_resume',
    'load_config', 'build_runner', 'check_load_from', 'finish_distributed'
]


def load_config(path: str, cfg_options: Optional[dict],
                work_dir: Optional[str]) -> Config:
    """Load a config, merge ``--cfg-options`` and set the work dir.

    Args:
        path (str): Config file.
        cfg_options (dict, optional): ``--cfg-options`` overrides.
        work_dir (str, optional): ``--work-dir``.

    Returns:
        Config: The config.
    """
    cfg = Config.fromfile(path)
    if cfg_options is not None:
        cfg.merge_from_dict(cfg_options)
    setup_work_dir(cfg, work_dir, path)
    return cfg


def build_runner(cfg: Config, launcher: str) -> Runner:
    """Prepare distributed settings and build the (custom) runner.

    Args:
        cfg (Config): The config.
        launcher (str): ``--launcher``.

    Returns:
        Runner: MMEngine's runner, or ``cfg.runner_type`` when given.
    """
    setup_distributed(cfg, launcher)
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def finish_distributed() -> None:
    """Destroy the default process group, if one was initialised.

    Called at the end of ``tools/train.py`` and ``tools/test.py``: a gloo
    group left for interpreter teardown can abort a rank at exit
    ("terminate called without an active exception", seen once in a
    2-process CPU test run after training had finished), and PyTorch asks
    for ``destroy_process_group()`` before exit.
    """
    if torch.distributed.is_available() and \
            torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


def default_dist_backend() -> str:
    """``'nccl'`` when CUDA is available, else ``'gloo'``."""
    return 'nccl' if torch.cuda.is_available() else 'gloo'


def setup_work_dir(cfg: Config, work_dir: Optional[str],
                   config_path: str) -> None:
    """Set ``cfg.work_dir``: CLI > config > ``./work_dirs/<config name>``.

    Args:
        cfg (Config): The loaded config (modified in place).
        work_dir (str, optional): ``--work-dir`` from the command line.
        config_path (str): Path of the config file.
    """
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])


def setup_distributed(cfg: Config, launcher: str) -> None:
    """Set the launcher and make distributed runs work without CUDA.

    Without CUDA, ``env_cfg.dist_cfg.backend='nccl'`` (MMOCR's default) is
    replaced by ``'gloo'``; for a launched job the gloo process group is
    created here and the model wrapper becomes
    :class:`~crnn_plugin.engine.CPUDistributedDataParallel`.

    Args:
        cfg (Config): The loaded config (modified in place).
        launcher (str): ``none``, ``pytorch``, ``slurm`` or ``mpi``.
    """
    cfg.launcher = launcher
    # Plain assignment: ConfigDict.setdefault returns the dict it was given,
    # not the converted copy it stores.
    if cfg.get('env_cfg') is None:
        cfg.env_cfg = dict()
    if cfg.env_cfg.get('dist_cfg') is None:
        cfg.env_cfg.dist_cfg = dict()
    dist_cfg = cfg.env_cfg.dist_cfg
    if torch.cuda.is_available():
        if 'backend' not in dist_cfg:
            dist_cfg.backend = 'nccl'
        return
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
    if launcher == 'none':
        return
    init_cpu_dist(
        launcher,
        backend=dist_cfg['backend'],
        timeout=dist_cfg.get('timeout', None))
    wrapper_cfg = cfg.get('model_wrapper_cfg', None) or dict()
    default_type = 'MMDistributedDataParallel'
    if wrapper_cfg.get('type', default_type) == default_type:
        wrapper = dict(wrapper_cfg)
        # Scoped name: Runner.wrap_model looks the type up with
        # mmengine's MODEL_WRAPPERS.get, which does not search the 'mmocr'
        # child registry for an unscoped name.
        wrapper['type'] = 'mmocr.CPUDistributedDataParallel'
        cfg.model_wrapper_cfg = wrapper


def cpu_supports_bf16() -> bool:
    """Whether this CPU runs bfloat16 natively (AVX512-BF16 or AMX).

    oneDNN's own check: without these instructions bfloat16 convolutions are
    emulated, and autocast makes training slower instead of faster (a
    3x3 conv's forward+backward took 14x longer in bf16 than in fp32 on an
    AVX2-only AMD EPYC here; on the AMX machines bf16 steps are 1.9x
    faster, see ``docs/benchmarks.md``).
    """
    return bool(torch.backends.mkldnn.is_available()
                and torch.ops.mkldnn._is_mkldnn_bf16_supported())


def enable_amp(cfg: Config) -> None:
    """Switch the optimizer wrapper to mixed precision (``--amp``).

    With CUDA: MMEngine's ``AmpOptimWrapper`` with dynamic loss scaling (as
    MMOCR's tool). Without CUDA: MMEngine's ``AmpOptimWrapper`` refuses to
    build, so :class:`~crnn_plugin.engine.CPUAmpOptimWrapper` (bfloat16
    autocast on CPU, no loss scaling) is used -- if the CPU has native
    bfloat16 (:func:`cpu_supports_bf16`); otherwise ``--amp`` is ignored with
    a warning and training stays in float32.

    Args:
        cfg (Config): The loaded config (modified in place).

    Raises:
        ValueError: If the config's optimizer wrapper is not a plain
            ``OptimWrapper``.
    """
    wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if wrapper_type in ('AmpOptimWrapper', 'CPUAmpOptimWrapper'):
        print_log(
            'AMP training is already enabled in your config.',
            logger='current',
            level=logging.WARNING)
        return
    if wrapper_type != 'OptimWrapper':
        raise ValueError('`--amp` is only supported when the optimizer '
                         f'wrapper type is `OptimWrapper`, got {wrapper_type}')
    if torch.cuda.is_available():
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    elif not cpu_supports_bf16():
        print_log(
            'CUDA is unavailable and this CPU has no native bfloat16 '
            '(AVX512-BF16/AMX): emulated bf16 autocast is several times '
            'slower than float32, so --amp is ignored (training in float32).',
            logger='current',
            level=logging.WARNING)
    else:
        print_log(
            'CUDA is unavailable: --amp uses bfloat16 autocast on CPU '
            '(CPUAmpOptimWrapper).',
            logger='current')
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16'


def setup_resume(cfg: Config, resume: Optional[str]) -> None:
    """Apply ``--resume`` (``'auto'`` or a checkpoint path).

    ``'auto'`` continues from ``work_dir/last_checkpoint`` (MMEngine starts
    from scratch with a warning when there is none); a path resumes from that
    file.

    Args:
        cfg (Config): The loaded config (modified in place).
        resume (str, optional): None (no resume), ``'auto'`` or a path.

    Raises:
        FileNotFoundError: If ``resume`` is a path that does not exist.
        CheckpointError: If ``resume`` (or the work dir's last checkpoint)
            is not a usable checkpoint.
    """
    from crnn_plugin.checkpoint import check_checkpoint
    if resume is None:
        return
    cfg.resume = True
    if resume == 'auto':
        cfg.load_from = None
        last = osp.join(cfg.get('work_dir') or '', 'last_checkpoint')
        if osp.isfile(last):
            with open(last, encoding='utf-8', errors='replace') as f:
                path = f.read().strip()
            if path:
                check_checkpoint(path)
    else:
        if not osp.exists(resume):
            raise FileNotFoundError(f'--resume checkpoint {resume} not found')
        check_checkpoint(resume)
        cfg.load_from = resume


def check_load_from(cfg: Config) -> None:
    """Check a local ``cfg.load_from`` before the runner is built.

    Args:
        cfg (Config): The config.

    Raises:
        CheckpointError: If it is not a usable checkpoint file.
    """
    from crnn_plugin.checkpoint import check_checkpoint
    path = cfg.get('load_from')
    if isinstance(path, str) and path and '://' not in path:
        check_checkpoint(path)
