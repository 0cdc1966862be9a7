"""Engineering utilities: safe checkpoint loading, atomic checkpoint saving,
CPU mixed precision, CPU (gloo) distributed runs, and the config adjustments
of ``tools/train.py``/``tools/test.py``.

Importing this package registers ``AtomicCheckpointHook``,
``CPUAmpOptimWrapper``, ``CPUDistributedDataParallel``,
``MultiDatasetDumpResults`` and
``SkipAheadIterBasedTrainLoop`` in MMOCR's registries and calls
:func:`register_safe_globals`, so every MMEngine checkpoint load of a local
file uses ``weights_only=True``.
"""
from .atomic_checkpoint_hook import (AtomicCheckpointHook, atomic_write_text,
                                     torch_save_to_temp)
from .checkpoint import (CheckpointError, check_checkpoint, file_sha256,
                         history_buffer_getattr, load_checkpoint_weights_only,
                         load_from_local_weights_only, read_checkpoint,
                         register_safe_globals, safe_globals)
from .config_text import (TRUSTED_IMPORTS, ConfigTextError, config_from_text,
                          parse_config_text)
from .cli_errors import BAD_INPUT, error_line, expected_errors, run_main
from .cpu_amp_optim_wrapper import CPUAmpOptimWrapper
from .cpu_distributed import CPUDistributedDataParallel, init_cpu_dist
from .dump_results import MultiDatasetDumpResults
from .eval_cfg import (add_dump_metric, add_test_metrics, side_by_side,
                       use_lexicon)
from .runtime import (build_runner, check_load_from, cpu_supports_bf16,
                      default_dist_backend,
                      enable_amp, finish_distributed, load_config,
                      parse_with_launcher,
                      setup_distributed, setup_resume, setup_work_dir)
from ..runtime.output_paths import (FORCE_HINT, OutputPathError,
                                    check_output_dir, check_output_file,
                                    make_output_dir, replace_atomically)
from .skip_ahead_loop import SkipAheadIterBasedTrainLoop, skip_sampler_ahead

register_safe_globals()

__all__ = [
    'AtomicCheckpointHook', 'atomic_write_text', 'torch_save_to_temp',
    'file_sha256', 'history_buffer_getattr',
    'load_checkpoint_weights_only', 'load_from_local_weights_only',
    'register_safe_globals', 'safe_globals', 'CheckpointError',
    'read_checkpoint', 'check_checkpoint', 'ConfigTextError',
    'TRUSTED_IMPORTS', 'config_from_text', 'parse_config_text',
    'BAD_INPUT', 'error_line', 'expected_errors', 'run_main',
    'FORCE_HINT', 'OutputPathError', 'check_output_dir', 'check_output_file',
    'make_output_dir', 'replace_atomically', 'CPUAmpOptimWrapper',
    'CPUDistributedDataParallel', 'init_cpu_dist', 'MultiDatasetDumpResults',
    'build_runner', 'check_load_from', 'load_config', 'parse_with_launcher',
    'cpu_supports_bf16', 'default_dist_backend', 'enable_amp',
    'finish_distributed',
    'setup_distributed', 'setup_resume', 'setup_work_dir', 'add_dump_metric',
    'add_test_metrics', 'side_by_side', 'use_lexicon',
    'SkipAheadIterBasedTrainLoop', 'skip_sampler_ahead'
]
