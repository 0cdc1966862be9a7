"""The recognizer's test-time forward for batches of padded images.

A batch of word images of different widths is padded on the right. A plain
forward pass then differs from running each image alone in two places:

1. convolutions near an image's right edge see padding pixels instead of
   their zero padding, and max-pooling windows that stick out of the image
   see padding instead of ``-inf``;
2. the backward LSTM of a bidirectional layer starts at the end of the
   padded sequence, so every frame's state depends on the padding frames.

:class:`CRNNInferenceModel` removes both: it tracks each image's valid width
through every layer of a sequential backbone (such as
:class:`~crnn_plugin.models.CRNNVGG`) and fills the columns beyond it with
the value the single-image forward would see there (``0`` before a
convolution, ``-inf`` before a max-pool), and it runs the LSTMs of
:class:`~crnn_plugin.models.DeepBiLSTMEncoder` on packed sequences (ONNX:
``sequence_lens``). Each image's probabilities then equal those of a batch
of one (up to float rounding), and the per-image frame counts are returned
so decoding never looks at padding frames.

Other backbones/encoders run unmasked (MMOCR's convention: pad with 0 and
decode with the valid ratio).
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from crnn_plugin.models.encoders import DeepBiLSTMEncoder

__all__ = ['CRNNInferenceModel', 'layer_out_width']

# Layers that act on each column independently (after the valid width is
# known) and therefore need no masking of their own.
_POINTWISE = (nn.BatchNorm2d, nn.ReLU, nn.LeakyReLU, nn.ReLU6, nn.PReLU,
              nn.ELU, nn.GELU, nn.SiLU, nn.Hardswish, nn.Tanh, nn.Sigmoid,
              nn.Identity, nn.Dropout)
# Activations whose outputs are never negative: a max-pool after them can
# take 0 instead of -inf for the columns past the image (same maximum).
_NON_NEGATIVE = (nn.ReLU, nn.ReLU6, nn.Sigmoid)


def _as_int(value, index: int = 1) -> int:
    """Pick the width entry of an int-or-pair layer parameter."""
    return value[index] if isinstance(value, (tuple, list)) else value


def layer_out_width(widths: torch.Tensor, layer: nn.Module) -> torch.Tensor:
    """Output width of a Conv2d/MaxPool2d layer for the given input widths.

    Args:
        widths (Tensor): Integer widths, shape :math:`(N,)`.
        layer (nn.Module): A :class:`nn.Conv2d` or :class:`nn.MaxPool2d`.

    Returns:
        Tensor: ``floor((w + 2p - d(k - 1) - 1) / s) + 1`` (``ceil`` for
        pools with ``ceil_mode``), shape :math:`(N,)`.
    """
    kernel = _as_int(layer.kernel_size)
    stride = _as_int(layer.stride)
    padding = _as_int(layer.padding)
    dilation = _as_int(layer.dilation)
    span = widths + 2 * padding - dilation * (kernel - 1) - 1
    if getattr(layer, 'ceil_mode', False):
        return torch.div(span + stride - 1, stride, rounding_mode='floor') + 1
    return torch.div(span, stride, rounding_mode='floor') + 1


def _reach(layer: nn.Module) -> int:
    """Columns past the input's end that the layer's valid outputs read.

    A valid output column (one that exists for the unpadded input) of a
    layer with padding ``p`` reads at most ``p`` columns beyond the input's
    last column (one stride more with ``ceil_mode``): exactly the columns
    the single-image forward pads with zeros (conv) or ``-inf`` (max-pool).
    """
    reach = _as_int(layer.padding)
    if getattr(layer, 'ceil_mode', False):
        reach += _as_int(layer.stride)
    return reach


def _fill_after(x: torch.Tensor, widths: torch.Tensor, count: int,
                value: float) -> torch.Tensor:
    """Set ``count`` columns starting at each sample's width to ``value``.

    Columns that lie beyond the tensor are skipped. Only these columns are
    written (in place), so the cost is independent of the padding amount.

    Args:
        x (Tensor): Feature map of shape :math:`(N, C, H, W)`.
        widths (Tensor): Valid widths, shape :math:`(N,)`.
        count (int): Number of columns to set.
        value (float): Fill value.

    Returns:
        Tensor: ``x`` (modified in place).
    """
    n, c, h, total = x.shape
    for offset in range(count):
        cols = widths + offset  # (N,)
        inside = (cols < total).view(-1, 1, 1, 1)  # column exists
        index = cols.clamp(max=total - 1).view(-1, 1, 1, 1).expand(
            n, c, h, 1)  # (N, C, H, 1)
        # Samples whose column lies beyond the tensor keep their values.
        src = torch.where(inside, torch.full_like(x[..., :1], value),
                          x.gather(3, index))  # (N, C, H, 1)
        x = x.scatter_(3, index, src)
    return x


def _fill_beyond(x: torch.Tensor, widths: torch.Tensor,
                 value: float) -> torch.Tensor:
    """Set all columns at and beyond each sample's width to ``value``."""
    cols = torch.arange(x.size(3), device=x.device)
    outside = cols[None, :] >= widths[:, None]  # (N, W)
    return x.masked_fill(outside[:, None, None, :], value)  # (N, C, H, W)


