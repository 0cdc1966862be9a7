"""Config adjustments of tools/train.py and tools/test.py."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from crnn_plugin.checkpoint import CheckpointError
from crnn_plugin.engine import (cpu_supports_bf16, default_dist_backend,
                                enable_amp, runner_setup, setup_distributed,
                                setup_resume, setup_work_dir)

no_cuda = pytest.mark.skipif(
    torch.cuda.is_available(), reason='CPU-only behaviour')


def make_cfg(**kwargs):
    cfg = dict(
        optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='SGD')),
        env_cfg=dict(dist_cfg=dict(backend='nccl')))
    cfg.update(kwargs)
    return Config(cfg)


def test_default_dist_backend():
    expected = 'nccl' if torch.cuda.is_available() else 'gloo'
    assert default_dist_backend() == expected


@no_cuda
def test_nccl_becomes_gloo_without_cuda():
    cfg = make_cfg()
    setup_distributed(cfg, 'none')
    assert cfg.launcher == 'none'
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'
    assert 'model_wrapper_cfg' not in cfg
    cfg = make_cfg(env_cfg=dict())
    setup_distributed(cfg, 'none')
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'


@no_cuda
def test_amp_uses_bfloat16_autocast_on_cpu(monkeypatch):
    monkeypatch.setattr(runner_setup, 'cpu_supports_bf16', lambda: True)
    cfg = make_cfg()
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == 'CPUAmpOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16'
    enable_amp(cfg)  # already enabled: unchanged
    assert cfg.optim_wrapper.type == 'CPUAmpOptimWrapper'


@no_cuda
def test_amp_ignored_without_native_bf16(monkeypatch):
    monkeypatch.setattr(runner_setup, 'cpu_supports_bf16', lambda: False)
    logged = []
    monkeypatch.setattr(runner_setup, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    cfg = make_cfg()
    enable_amp(cfg)
    assert len(logged) == 1 and '--amp is ignored' in logged[0]
    assert cfg.optim_wrapper.type == 'OptimWrapper'
    assert 'dtype' not in cfg.optim_wrapper


def test_cpu_supports_bf16_is_onednns_answer():
    expected = (torch.backends.mkldnn.is_available()
                and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    assert cpu_supports_bf16() is bool(expected)


def test_amp_needs_plain_optim_wrapper():
    cfg = make_cfg(optim_wrapper=dict(type='ApexOptimWrapper'))
    with pytest.raises(ValueError, match='OptimWrapper'):
        enable_amp(cfg)


def test_resume(tmp_path):
    cfg = make_cfg(load_from='pretrained.pth', resume=False)
    setup_resume(cfg, None)
    assert (cfg.resume, cfg.load_from) == (False, 'pretrained.pth')
    setup_resume(cfg, 'auto')
    assert (cfg.resume, cfg.load_from) == (True, None)
    ckpt = tmp_path / 'epoch_1.pth'
    ckpt.write_bytes(b'')
    with pytest.raises(CheckpointError, match='empty file'):
        setup_resume(cfg, str(ckpt))
    torch.save(dict(state_dict={'w': torch.zeros(1)}), str(ckpt))
    setup_resume(cfg, str(ckpt))
    assert (cfg.resume, cfg.load_from) == (True, str(ckpt))
    with pytest.raises(FileNotFoundError):
        setup_resume(cfg, str(tmp_path / 'missing.pth'))


def test_work_dir_priority():
    cfg = make_cfg(work_dir='from_config')
    setup_work_dir(cfg, 'from_cli', 'configs/x.py')
    assert cfg.work_dir == 'from_cli'
    cfg = make_cfg(work_dir='from_config')
    setup_work_dir(cfg, None, 'configs/x.py')
    assert cfg.work_dir == 'from_config'
    cfg = make_cfg()
    setup_work_dir(cfg, None, 'configs/crnn_mini-vgg_toy.py')
    assert cfg.work_dir == osp.join('./work_dirs', 'crnn_mini-vgg_toy')
