"""The VGG-style convolutional layers of CRNN (paper §2.1, Table 1)."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer
from mmengine.model import BaseModule

from mmocr.registry import MODELS

from ..common.padding_mask import masked_forward, out_widths, supports_masking

# Pooling after each of the four stages of Table 1 (kernel, stride, padding).
# The paper's "1x2 window, s:2" pools (3rd and 4th) halve the height only;
# kernel 2x2 with stride (2, 1) and width padding 1 follows the original
# Torch/PyTorch code, which gives 26 frames for a 100-px-wide input.
SQUARE_POOL = ((2, 2), (2, 2), (0, 0))
TALL_POOL = ((2, 2), (2, 1), (0, 1))


@MODELS.register_module()
class CRNNVGG(BaseModule):
    """Convolutional feature extractor of CRNN, configurable per conv.

    Table 1 of Shi et al. (bottom to top) groups seven convolutions into
    five stages::

        stage 1: conv1 (64)              -> max-pool 2x2, s2
        stage 2: conv2 (128)             -> max-pool 2x2, s2
        stage 3: conv3 (256), conv4 (256) -> max-pool s(2, 1)
        stage 4: conv5 (512), conv6 (512) -> max-pool s(2, 1)
        stage 5: conv7 (512, k2, p0)

    All convs are 3x3/s1/p1 except conv7 (2x2, no padding). A 32-px-high
    input yields a feature map of height 1. Convs can be removed
    (``skip_convs``: the OMR model of §3.4 drops conv4 and conv6) and
    BatchNorm placed after any conv (paper: after conv5 and conv6; the
    original code: after conv3, conv5 and conv7).

    Args:
        in_channels (int): Input image channels. Defaults to 1 (grayscale).
        channels (Sequence[int]): Output channels of conv1..conv7.
            Defaults to (64, 128, 256, 256, 512, 512, 512).
        skip_convs (Sequence[int]): 1-based indices of convs to remove
            (conv1, conv3, conv5 and conv7 are required). Defaults to ().
        bn_after (Sequence[int]): 1-based indices of convs followed by
            BatchNorm. Defaults to (5, 6) as in the paper.
        act_cfg (dict, optional): Activation config for
            :func:`mmcv.cnn.build_activation_layer`, e.g.
            ``dict(type='LeakyReLU', negative_slope=0.2)``. Defaults to
            ``dict(type='ReLU', inplace=True)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to Kaiming init for convs and constant init for BN.

    Example:
        >>> net = CRNNVGG()
        >>> net(torch.rand(2, 1, 32, 100)).shape
        torch.Size([2, 512, 1, 26])
    """

    STAGES: Tuple[Tuple[int, ...], ...] = ((1, ), (2, ), (3, 4), (5, 6),
                                           (7, ))
    POOLS = (SQUARE_POOL, SQUARE_POOL, TALL_POOL, TALL_POOL, None)
    REQUIRED = (1, 3, 5, 7)

    def __init__(self,
                 in_channels: int = 1,
                 channels: Sequence[int] = (64, 128, 256, 256, 512, 512, 512),
                 skip_convs: Sequence[int] = (),
                 bn_after: Sequence[int] = (5, 6),
                 act_cfg: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv2d'),
                dict(type='Constant', val=1, layer='BatchNorm2d')
            ]
        super().__init__(init_cfg=init_cfg)
        if len(channels) != 7:
            raise ValueError(f'channels needs 7 entries, got {channels}')
        bad = set(skip_convs) & set(self.REQUIRED)
        if bad or not set(skip_convs) <= set(range(1, 8)):
            raise ValueError(f'skip_convs must be a subset of (2, 4, 6), '
                             f'got {tuple(skip_convs)}')
        act_cfg = act_cfg or dict(type='ReLU', inplace=True)

        layers: List[nn.Module] = []
        prev = in_channels
        for stage, pool in zip(self.STAGES, self.POOLS):
            for idx in stage:
                if idx in skip_convs:
                    continue
                kernel, pad = (2, 0) if idx == 7 else (3, 1)
                layers.append(
                    nn.Conv2d(prev, channels[idx - 1], kernel, 1, pad))
                if idx in bn_after:
                    layers.append(nn.BatchNorm2d(channels[idx - 1]))
                layers.append(build_activation_layer(act_cfg))
                prev = channels[idx - 1]
            if pool is not None:
                layers.append(
                    nn.MaxPool2d(*(tuple(part) for part in pool)))
        self.layers = nn.Sequential(*layers)
        self.out_channels = prev

    @property
    def supports_masking(self) -> bool:
        """Whether ``forward(x, widths)`` masks the padding exactly (all
        layers are convs, max-pools or pointwise)."""
        return supports_masking(self.layers)

    def frame_lengths(self, widths: torch.Tensor) -> torch.Tensor:
        """Output frames of images of the given widths.

        Args:
            widths (Tensor): Image widths, shape :math:`(N,)`.

        Returns:
            Tensor: Frames per image (at least 1), shape :math:`(N,)`.
        """
        return out_widths(self.layers, widths).clamp(min=1)

    def forward(self,
                x: torch.Tensor,
                widths: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Extract the feature map.

        Args:
            x (Tensor): Images of shape :math:`(N, C_{in}, 32, W)`, padded
                on the right when their widths differ.
            widths (Tensor, optional): Each image's width before padding,
                shape :math:`(N,)`. Given, every image gets the features
                it gets alone (:func:`masked_forward`; zero past its
                frames). Defaults to None (a plain forward).

        Returns:
            Tensor: Features of shape :math:`(N, C_{out}, 1, W / 4 + 1)`.
        """
        if widths is None or not self.supports_masking:
            return self.layers(x)
        return masked_forward(self.layers, x, widths)[0]
