"""Map-to-sequence and the deep bidirectional LSTM of CRNN (paper §2.2)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
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

    Args:
        in_channels (int): Channels of the backbone feature map.
            Defaults to 512.
        hidden_size (int): LSTM hidden units per direction. Defaults to 256.
        num_layers (int): Number of stacked LSTM layers. Defaults to 2.
        bidirectional (bool): Bidirectional LSTMs (text) or forward only
            (the OMR model of §3.4). Defaults to True.
        project (bool): Linear projection between layers. Defaults to True.
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
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}')
        directions = 2 if bidirectional else 1
        self.in_channels = in_channels
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
        data_samples: Optional[Sequence[TextRecogDataSample]] = None,
        lengths: Optional[torch.Tensor] = None
    ) -> torch.Tensor:
        """Turn the feature map into per-frame features.

        With frame counts (``lengths``, or ``num_frames`` in every data
        sample, set by :class:`~crnn_plugin.models.CRNNRecognizer` for a
        padded batch) the LSTMs run on packed sequences: the backward
        direction starts at each image's last frame, not at the batch's, so
        every image gets its single-image result; frames past its end are
        zero.

        Args:
            feat (Tensor): Feature map of shape :math:`(N, C, 1, T)`.
            data_samples (list[TextRecogDataSample], optional): May carry
                ``num_frames``.
            lengths (Tensor, optional): Frames per image, shape
                :math:`(N,)`. Defaults to None.

        Returns:
            Tensor: Sequence features of shape :math:`(N, T, D)` with
            ``D = hidden_size * num_directions``.
        """
        if lengths is None and data_samples and all(
                'num_frames' in s for s in data_samples):
            lengths = torch.tensor([s.num_frames for s in data_samples])
        if feat.size(2) != 1:
            raise ValueError('map-to-sequence needs a feature map of height '
                             f'1, got shape {tuple(feat.shape)}; are the '
                             'input images 32 px high?')
        total = feat.size(3)
        x = feat.squeeze(2).permute(2, 0, 1)  # (N, C, 1, T) -> (T, N, C)
        for layer in self.layers:
            if not isinstance(layer, nn.LSTM):
                x = layer(x)
            elif lengths is None:
                x = layer(x)[0]
            else:
                packed = pack_padded_sequence(
                    x, lengths.cpu(), enforce_sorted=False)
                x, _ = pad_packed_sequence(layer(packed)[0],
                                           total_length=total)  # (T, N, D)
        return x.transpose(0, 1)  # (T, N, D) -> (N, T, D)
