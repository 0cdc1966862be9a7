"""Exact padding masks for a sequential conv/pool stack.

A batch of images of different widths is padded on the right. A plain
forward then differs from running each image alone: convolutions near an
image's right edge see padding pixels instead of their zero padding, and
max-pooling windows that stick out of the image see padding instead of
``-inf``. :func:`masked_forward` tracks each image's valid width through
every layer and fills the columns beyond it with the value the
single-image forward would see there (``0`` before a convolution, ``-inf``
before a max-pool), so each image gets its single-image features (up to
float rounding).
"""
from typing import Tuple

import torch
import torch.nn as nn

__all__ = [
    'POINTWISE', 'NON_NEGATIVE', 'layer_out_width', 'layer_reach',
    'fill_after', 'fill_beyond', 'supports_masking', 'out_widths',
    'masked_forward'
]

#: Layers that act on each column independently and need no mask.
POINTWISE = (nn.BatchNorm2d, nn.ReLU, nn.LeakyReLU, nn.ReLU6, nn.PReLU,
             nn.ELU, nn.GELU, nn.SiLU, nn.Hardswish, nn.Tanh, nn.Sigmoid,
             nn.Identity, nn.Dropout)
#: Activations whose outputs are never negative: a max-pool after them can
#: take 0 instead of -inf for the columns past the image (same maximum).
NON_NEGATIVE = (nn.ReLU, nn.ReLU6, nn.Sigmoid)


def _width_part(value, index: int = 1) -> int:
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
    kernel = _width_part(layer.kernel_size)
    stride = _width_part(layer.stride)
    padding = _width_part(layer.padding)
    dilation = _width_part(layer.dilation)
    span = widths + 2 * padding - dilation * (kernel - 1) - 1
    if getattr(layer, 'ceil_mode', False):
        return torch.div(span + stride - 1, stride, rounding_mode='floor') + 1
    return torch.div(span, stride, rounding_mode='floor') + 1


def layer_reach(layer: nn.Module) -> int:
    """Columns past the input's end that the layer's valid outputs read.

    A valid output column of a layer with padding ``p`` reads at most ``p``
    columns beyond the input's last column (one stride more with
    ``ceil_mode``): exactly the columns the single-image forward pads with
    zeros (conv) or ``-inf`` (max-pool).
    """
    reach = _width_part(layer.padding)
    if getattr(layer, 'ceil_mode', False):
        reach += _width_part(layer.stride)
    return reach


def fill_after(x: torch.Tensor, widths: torch.Tensor, count: int,
               value: float) -> torch.Tensor:
    """Set ``count`` columns starting at each sample's width to ``value``.

    Columns that lie beyond the tensor are skipped. Only these columns are
    written, so the cost does not grow with the padding; in place unless
    autograd needs the input (training).

    Args:
        x (Tensor): Feature map of shape :math:`(N, C, H, W)`.
        widths (Tensor): Valid widths, shape :math:`(N,)`.
        count (int): Number of columns to set.
        value (float): Fill value.

    Returns:
        Tensor: ``x`` with the columns set, shape :math:`(N, C, H, W)`.
    """
    n, c, h, total = x.shape
    inplace = not (torch.is_grad_enabled() and x.requires_grad)
    for offset in range(count):
        cols = widths + offset  # (N,)
        inside = (cols < total).view(-1, 1, 1, 1)  # column exists
        index = cols.clamp(max=total - 1).view(-1, 1, 1, 1).expand(
            n, c, h, 1)  # (N, C, H, 1)
        # Samples whose column lies beyond the tensor keep their values.
        src = torch.where(inside, torch.full_like(x[..., :1], value),
                          x.gather(3, index))  # (N, C, H, 1)
        x = x.scatter_(3, index, src) if inplace else x.scatter(
            3, index, src)
    return x


def fill_beyond(x: torch.Tensor, widths: torch.Tensor,
                value: float) -> torch.Tensor:
    """Set all columns at and beyond each sample's width to ``value``.

    Args:
        x (Tensor): Feature map of shape :math:`(N, C, H, W)`.
        widths (Tensor): Valid widths, shape :math:`(N,)`.
        value (float): Fill value.

    Returns:
        Tensor: Shape :math:`(N, C, H, W)`.
    """
    cols = torch.arange(x.size(3), device=x.device)
    outside = cols[None, :] >= widths[:, None]  # (N, W)
    return x.masked_fill(outside[:, None, None, :], value)


def supports_masking(layers: nn.Sequential) -> bool:
    """Whether :func:`masked_forward` handles every layer of ``layers``."""
    return all(
        isinstance(m, (nn.Conv2d, nn.MaxPool2d) + POINTWISE) for m in layers)


def out_widths(layers: nn.Sequential, widths: torch.Tensor) -> torch.Tensor:
    """Valid output widths of ``layers`` for valid input widths.

    Args:
        layers (nn.Sequential): Convs, max-pools and pointwise layers.
        widths (Tensor): Valid input widths, shape :math:`(N,)`.

    Returns:
        Tensor: Shape :math:`(N,)`.
    """
    for layer in layers:
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d)):
            widths = layer_out_width(widths, layer)
    return widths


def masked_forward(layers: nn.Sequential, x: torch.Tensor,
                   widths: torch.Tensor
                   ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Run ``layers`` so each image gets its single-image result.

    Args:
        layers (nn.Sequential): Layers for which :func:`supports_masking`.
        x (Tensor): Images padded on the right, shape :math:`(N, C, H, W)`.
        widths (Tensor): Each image's width before padding, shape
            :math:`(N,)`.

    Returns:
        tuple(Tensor, Tensor): The feature map :math:`(N, C', H', W')`,
        zero past each image's valid width, and those widths :math:`(N,)`.
    """
    non_negative = False
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            x = layer(fill_after(x, widths, layer_reach(layer), 0.))
            widths = layer_out_width(widths, layer)
            non_negative = False
        elif isinstance(layer, nn.MaxPool2d):
            # -inf as the single-image forward pads; 0 is the same after
            # ReLU and keeps the garbage columns finite (-inf would reach
            # convs as NaN and spoil int8 calibration).
            fill = 0. if non_negative else float('-inf')
            x = layer(fill_after(x, widths, layer_reach(layer), fill))
            widths = layer_out_width(widths, layer)
            if not non_negative:  # pooled -inf columns -> 0
                x = fill_after(x, widths, layer_reach(layer) + 2, 0.)
        else:
            x = layer(x)
            if isinstance(layer, NON_NEGATIVE):
                non_negative = True
            elif not isinstance(layer, (nn.Identity, nn.Dropout)):
                non_negative = False
    # Columns past a sample's end hold garbage (or -inf): zero them.
    return fill_beyond(x, widths, 0.), widths
