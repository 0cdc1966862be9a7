"""Safe (weights_only) loading of MMEngine checkpoints."""
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint
from runner_helpers import build_runner

from crnn_plugin.checkpoint import (history_buffer_getattr,
                                    load_checkpoint_weights_only,
                                    load_from_local_weights_only,
                                    register_safe_globals, safe_globals)


def allowlisted_names():
    names = set()
    for entry in safe_globals():
        if isinstance(entry, tuple):
            names.add(entry[1])
        else:
            names.add(f'{entry.__module__}.{entry.__qualname__}')
    return names


@pytest.fixture(scope='module')
def runner_checkpoint(tmp_path_factory):
    """(path, runner) after 1 epoch with MMEngine's own CheckpointHook."""
    work_dir = tmp_path_factory.mktemp('ckpt')
    runner = build_runner(
        str(work_dir), dict(type='CheckpointHook', interval=1), max_epochs=1)
    runner.train()
    return str(work_dir / 'epoch_1.pth'), runner


def test_local_scheme_uses_weights_only_loader():
    register_safe_globals()  # idempotent
    loader = CheckpointLoader._get_checkpoint_loader('work_dirs/x/epoch_1.pth')
    assert loader is load_from_local_weights_only
    with pytest.raises(FileNotFoundError):
        load_from_local_weights_only('/nonexistent/epoch_1.pth')


def test_runner_checkpoint_needs_exactly_the_allowlist(runner_checkpoint):
    path, _ = runner_checkpoint
    saved = torch.serialization.get_safe_globals()
    torch.serialization.clear_safe_globals()
    try:
        # Globals beyond torch's defaults (ours are cleared for the moment).
        needed = set(
            torch.serialization.get_unsafe_globals_in_checkpoint(path))
        # Without the allowlist torch's weights_only load refuses the file.
        with pytest.raises(pickle.UnpicklingError):
            torch.load(path, weights_only=True)
    finally:
        torch.serialization.add_safe_globals(saved)
        register_safe_globals()
    # Found empirically: MessageHub's HistoryBuffers (with their statistic
    # methods pickled through getattr) and numpy arrays/scalars/dtypes.
    assert {'mmengine.logging.history_buffer.HistoryBuffer',
            'builtins.getattr'} <= needed
    assert needed <= allowlisted_names()
    assert torch.serialization.get_unsafe_globals_in_checkpoint(path) == []


def test_load_restores_message_hub(runner_checkpoint):
    path, runner = runner_checkpoint
    ckpt = _load_checkpoint(path, map_location='cpu')
    assert (ckpt['meta']['epoch'], ckpt['meta']['iter']) == (1, 3)
    loss = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(loss, HistoryBuffer)
    logged = runner.message_hub.log_scalars['train/loss']
    np.testing.assert_allclose(loss.data[0], logged.data[0])
    assert loss.mean() == pytest.approx(logged.mean())
    assert set(ckpt) >= {'state_dict', 'optimizer', 'param_schedulers'}


def test_runner_resumes_from_it(runner_checkpoint, tmp_path):
    path, _ = runner_checkpoint
    runner = build_runner(
        str(tmp_path),
        dict(type='CheckpointHook', interval=1),
        max_epochs=2,
        resume=True,
        load_from=path)
    runner.train()
    assert (runner.epoch, runner.iter) == (2, 6)


def test_history_buffer_getattr_allows_only_statistics():
    for name in ('min', 'max', 'current', 'mean'):
        assert history_buffer_getattr(HistoryBuffer, name) is getattr(
            HistoryBuffer, name)
    for obj, name in ((HistoryBuffer, '__init__'), (HistoryBuffer, 'update'),
                      (os, 'system'), (np.zeros(1), 'tofile'),
                      (HistoryBuffer.mean, '__globals__')):
        with pytest.raises(pickle.UnpicklingError, match='Refusing getattr'):
            history_buffer_getattr(obj, name)


class _System:
    """Pickles to ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


class _GetattrCallable:
    """A callable that pickles as ``getattr(obj, name)``."""

    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __call__(self, *args):
        return getattr(self.obj, self.name)(*args)

    def __reduce__(self):
        return (getattr, (self.obj, self.name))


class _WriteViaGetattr:
    """Pickles to ``getattr(<ndarray>, 'tofile')(marker)``: abuses the
    allowlisted ``builtins.getattr`` name to write a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (_GetattrCallable(np.zeros(1), 'tofile'), (str(self.marker), ))


class _HistoryBufferInit:
    """Pickles to ``getattr(HistoryBuffer, '__init__')``."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


@pytest.mark.parametrize('payload', [_System, _WriteViaGetattr])
@pytest.mark.parametrize('force_no_weights_only', [False, True])
def test_malicious_checkpoints_are_rejected(tmp_path, monkeypatch, payload,
                                            force_no_weights_only):
    if force_no_weights_only:
        monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'meta': payload(marker)}, path)
    with pytest.raises(pickle.UnpicklingError):
        _load_checkpoint(path, map_location='cpu')
    with pytest.raises(pickle.UnpicklingError):
        load_checkpoint_weights_only(path)
    assert not marker.exists()


def test_getattr_of_other_attributes_is_rejected(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save({'meta': _HistoryBufferInit()}, path)
    with pytest.raises(pickle.UnpicklingError, match='Refusing getattr'):
        load_checkpoint_weights_only(path)
