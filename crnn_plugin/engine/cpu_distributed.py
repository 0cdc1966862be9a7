"""Distributed (gloo) training and testing on CPU-only machines.

MMEngine 0.10.7 assumes a GPU once a launcher is set:

* ``mmengine.dist.init_dist('pytorch', ...)`` calls
  ``torch.cuda.set_device(LOCAL_RANK)``, which raises "Found no NVIDIA
  driver" without a GPU;
* ``Runner.wrap_model`` passes ``device_ids=[LOCAL_RANK]`` to
  ``DistributedDataParallel``, which refuses ``device_ids`` for a CPU module.

:func:`init_cpu_dist` creates the gloo process group from torchrun's
environment before the runner is built (the runner skips ``init_dist`` when a
group exists), and :class:`CPUDistributedDataParallel` drops ``device_ids``
for CPU modules.
"""
import datetime
import os
from typing import Optional

import torch.distributed as torch_dist
from mmengine.model import MMDistributedDataParallel

from mmocr.registry import MODEL_WRAPPERS

__all__ = ['CPUDistributedDataParallel', 'init_cpu_dist']


@MODEL_WRAPPERS.register_module()
class CPUDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that also wraps CPU modules.

    ``device_ids`` is ignored (set to None) when the module's parameters live
    on the CPU, as ``torch.nn.parallel.DistributedDataParallel`` requires;
    otherwise it behaves exactly like ``MMDistributedDataParallel``.

    Args:
        module (nn.Module): The model to wrap.
        device_ids (list[int], optional): Devices of a single-GPU module.
            Defaults to None.
        **kwargs: Other ``MMDistributedDataParallel`` arguments.
    """

    def __init__(self, module, device_ids: Optional[list] = None, **kwargs):
        first = next(module.parameters(), None)
        if first is None or first.device.type == 'cpu':
            device_ids = None
            kwargs.pop('output_device', None)
        super().__init__(module=module, device_ids=device_ids, **kwargs)


def init_cpu_dist(launcher: str,
                  backend: str = 'gloo',
                  timeout: Optional[int] = None) -> None:
    """Create the process group of a CPU-only torchrun job.

    Args:
        launcher (str): ``'pytorch'`` (torchrun / ``tools/dist_train.sh``).
            ``'slurm'`` and ``'mpi'`` need MMEngine's GPU code path.
        backend (str): A CPU backend. Defaults to ``'gloo'``.
        timeout (int, optional): Collective timeout in seconds. Defaults to
            None (torch's default).

    Raises:
        NotImplementedError: For ``slurm``/``mpi`` launchers without CUDA.
        ValueError: For a backend that cannot run on CPU (``nccl``).
    """
    if torch_dist.is_initialized():
        return
    if launcher != 'pytorch':
        raise NotImplementedError(
            f'--launcher {launcher} needs CUDA in MMEngine 0.10.7; on a CPU '
            'machine launch with torchrun (tools/dist_train.sh, --launcher '
            'pytorch).')
    if backend not in ('gloo', 'mpi'):
        raise ValueError(f'dist backend {backend!r} cannot run on CPU; '
                         "use env_cfg.dist_cfg.backend='gloo'")
    kwargs = {}
    if timeout is not None:
        kwargs['timeout'] = datetime.timedelta(seconds=timeout)
    torch_dist.init_process_group(
        backend=backend,
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']),
        **kwargs)
