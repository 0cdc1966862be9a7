"""CPU distributed helpers: gloo process group and a CPU-friendly DDP."""
import os
import socket

import pytest
import torch
import torch.distributed as torch_dist
import torch.nn as nn
from mmengine.config import Config

from crnn_plugin.engine import (CPUDistributedDataParallel, finish_distributed,
                                init_cpu_dist, setup_distributed)


@pytest.fixture
def torchrun_env(monkeypatch):
    """The environment torchrun gives a world of one process."""
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    monkeypatch.setenv('LOCAL_RANK', '0')
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        monkeypatch.setenv('MASTER_PORT', str(sock.getsockname()[1]))
    assert not torch_dist.is_initialized()
    yield
    if torch_dist.is_initialized():
        torch_dist.destroy_process_group()


@pytest.fixture
def single_process_group(torchrun_env):
    """A gloo process group of one process."""
    init_cpu_dist('pytorch', backend='gloo', timeout=60)


def test_finish_distributed_destroys_the_group(single_process_group):
    assert torch_dist.is_initialized()
    finish_distributed()
    assert not torch_dist.is_initialized()
    finish_distributed()  # no group: no-op


def test_wraps_cpu_module_despite_device_ids(single_process_group):
    assert torch_dist.get_backend() == 'gloo'
    init_cpu_dist('pytorch')  # already initialised: no-op
    model = nn.Linear(3, 2)
    # Runner.wrap_model passes device_ids=[LOCAL_RANK]; plain DDP refuses it.
    ddp = CPUDistributedDataParallel(
        module=model, device_ids=[int(os.environ['LOCAL_RANK'])])
    assert ddp.device_ids is None
    ddp(torch.randn(4, 3)).sum().backward()
    assert model.weight.grad is not None


def test_refuses_what_cannot_run_on_cpu():
    assert not torch_dist.is_initialized()
    with pytest.raises(NotImplementedError, match='torchrun'):
        init_cpu_dist('slurm')
    with pytest.raises(ValueError, match='gloo'):
        init_cpu_dist('pytorch', backend='nccl')


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU-only behaviour')
def test_setup_distributed_for_torchrun_on_cpu(torchrun_env):
    cfg = Config(dict(env_cfg=dict(dist_cfg=dict(backend='nccl'))))
    setup_distributed(cfg, 'pytorch')
    assert cfg.launcher == 'pytorch'
    assert torch_dist.is_initialized() and torch_dist.get_backend() == 'gloo'
    assert cfg.model_wrapper_cfg.type == 'mmocr.CPUDistributedDataParallel'
