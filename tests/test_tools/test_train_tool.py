"""tools/train.py: MMOCR's flags, CPU defaults, interrupted run + resume."""
import glob
import os.path as osp

import pytest
import torch
from tools_helpers import (SimulatedInterrupt, load_tool, read_records,
                           unique_name, write_config)

from crnn_plugin.checkpoint import load_checkpoint_weights_only
from crnn_plugin.engine import (cpu_supports_bf16, runner_setup,
                                setup_distributed)

train_tool = load_tool('train')


def run_train(config, work_dir, *extra):
    """Run ``tools/train.py`` in-process with a fresh experiment name.

    MMEngine caches MessageHub/visualizer instances by name within a process.
    """
    name = unique_name()
    train_tool.main([
        config, '--work-dir',
        str(work_dir), '--cfg-options', f'experiment_name={name}',
        f'visualizer.name={name}', *extra
    ])


def optim_sums(ckpt):
    """Per-parameter sums of the tensors in a checkpoint's optimizer state."""
    return {
        str(k): {n: v.double().sum().item()
                 for n, v in s.items() if torch.is_tensor(v)}
        for k, s in ckpt['optimizer']['state'].items()
    }


def test_parse_args_mmocr_flags():
    args = train_tool.parse_args([
        'cfg.py', '--work-dir', 'wd', '--amp', '--auto-scale-lr',
        '--cfg-options', 'train_cfg.max_epochs=3', '--launcher', 'pytorch',
        '--local-rank', '1'
    ])
    assert (args.config, args.work_dir, args.amp, args.auto_scale_lr,
            args.launcher, args.local_rank) == ('cfg.py', 'wd', True, True,
                                                'pytorch', 1)
    assert args.cfg_options == {'train_cfg.max_epochs': 3}
    assert train_tool.parse_args(['cfg.py']).resume is None
    assert train_tool.parse_args(['cfg.py', '--resume']).resume == 'auto'
    assert train_tool.parse_args(['cfg.py', '--resume',
                                  'a.pth']).resume == 'a.pth'
    assert train_tool.parse_args(['cfg.py', '--local_rank',
                                  '2']).local_rank == 2


def test_build_cfg_cpu_defaults(tiny_config, tmp_path, monkeypatch):
    # a CPU with native bf16 (without it --amp is ignored:
    # test_runner_setup.py)
    monkeypatch.setattr(runner_setup, 'cpu_supports_bf16', lambda: True)
    args = train_tool.parse_args([tiny_config, '--amp'])
    cfg = train_tool.build_cfg(args)
    assert cfg.work_dir == osp.join('./work_dirs', 'crnn_tiny')
    if not torch.cuda.is_available():
        assert cfg.optim_wrapper.type == 'CPUAmpOptimWrapper'
        assert cfg.optim_wrapper.dtype == 'bfloat16'
    setup_distributed(cfg, args.launcher)
    assert cfg.env_cfg.dist_cfg.backend == ('nccl' if torch.cuda.is_available()
                                            else 'gloo')
    with pytest.raises(RuntimeError, match='auto_scale_lr'):
        train_tool.build_cfg(
            train_tool.parse_args([tiny_config, '--auto-scale-lr']))
    cfg = train_tool.build_cfg(
        train_tool.parse_args([
            tiny_config, '--auto-scale-lr', '--cfg-options',
            'auto_scale_lr.base_batch_size=4'
        ]))
    assert cfg.auto_scale_lr.enable is True
    with pytest.raises(FileNotFoundError):
        train_tool.build_cfg(
            train_tool.parse_args(
                [tiny_config, '--resume',
                 str(tmp_path / 'missing.pth')]))


