"""Width bookkeeping of the exact padding masks."""
import pytest
import torch
import torch.nn as nn

from crnn_plugin.models.common.padding_mask import (layer_out_width,
                                                    out_widths,
                                                    supports_masking)


@pytest.mark.parametrize('layer', [
    nn.Conv2d(1, 1, 3, 1, 1), nn.Conv2d(1, 1, 2, 1, 0), nn.MaxPool2d(2, 2),
    nn.MaxPool2d((2, 2), (2, 1), (0, 1)),
    nn.MaxPool2d(3, 2, 1, ceil_mode=True),
    nn.Conv2d(1, 1, 3, 2, 1, dilation=2)
])
def test_layer_out_width(layer):
    widths = torch.arange(5, 40)
    expected = [layer(torch.zeros(1, 1, 8, int(w))).size(3) for w in widths]
    assert layer_out_width(widths, layer).tolist() == expected


def test_out_widths_and_supported_layers():
    layers = nn.Sequential(nn.Conv2d(1, 2, 3, 1, 1), nn.ReLU(),
                           nn.MaxPool2d((2, 2), (2, 1), (0, 1)))
    assert supports_masking(layers)
    assert out_widths(layers, torch.tensor([10, 7])).tolist() == [11, 8]
    assert not supports_masking(nn.Sequential(nn.Upsample(scale_factor=2)))
