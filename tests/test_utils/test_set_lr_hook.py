"""SetLearningRateHook: a resumed run trains with the configured rate."""
import pytest
from mmengine.hooks import Hook
from utils_helpers import build_runner

from crnn_plugin.utils import SetLearningRateHook

CKPT = dict(type='CheckpointHook', interval=1)


class LrRecorder(Hook):
    """Records the learning rate of every training iteration."""

    def __init__(self) -> None:
        self.lrs = []

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.lrs.append(runner.optim_wrapper.get_lr()['lr'][0])


def _resume(work_dir, hooks):
    recorder = LrRecorder()
    runner = build_runner(
        work_dir, CKPT, max_epochs=2, resume=True,
        custom_hooks=hooks + [recorder])
    runner.train()
    return runner, recorder.lrs


def test_resumed_run_trains_with_the_set_rate(tmp_path):
    # One epoch at Adam lr 0.01.
    build_runner(str(tmp_path), CKPT, max_epochs=1).train()

    # Resumed without the hook, epoch 2 runs at 0.01 ...
    plain = tmp_path / 'plain'
    plain.mkdir()
    first = (tmp_path / 'epoch_1.pth').read_bytes()
    (plain / 'epoch_1.pth').write_bytes(first)
    (plain / 'last_checkpoint').write_text(str(plain / 'epoch_1.pth'))
    _, lrs = _resume(str(plain), [])
    assert lrs == pytest.approx([0.01] * 3)

    # ... with it at 0.003, with the optimizer state of epoch 1 kept (Adam's
    # step count goes on from 3).
    runner, lrs = _resume(
        str(tmp_path), [dict(type='SetLearningRateHook', lr=0.003)])
    assert lrs == pytest.approx([0.003] * 3)
    assert runner.iter == 6
    state = runner.optim_wrapper.optimizer.state.values()
    assert [int(s['step']) for s in state] == [6, 6]


@pytest.mark.parametrize('lr', [0, -1.0, float('nan')])
def test_bad_rate(lr):
    with pytest.raises(ValueError, match='lr must be > 0'):
        SetLearningRateHook(lr)
