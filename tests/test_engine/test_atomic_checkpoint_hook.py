"""AtomicCheckpointHook: checkpoints survive a crash during saving."""
import os
import pickle
import stat

import pytest
from mmengine.fileio import LocalBackend
from runner_helpers import build_runner

from crnn_plugin.checkpoint import (atomic_write_text,
                                    load_checkpoint_weights_only)


class SimulatedCrash(Exception):
    """The process dies while a checkpoint is being written."""


def listing(folder):
    """Checkpoints, ``last_checkpoint`` and hidden (temporary) files."""
    return sorted(
        f for f in os.listdir(folder) if f.endswith('.pth') or f.startswith(
            '.') or f == 'last_checkpoint')


def test_saves_and_prunes_like_checkpoint_hook(tmp_path):
    runner = build_runner(
        str(tmp_path),
        dict(type='AtomicCheckpointHook', interval=1, max_keep_ckpts=2))
    runner.train()
    # No temporary files are left behind.
    assert listing(tmp_path) == [
        'epoch_2.pth', 'epoch_3.pth', 'last_checkpoint'
    ]
    last = (tmp_path / 'last_checkpoint').read_text()
    assert last == str(tmp_path / 'epoch_3.pth')
    mode = stat.S_IMODE(os.stat(tmp_path / 'last_checkpoint').st_mode)
    assert mode & stat.S_IRGRP  # umask honoured, unlike mkstemp's 0600
    ckpt = load_checkpoint_weights_only(last)
    assert (ckpt['meta']['epoch'], ckpt['meta']['iter']) == (3, 9)
    runtime_info = ckpt['message_hub']['runtime_info']
    assert runtime_info['keep_ckpt_ids'] == [2, 3]
    assert runtime_info['last_ckpt'] == last


def crash_on_second_put(monkeypatch):
    """Make the 2nd ``LocalBackend.put`` write half its bytes, then die."""
    original = LocalBackend.put
    calls = []

    def put(self, obj, filepath):
        calls.append(filepath)
        if len(calls) == 2:
            with open(filepath, 'wb') as f:
                f.write(obj[:len(obj) // 2])
            raise SimulatedCrash(filepath)
        return original(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', put)
    return calls


def test_crash_while_saving_keeps_last_checkpoint(tmp_path, monkeypatch):
    calls = crash_on_second_put(monkeypatch)
    runner = build_runner(
        str(tmp_path),
        dict(type='AtomicCheckpointHook', interval=1, max_keep_ckpts=1))
    with pytest.raises(SimulatedCrash):
        runner.train()
    # The half-written bytes went to a hidden temporary file, now removed.
    assert os.path.basename(calls[1]).startswith('.epoch_2.pth.')
    assert not os.path.exists(calls[1])
    assert not os.path.exists(tmp_path / 'epoch_2.pth')
    # The previous checkpoint was not pruned before the new one was safe.
    last = (tmp_path / 'last_checkpoint').read_text()
    assert last == str(tmp_path / 'epoch_1.pth')
    assert load_checkpoint_weights_only(last)['meta']['epoch'] == 1

    monkeypatch.undo()
    resumed = build_runner(
        str(tmp_path),
        dict(type='AtomicCheckpointHook', interval=1, max_keep_ckpts=1),
        resume=True)
    resumed.train()
    assert (resumed.epoch, resumed.iter) == (3, 9)
    assert listing(tmp_path) == ['epoch_3.pth', 'last_checkpoint']


def test_stale_temporary_files_removed_on_start(tmp_path):
    """A run killed (SIGKILL) mid-save leaves hidden temporary files."""
    stale = [tmp_path / '.epoch_2.pth.4242.tmp',
             tmp_path / '.last_checkpoint.4242.0123abcd.tmp']
    for path in stale:
        path.write_bytes(b'partial')
    kept = tmp_path / '.not_ours.tmp'
    kept.write_bytes(b'x')
    runner = build_runner(
        str(tmp_path), dict(type='AtomicCheckpointHook', interval=1),
        max_epochs=1)
    runner.train()
    assert listing(tmp_path) == [
        '.not_ours.tmp', 'epoch_1.pth', 'last_checkpoint'
    ]


def test_mmengine_checkpoint_hook_loses_everything(tmp_path, monkeypatch):
    """Reference: why the hook exists (mmengine 0.10.7 ``CheckpointHook``).

    With ``max_keep_ckpts=1`` MMEngine deletes epoch_1.pth before writing
    epoch_2.pth in place; a crash mid-write leaves no loadable checkpoint.
    """
    crash_on_second_put(monkeypatch)
    runner = build_runner(
        str(tmp_path),
        dict(type='CheckpointHook', interval=1, max_keep_ckpts=1))
    with pytest.raises(SimulatedCrash):
        runner.train()
    assert not os.path.exists(tmp_path / 'epoch_1.pth')
    with pytest.raises((RuntimeError, pickle.UnpicklingError)):
        load_checkpoint_weights_only(str(tmp_path / 'epoch_2.pth'))


def test_atomic_write_text(tmp_path):
    path = tmp_path / 'last_checkpoint'
    atomic_write_text(str(path), 'a')
    atomic_write_text(str(path), 'bb')
    assert path.read_text() == 'bb'
    assert listing(tmp_path) == ['last_checkpoint']
    with pytest.raises(OSError):
        atomic_write_text(str(tmp_path / 'missing' / 'x'), 'c')
    assert listing(tmp_path) == ['last_checkpoint']