def test_interrupted_run_resumes_from_last_checkpoint(tiny_config, tmp_path):
    work_dir = tmp_path / 'work'
    first = write_config(
        str(tmp_path / 'first.py'), tiny_config, 'train_cfg = dict('
        'max_epochs=3)\ncustom_hooks = [dict(type="ToolsTestInterruptHook", '
        'after_epoch=2), dict(type="ToolsTestRecorderHook")]\n')
    with pytest.raises(SimulatedInterrupt):
        run_train(first, work_dir)
    # Killed after epoch 2 (2 iterations per epoch): its checkpoint exists.
    assert sorted(osp.basename(p) for p in glob.glob(
        str(work_dir / '*.pth'))) == ['epoch_1.pth', 'epoch_2.pth']
    assert (work_dir / 'last_checkpoint').read_text().endswith('epoch_2.pth')
    saved = load_checkpoint_weights_only(str(work_dir / 'epoch_2.pth'))
    assert (saved['meta']['epoch'], saved['meta']['iter']) == (2, 4)

    second = write_config(
        str(tmp_path / 'second.py'), tiny_config, 'train_cfg = dict('
        'max_epochs=3)\ncustom_hooks = [dict(type="ToolsTestRecorderHook")]\n')
    run_train(second, work_dir, '--resume')
    (record, ) = read_records(str(work_dir))
    # The counters continue where the interrupted run stopped ...
    assert (record['start_epoch'], record['start_iter']) == (2, 4)
    assert record['end_iter'] == 6 and len(record['losses']) == 2
    # ... with the optimizer state of the checkpoint (Adadelta averages).
    assert record['start_optim_state'] == optim_sums(saved)
    assert any(v for s in record['start_optim_state'].values()
               for v in s.values())
    final = load_checkpoint_weights_only(str(work_dir / 'epoch_3.pth'))
    assert (final['meta']['epoch'], final['meta']['iter']) == (3, 6)
    logs = [open(p).read() for p in glob.glob(str(work_dir / '*' / '*.log'))]
    (text, ) = [t for t in logs if 'resumed epoch' in t]
    # Two runs started in the same second share MMEngine's log file (its
    # name is the start time, opened for appending): read the second run's
    # lines, those from its resume on.
    resumed = text.split('resumed epoch: 2, iter: 4', 1)
    assert len(resumed) == 2
    assert 'Epoch(train) [3][1/2]' in resumed[1]
    assert 'Epoch(train) [1]' not in resumed[1]
    assert 'Epoch(train) [2]' not in resumed[1]


def test_resume_from_given_checkpoint(tiny_config, tmp_path):
    work_dir = tmp_path / 'work'
    config = write_config(
        str(tmp_path / 'rec.py'), tiny_config,
        'custom_hooks = [dict(type="ToolsTestRecorderHook")]\n')
    run_train(config, work_dir)
    assert read_records(str(work_dir))[0]['end_iter'] == 4
    run_train(config, work_dir, '--resume', str(work_dir / 'epoch_1.pth'))
    (record, ) = read_records(str(work_dir))
    assert (record['start_epoch'], record['start_iter']) == (1, 2)
    assert record['end_iter'] == 4


def test_amp_trains_on_this_machine(tiny_config, tmp_path):
    config = write_config(
        str(tmp_path / 'amp.py'), tiny_config, 'train_cfg = dict(max_epochs=1)'
        '\ncustom_hooks = [dict(type="ToolsTestRecorderHook")]\n')
    run_train(config, tmp_path / 'work', '--amp')
    (record, ) = read_records(str(tmp_path / 'work'))
    if torch.cuda.is_available():
        expected = 'AmpOptimWrapper'
    else:  # emulated bf16 is slower than fp32: --amp is then ignored
        expected = ('CPUAmpOptimWrapper'
                    if cpu_supports_bf16() else 'OptimWrapper')
    assert record['optim_wrapper'] == expected
    assert len(record['losses']) == 2
    assert all(torch.isfinite(torch.tensor(record['losses'])))


def test_iteration_based_resume_sees_the_uninterrupted_batches(
        tiny_config, tmp_path):
    # SkipAheadIterBasedTrainLoop (the synth/OMR configs' loop): 6 iterations
    # of batch 4 over 8 images, i.e. past the first shuffled pass.
    config = write_config(
        str(tmp_path / 'iters.py'), tiny_config,
        'train_dataloader = dict(sampler=dict(type="InfiniteSampler", '
        'shuffle=True))\ntrain_cfg = dict(_delete_=True, '
        'type="SkipAheadIterBasedTrainLoop", max_iters=6, val_interval=100)\n'
        'default_hooks = dict(checkpoint=dict(by_epoch=False, interval=3))\n'
        'log_processor = dict(by_epoch=False)\n'
        'custom_hooks = [dict(type="ToolsTestRecorderHook")]\n')
    whole, resumed = tmp_path / 'whole', tmp_path / 'resumed'
    run_train(config, whole)
    (full, ) = read_records(str(whole))
    assert full['end_iter'] == 6 and len(full['batches']) == 6
    run_train(config, resumed, '--resume', str(whole / 'iter_3.pth'))
    (second, ) = read_records(str(resumed))
    assert (second['start_iter'], second['end_iter']) == (3, 6)
    assert second['batches'] == full['batches'][3:]
    logs = [open(p).read() for p in glob.glob(str(resumed / '*' / '*.log'))]
    assert any('Skipped the sampler 3 batches ahead' in t for t in logs)