class CRNNInferenceModel(nn.Module):
    """Images and their valid widths -> per-frame probabilities and lengths.

    Args:
        recognizer (nn.Module): A built MMOCR ``EncoderDecoderRecognizer``
            (e.g. MMOCR's ``CRNN`` from our configs) in eval mode. Its
            ``backbone``, ``encoder`` (optional) and ``decoder`` modules are
            shared, not copied.
        handle_padding (bool): Mask padding and pack sequences. False gives
            a plain forward, correct only for batches of equal widths
            (about 13% faster in ONNX Runtime; PyTorch takes this path by
            itself for such batches). Defaults to True.

    Example:
        >>> import torch
        >>> from mmocr.registry import MODELS
        >>> model = CRNNInferenceModel(recognizer).eval()  # doctest: +SKIP
        >>> probs, lengths = model(torch.zeros(2, 1, 32, 160),
        ...                        torch.tensor([160, 100]))  # doctest: +SKIP
        >>> probs.shape, lengths.tolist()  # doctest: +SKIP
        (torch.Size([2, 41, 37]), [41, 26])
    """

    def __init__(self,
                 recognizer: nn.Module,
                 handle_padding: bool = True) -> None:
        super().__init__()
        self.handle_padding = handle_padding
        self.backbone = recognizer.backbone
        self.encoder = recognizer.encoder if getattr(
            recognizer, 'with_encoder', False) else None
        self.decoder = recognizer.decoder
        layers = getattr(self.backbone, 'layers', None)
        self.masked_backbone = isinstance(layers, nn.Sequential) and all(
            isinstance(m, (nn.Conv2d, nn.MaxPool2d) + _POINTWISE)
            for m in layers)
        self.packed_encoder = isinstance(self.encoder, DeepBiLSTMEncoder)

    @property
    def exact(self) -> bool:
        """Whether padded batches give the same result as single images."""
        return self.masked_backbone and (self.encoder is None
                                         or self.packed_encoder)

    def _backbone(self, x: torch.Tensor, widths: torch.Tensor,
                  masked: bool) -> Tuple[torch.Tensor, torch.Tensor]:
        """Run the backbone, masking what lies beyond each valid width."""
        if not masked:
            feat = self.backbone(x)
            for layer in self.backbone.layers:
                if isinstance(layer, (nn.Conv2d, nn.MaxPool2d)):
                    widths = layer_out_width(widths, layer)
            return feat, widths.clamp(1, feat.size(3))
        if not self.masked_backbone:
            feat = self.backbone(x)
            # Valid frames from the valid ratio, as MMOCR decodes them.
            frames = torch.ceil(widths.to(torch.float32) / x.size(3) *
                                feat.size(3)).to(torch.int64)
            return feat, frames.clamp(1, feat.size(3))
        non_negative = False
        for layer in self.backbone.layers:
            if isinstance(layer, nn.Conv2d):
                x = layer(_fill_after(x, widths, _reach(layer), 0.))
                widths = layer_out_width(widths, layer)
                non_negative = False
            elif isinstance(layer, nn.MaxPool2d):
                # -inf as the single-image forward pads; 0 is the same
                # after ReLU and keeps the garbage columns finite (-inf
                # would reach convs as NaN and spoil int8 calibration).
                fill = 0. if non_negative else float('-inf')
                x = layer(_fill_after(x, widths, _reach(layer), fill))
                widths = layer_out_width(widths, layer)
                if not non_negative:  # pooled -inf columns -> 0
                    x = _fill_after(x, widths, _reach(layer) + 2, 0.)
            else:
                x = layer(x)
                if isinstance(layer, _NON_NEGATIVE):
                    non_negative = True
                elif not isinstance(layer, (nn.Identity, nn.Dropout)):
                    non_negative = False
        # Columns past a sample's end hold garbage (or -inf): zero them.
        return _fill_beyond(x, widths, 0.), widths.clamp(min=1)

    def _encoder(self, feat: torch.Tensor, lengths: torch.Tensor,
                 masked: bool) -> Optional[torch.Tensor]:
        """Run the encoder; LSTMs of DeepBiLSTMEncoder on packed input."""
        if self.encoder is None:
            return None
        if not (masked and self.packed_encoder):
            return self.encoder(feat)
        if feat.size(2) != 1:
            raise ValueError('map-to-sequence needs a feature map of height '
                             f'1, got shape {tuple(feat.shape)}; are the '
                             'input images 32 px high?')
        total = feat.size(3)
        x = feat.squeeze(2).permute(2, 0, 1)  # (N, C, 1, T) -> (T, N, C)
        for layer in self.encoder.layers:
            if isinstance(layer, nn.LSTM):
                packed = pack_padded_sequence(
                    x, lengths.cpu(), enforce_sorted=False)
                x, _ = pad_packed_sequence(layer(packed)[0],
                                           total_length=total)  # (T, N, D)
            else:
                x = layer(x)
        return x.transpose(0, 1)  # (T, N, D) -> (N, T, D)

    def forward(self, images: torch.Tensor,
                widths: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Compute per-frame label probabilities.

        Args:
            images (Tensor): Normalised images padded on the right, shape
                :math:`(N, C, 32, W)`.
            widths (Tensor): Each image's width before padding (int64),
                shape :math:`(N,)`.

        Returns:
            tuple(Tensor, Tensor): Softmax probabilities of shape
            :math:`(N, T, K)` and each image's number of valid frames,
            shape :math:`(N,)` (int64).
        """
        masked = self.handle_padding
        if masked and not (torch.jit.is_tracing()
                           or torch.onnx.is_in_onnx_export()):
            # Eager mode: a batch of equal widths needs no masking.
            masked = not bool((widths == images.size(3)).all())
        if not masked and not self.masked_backbone:
            masked = True  # unknown layers: frames from the valid ratio
        feat, lengths = self._backbone(images, widths, masked)
        out_enc = self._encoder(feat, lengths, masked)
        probs = self.decoder.forward_test(feat, out_enc)  # (N, T, K)
        return probs, lengths

    @property
    def backbone_in_channels(self) -> int:
        """Input channels of the backbone's first convolution."""
        for module in self.backbone.modules():
            if isinstance(module, nn.Conv2d):
                return module.in_channels
        return 1
