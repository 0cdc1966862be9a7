"""Map-to-sequence and the deep bidirectional LSTM of CRNN (paper §2.2)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class DeepBiLSTMEncoder(BaseModule):
    """Map-to-Sequence followed by a stack of (bi)directional LSTMs.

    Each column of the height-1 feature map becomes one frame (§2.2). Like
    the original code, every layer except the last projects its
    ``hidden_size * num_directions`` output back to ``hidden_size`` with a
    linear layer (the last layer's projection is the decoder's classifier);
    this is what makes the paper's net 8.3M parameters.

    With ``flatten_height`` the feature map may be taller than 1 and each
    column's ``C x H`` values become the frame (as in end-to-end OMR CRNNs,
    Calvo-Zaragoza & Rizo 2018): max-pooling a column to height 1 keeps
    *what* is there but blurs *where* it is vertically, which for a note
    is its pitch.

    Args:
        in_channels (int): Channels of the backbone feature map (times its
            height with ``flatten_height``). Defaults to 512.
        hidden_size (int): LSTM hidden units per direction. Defaults to 256.
        num_layers (int): Number of stacked LSTM layers. Defaults to 2.
        bidirectional (bool): Bidirectional LSTMs (text) or forward only
            (the OMR model of §3.4). Defaults to True.
        project (bool): Linear projection between layers. Defaults to True.
        flatten_height (bool): Accept a feature map of any height and
            flatten channels and rows into the frame. Defaults to False (the
            paper: height 1).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.

    Example:
        >>> enc = DeepBiLSTMEncoder()
        >>> enc(torch.rand(2, 512, 1, 26)).shape
        torch.Size([2, 26, 512])
    """

    def __init__(self,
                 in_channels: int = 512,
                 hidden_size: int = 256,
                 num_layers: int = 2,
                 bidirectional: bool = True,
                 project: bool = True,
                 flatten_height: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}')
        directions = 2 if bidirectional else 1
        self.in_channels = in_channels
        self.flatten_height = flatten_height
        self.out_channels = hidden_size * directions
        layers: List[nn.Module] = []
        prev = in_channels
        for i in range(num_layers):
            layers.append(
                nn.LSTM(prev, hidden_size, bidirectional=bidirectional))
            prev = self.out_channels
            if project and i < num_layers - 1:
                layers.append(nn.Linear(self.out_channels, hidden_size))
                prev = hidden_size
        self.layers = nn.ModuleList(layers)

    def forward(
        self,
        feat: torch.Tensor,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Turn the feature map into per-frame features.

        Args:
            feat (Tensor): Feature map of shape :math:`(N, C, 1, T)`, or
                :math:`(N, C, H, T)` with ``flatten_height``.
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: Sequence features of shape :math:`(N, T, D)` with
            ``D = hidden_size * num_directions``.
        """
        if self.flatten_height:
            if feat.size(1) * feat.size(2) != self.in_channels:
                raise ValueError(
                    f'in_channels={self.in_channels} must equal channels x '
                    f'height of the feature map, got shape '
                    f'{tuple(feat.shape)}; is the input height the one the '
                    'config was built for?')
            n, c, h, t = feat.shape
            # (N, C, H, T) -> (T, N, C, H) -> (T, N, C * H)
            x = feat.permute(3, 0, 1, 2).reshape(t, n, c * h)
        elif feat.size(2) != 1:
            raise ValueError('map-to-sequence needs a feature map of height '
                             f'1, got shape {tuple(feat.shape)}; are the '
                             'input images 32 px high?')
        else:
            x = feat.squeeze(2).permute(2, 0, 1)  # (N, C, 1, T) -> (T, N, C)
        for layer in self.layers:
            x = layer(x)[0] if isinstance(layer, nn.LSTM) else layer(x)
        return x.transpose(0, 1)  # (T, N, D) -> (N, T, D)
