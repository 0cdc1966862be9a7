"""A minimal MMEngine runner (linear model, 12 samples) for the engine and
checkpoint tests.

Follows the toy model/dataset pattern of MMEngine's own runner tests, so
checkpoint tests exercise MMEngine's real checkpoint content (message hub
with HistoryBuffers, numpy values, optimizer and scheduler state) in well
under a second.
"""
import uuid

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset


class ToyModel(BaseModel):
    """``y = Wx + b`` trained with a squared error."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        inputs = torch.stack(inputs)  # (N, 2)
        out = self.linear(inputs)  # (N, 1)
        if mode == 'loss':
            target = torch.stack(data_samples)  # (N, 1)
            return dict(loss=(out - target).pow(2).mean())
        return out


class ToyDataset(Dataset):
    """12 fixed samples ``(x, y)``."""
    METAINFO = dict()
    data = torch.linspace(-1, 1, 24).reshape(12, 2)
    label = data.sum(1, keepdim=True)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index):
        return dict(inputs=self.data[index], data_samples=self.label[index])


def build_runner(work_dir: str,
                 checkpoint: dict,
                 max_epochs: int = 3,
                 **kwargs) -> Runner:
    """A runner with 3 iterations per epoch and the given checkpoint hook.

    Args:
        work_dir (str): Work directory.
        checkpoint (dict): ``default_hooks.checkpoint`` config.
        max_epochs (int): Training epochs. Defaults to 3.
        **kwargs: More ``Runner`` arguments (e.g. ``resume=True``).
    """
    return Runner(
        model=ToyModel(),
        work_dir=work_dir,
        train_dataloader=dict(
            dataset=ToyDataset(),
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_size=4,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=0.01)),
        param_scheduler=dict(type='MultiStepLR', milestones=[2]),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        default_hooks=dict(checkpoint=checkpoint),
        default_scope='mmocr',
        experiment_name=f'runner_test_{uuid.uuid4().hex[:12]}',
        **kwargs)
