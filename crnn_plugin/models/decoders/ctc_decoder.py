"""The per-frame classifier in front of the CTC transcription layer."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn

from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.decoders.base import BaseDecoder
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class CTCDecoder(BaseDecoder):
    """Linear classifier from frame features to the dictionary (paper §2.3).

    It produces the per-frame label distributions ``y`` that the
    transcription layer (CTC loss in training, a postprocessor at test time)
    consumes. The number of classes includes the CTC blank, which is the
    dictionary's padding token.

    Args:
        in_channels (int): Feature size ``D`` of each frame. Defaults to 512.
        dictionary (dict or :obj:`Dictionary`): The dictionary config or
            instance (must have ``with_padding=True``: blank).
        module_loss (dict, optional): Loss config, e.g.
            ``dict(type='CRNNCTCLoss')``. Defaults to None.
        postprocessor (dict, optional): Postprocessor config, e.g.
            ``dict(type='GreedyCTCPostProcessor')``. Defaults to None.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 512,
                 dictionary: Union[Dictionary, Dict, None] = None,
                 module_loss: Optional[Dict] = None,
                 postprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None,
                 **kwargs) -> None:
        if dictionary is None:
            raise ValueError('CTCDecoder needs a dictionary')
        super().__init__(
            dictionary=dictionary,
            module_loss=module_loss,
            postprocessor=postprocessor,
            init_cfg=init_cfg,
            **kwargs)
        if self.dictionary.padding_idx is None:
            raise ValueError('the CTC blank is the dictionary padding token: '
                             'build the dictionary with with_padding=True')
        self.classifier = nn.Linear(in_channels, self.dictionary.num_classes)

    @staticmethod
    def _as_sequence(feat: torch.Tensor,
                     out_enc: Optional[torch.Tensor]) -> torch.Tensor:
        """Return frame features (N, T, D) from the encoder or backbone."""
        if out_enc is not None:
            return out_enc
        if feat.size(2) != 1:
            raise ValueError('feature map height must be 1, got shape '
                             f'{tuple(feat.shape)}')
        return feat.squeeze(2).transpose(1, 2)  # (N, C, 1, T) -> (N, T, C)

    def forward_train(
        self,
        feat: Optional[torch.Tensor] = None,
        out_enc: Optional[torch.Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Compute raw per-frame logits.

        Args:
            feat (Tensor, optional): Backbone features :math:`(N, C, 1, T)`,
                used when there is no encoder.
            out_enc (Tensor, optional): Encoder output :math:`(N, T, D)`.
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: Logits of shape :math:`(N, T, K)`, ``K = num_classes``.
        """
        return self.classifier(self._as_sequence(feat, out_enc))

    def forward_test(
        self,
        feat: Optional[torch.Tensor] = None,
        out_enc: Optional[torch.Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> torch.Tensor:
        """Compute per-frame probabilities.

        Args:
            feat (Tensor, optional): Backbone features :math:`(N, C, 1, T)`.
            out_enc (Tensor, optional): Encoder output :math:`(N, T, D)`.
            data_samples (list[TextRecogDataSample], optional): Unused.

        Returns:
            Tensor: Softmax probabilities of shape :math:`(N, T, K)`.
        """
        logits = self.forward_train(feat, out_enc, data_samples)
        return logits.float().softmax(dim=-1)
