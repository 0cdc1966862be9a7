"""Mixed-precision (bfloat16 autocast) training on CPU.

MMEngine 0.10.7's ``AmpOptimWrapper`` asserts that CUDA/NPU/MLU/MUSA is
available, so ``tools/train.py --amp`` cannot use it on a CPU-only machine.
MMEngine's own :func:`mmengine.runner.amp.autocast` does support CPU (with
``torch.bfloat16`` only), and bfloat16 has the exponent range of float32, so
no loss scaling is needed. :class:`CPUAmpOptimWrapper` is MMEngine's plain
``OptimWrapper`` run inside that autocast context.
"""
from contextlib import contextmanager
from typing import Iterator, Union

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmengine.runner.amp import autocast

from mmocr.registry import OPTIM_WRAPPERS

__all__ = ['CPUAmpOptimWrapper']


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """``OptimWrapper`` with CPU bfloat16 autocast in the forward pass.

    Conv, linear and LSTM layers then run in bfloat16; losses such as
    ``F.ctc_loss`` are computed in float32 by autocast itself, and
    parameters, gradients and optimizer state stay float32.

    Args:
        dtype (str or torch.dtype): Autocast dtype; CPU autocast supports
            only ``'bfloat16'``. Defaults to ``'bfloat16'``.
        **kwargs: Arguments of :class:`mmengine.optim.OptimWrapper`
            (``optimizer``, ``accumulative_counts``, ``clip_grad``).

    Example:
        >>> optim_wrapper = dict(type='CPUAmpOptimWrapper',
        ...                      optimizer=dict(type='Adadelta', lr=1.0))
    """

    def __init__(self,
                 dtype: Union[str, torch.dtype] = 'bfloat16',
                 **kwargs) -> None:
        if isinstance(dtype, str):
            dtype = getattr(torch, dtype, None)
        if dtype is not torch.bfloat16:
            raise ValueError('CPU autocast supports only bfloat16, '
                             f'got dtype={dtype}')
        super().__init__(**kwargs)
        self.cast_dtype = dtype

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """Gradient-accumulation context plus CPU bfloat16 autocast.

        Args:
            model (nn.Module): The training model.
        """
        with super().optim_context(model), autocast(
                device_type='cpu', dtype=self.cast_dtype):
            yield
