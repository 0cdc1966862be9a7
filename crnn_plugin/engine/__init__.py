"""MMEngine runner pieces: crash-safe checkpoint hook, resumable loop, CPU
bfloat16 optimiser wrapper, CPU (gloo) distributed wrapper, and the config
set-up shared by ``tools/train.py`` and ``tools/test.py``.

Importing this package registers ``AtomicCheckpointHook``,
``SkipAheadIterBasedTrainLoop``, ``CPUAmpOptimWrapper`` and
``CPUDistributedDataParallel`` in MMOCR's registries.
"""
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .cpu_amp_optim_wrapper import CPUAmpOptimWrapper
from .cpu_distributed import CPUDistributedDataParallel, init_cpu_dist
from .eval_config import (add_dump_metric, add_test_metrics, side_by_side,
                          use_lexicon)
from .runner_setup import (build_runner, check_load_from, cpu_supports_bf16,
                           default_dist_backend, enable_amp,
                           finish_distributed, load_config, setup_distributed,
                           setup_resume, setup_work_dir)
from .skip_ahead_loop import SkipAheadIterBasedTrainLoop, skip_sampler_ahead

__all__ = [
    'AtomicCheckpointHook', 'CPUAmpOptimWrapper',
    'CPUDistributedDataParallel', 'init_cpu_dist', 'add_dump_metric',
    'add_test_metrics', 'side_by_side', 'use_lexicon', 'build_runner',
    'check_load_from', 'cpu_supports_bf16', 'default_dist_backend',
    'enable_amp', 'finish_distributed', 'load_config', 'setup_distributed',
    'setup_resume', 'setup_work_dir', 'SkipAheadIterBasedTrainLoop',
    'skip_sampler_ahead'
]
