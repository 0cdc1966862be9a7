"""The CRNN recognizer: MMOCR's encoder-decoder with exact padding."""
from typing import Optional, Sequence, Tuple

import torch
from mmocr.models.textrecog.recognizers import EncoderDecoderRecognizer
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

__all__ = ['CRNNRecognizer']


@MODELS.register_module()
class CRNNRecognizer(EncoderDecoderRecognizer):
    """MMOCR's ``CRNN`` whose padded batches equal batches of one.

    MMOCR's recognizer runs the backbone on the padded batch and leaves the
    padding to the decoder's ``valid_ratio``; with a bidirectional LSTM and
    convolutions that see the padding, a narrow image then reads
    differently in a batch than alone. Here, when the images of a batch
    differ in width (``img_shape`` of each data sample), the backbone gets
    the widths (:meth:`~crnn_plugin.models.CRNNVGG.forward`: exact masks),
    each sample gets its exact ``num_frames`` and the encoder packs its
    sequences (:class:`~crnn_plugin.models.DeepBiLSTMEncoder`); the CTC
    loss and postprocessors read ``num_frames``
    (:func:`~crnn_plugin.models.valid_frames`). Training, validation,
    testing and :class:`~crnn_plugin.apis.CRNNInferenceModel` (inference,
    ONNX export) thus share one forward. A backbone without
    ``frame_lengths`` or a batch of equal widths runs MMOCR's plain
    forward. Takes the arguments of
    :class:`mmocr.models.textrecog.EncoderDecoderRecognizer`.
    """

    def _valid_widths(self, inputs: torch.Tensor,
                      data_samples: Optional[Sequence[TextRecogDataSample]]
                      ) -> Optional[torch.Tensor]:
        """Image widths before padding, or None when nothing is padded."""
        if not data_samples or self.with_preprocessor or not hasattr(
                self.backbone, 'frame_lengths'):
            return None
        if not all('img_shape' in s for s in data_samples):
            return None
        widths = [min(int(s.img_shape[1]), inputs.size(3))
                  for s in data_samples]
        if all(w == inputs.size(3) for w in widths):
            return None
        return torch.tensor(widths, device=inputs.device)

    def features(
        self,
        inputs: torch.Tensor,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Backbone and encoder outputs, padding-exact.

        Args:
            inputs (Tensor): Images of shape :math:`(N, C, H, W)`.
            data_samples (list[TextRecogDataSample], optional): Their
                samples (``img_shape``); ``num_frames`` is set on them for
                a padded batch.

        Returns:
            tuple(Tensor, Tensor or None): The feature map
            :math:`(N, C', 1, T)` and the encoder output :math:`(N, T, D)`.
        """
        widths = self._valid_widths(inputs, data_samples)
        if widths is None:
            feat = self.extract_feat(inputs)
        else:
            feat = self.backbone(inputs, widths)
            frames = self.backbone.frame_lengths(widths).clamp(
                max=feat.size(3))
            for sample, count in zip(data_samples, frames.tolist()):
                sample.set_metainfo(dict(num_frames=count))
        out_enc = self.encoder(feat, data_samples) if self.with_encoder \
            else None
        return feat, out_enc

    def loss(self, inputs: torch.Tensor,
             data_samples: Sequence[TextRecogDataSample], **kwargs) -> dict:
        """Losses of a batch (see MMOCR's ``EncoderDecoderRecognizer``)."""
        feat, out_enc = self.features(inputs, data_samples)
        return self.decoder.loss(feat, out_enc, data_samples)

    def predict(self, inputs: torch.Tensor,
                data_samples: Sequence[TextRecogDataSample],
                **kwargs) -> Sequence[TextRecogDataSample]:
        """Predictions of a batch, each as if read alone."""
        feat, out_enc = self.features(inputs, data_samples)
        return self.decoder.predict(feat, out_enc, data_samples)

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[Sequence[TextRecogDataSample]] = None,
                 **kwargs) -> torch.Tensor:
        """Raw decoder output (``mode='tensor'``)."""
        feat, out_enc = self.features(inputs, data_samples)
        return self.decoder(feat, out_enc, data_samples)
