"""A hook that sets the learning rate when training starts, after a resume.

MMEngine's resume restores the optimizer state together with the learning
rate it was saved with (``param_groups[i]['lr']``), so a config's
``optim_wrapper.optimizer.lr`` has no effect on a resumed run (and the
schedulers are restored from the checkpoint too). Lowering the step size
late in a run (annealing after the paper's constant ADADELTA step) therefore
needs the value set after the checkpoint is loaded:
:class:`SetLearningRateHook` does that in ``before_train``, which MMEngine
calls after ``load_or_resume``.
"""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.optim import OptimWrapperDict

from mmocr.registry import HOOKS

__all__ = ['SetLearningRateHook']


@HOOKS.register_module()
class SetLearningRateHook(Hook):
    """Set every parameter group's learning rate before the first iteration.

    Keeps the rest of the resumed optimizer state (ADADELTA's running
    averages, Adam's moments). Meant for a constant schedule (the paper's
    ``ConstantLR(factor=1.0)`` keeps the value); other schedulers change it
    from there on their own terms.

    Args:
        lr (float): The learning rate to set (> 0).
    """

    priority = 'VERY_HIGH'

    def __init__(self, lr: float) -> None:
        if not lr > 0:
            raise ValueError(f'lr must be > 0, got {lr}')
        self.lr = float(lr)

    def before_train(self, runner) -> None:
        """Overwrite ``lr`` (and ``initial_lr``, which schedulers read) of
        every parameter group."""
        wrappers = (
            runner.optim_wrapper.values() if isinstance(
                runner.optim_wrapper, OptimWrapperDict) else
            [runner.optim_wrapper])
        old: Optional[float] = None
        for wrapper in wrappers:
            for group in wrapper.param_groups:
                old = group['lr'] if old is None else old
                group['lr'] = self.lr
                if 'initial_lr' in group:
                    group['initial_lr'] = self.lr
        print_log(f'Learning rate set to {self.lr:g} (was {old:g})',
                  logger='current')
