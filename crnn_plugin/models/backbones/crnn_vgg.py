"""The VGG-style convolutional layers of CRNN (paper §2.1, Table 1)."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer
from mmengine.model import BaseModule

from mmocr.registry import MODELS

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
        pools (Sequence, optional): Max-pool after stages 1-4, each
            ``(kernel, stride, padding)`` as ``(h, w)`` pairs. Defaults to
            the paper's (2x2/s2, 2x2/s2, 2x2/s(2, 1), 2x2/s(2, 1)), which
            takes a 32-px-high input to height 1. Other pools let a taller
            input keep its vertical detail through the early layers, e.g.
            for 64-px score fragments ``[((2, 4), (2, 4), (0, 0)),
            ((2, 2), (2, 2), (0, 0)), ((2, 2), (2, 1), (0, 1)),
            ((4, 2), (4, 1), (0, 1))]`` gives height 1 and the frames a
            32-px input gives.
        coord_channel (bool): Append a channel holding each pixel's row
            position (-1 at the top to 1 at the bottom) to the input, as in
            CoordConv (Liu et al. 2018), so the convs can tell where in the
            image a pattern sits (a notehead's staff line, not only its
            shape). conv1 then takes ``in_channels + 1``. Defaults to False.
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
                 pools: Optional[Sequence[Sequence[Sequence[int]]]] = None,
                 coord_channel: bool = False,
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
        if pools is None:
            pools = self.POOLS[:4]
        if len(pools) != 4 or any(len(p) != 3 for p in pools):
            raise ValueError('pools needs 4 (kernel, stride, padding) '
                             f'entries, got {pools}')
        act_cfg = act_cfg or dict(type='ReLU', inplace=True)

        self.coord_channel = coord_channel
        layers: List[nn.Module] = []
        prev = in_channels + int(coord_channel)
        for stage, pool in zip(self.STAGES, [*pools, None]):
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
        self.conv_indices = [
            idx for stage in self.STAGES for idx in stage
            if idx not in skip_convs
        ]

    def paper_convs(self) -> Dict[int, List[nn.Module]]:
        """Each remaining conv by its Table 1 index (1..7), with its
        BatchNorm when it has one: ``{5: [conv5, bn5], 7: [conv7], ...}``.

        With the paper's channels a skipped conv4 or conv6 keeps its
        input's channel count (256 -> 256, 512 -> 512), so convs of the
        same index have the same shape in the text model and in the OMR
        model without conv4 and conv6, and weights can be carried across.
        """
        convs: Dict[int, List[nn.Module]] = {}
        indices = iter(self.conv_indices)
        for layer in self.layers:
            if isinstance(layer, nn.Conv2d):
                current = convs.setdefault(next(indices), [])
                current.append(layer)
            elif isinstance(layer, nn.BatchNorm2d):
                current.append(layer)
        return convs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Extract the feature map.

        Args:
            x (Tensor): Images of shape :math:`(N, C_{in}, H, W)`, H = 32
                with the default ``pools``.

        Returns:
            Tensor: Features of shape :math:`(N, C_{out}, 1, W / 4 + 1)`.
        """
        if self.coord_channel:
            n, _, h, w = x.shape
            rows = torch.linspace(-1, 1, h, dtype=x.dtype, device=x.device)
            # (H, ) -> (N, 1, H, W)
            rows = rows.view(1, 1, h, 1).expand(n, 1, h, w)
            x = torch.cat([x, rows], dim=1)
        return self.layers(x)
