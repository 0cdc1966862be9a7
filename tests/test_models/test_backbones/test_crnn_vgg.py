import pytest
import torch
import torch.nn as nn

from crnn_plugin.models import CRNNVGG


def _convs(net):
    return [m for m in net.modules() if isinstance(m, nn.Conv2d)]


def test_paper_table1_shapes():
    net = CRNNVGG()
    convs = _convs(net)
    assert [c.out_channels for c in convs] == [64, 128, 256, 256, 512, 512,
                                               512]
    assert [c.kernel_size for c in convs] == [(3, 3)] * 6 + [(2, 2)]
    assert convs[-1].padding == (0, 0)
    # 100x32 -> 26 frames of height 1 (the original code's pooling).
    assert net(torch.rand(2, 1, 32, 100)).shape == (2, 512, 1, 26)
    assert net(torch.rand(1, 1, 32, 160)).shape == (1, 512, 1, 41)


def test_batchnorm_placement():
    paper = CRNNVGG()
    bns = [m.num_features for m in paper.modules()
           if isinstance(m, nn.BatchNorm2d)]
    assert bns == [512, 512]  # after conv5 and conv6
    original = CRNNVGG(bn_after=(3, 5, 7))
    bns = [m.num_features for m in original.modules()
           if isinstance(m, nn.BatchNorm2d)]
    assert bns == [256, 512, 512]


def test_omr_variant_drops_conv4_and_conv6():
    net = CRNNVGG(skip_convs=(4, 6))
    assert [c.out_channels for c in _convs(net)] == [64, 128, 256, 512, 512]
    assert net(torch.rand(1, 1, 32, 64)).shape == (1, 512, 1, 17)


def test_options():
    net = CRNNVGG(
        in_channels=3,
        channels=(8, 8, 16, 16, 32, 32, 32),
        act_cfg=dict(type='LeakyReLU', negative_slope=0.2))
    assert any(isinstance(m, nn.LeakyReLU) for m in net.modules())
    assert net(torch.rand(1, 3, 32, 100)).shape == (1, 32, 1, 26)
    assert net.out_channels == 32


@pytest.mark.parametrize('kwargs', [
    dict(channels=(64, 128)),
    dict(skip_convs=(1, )),
    dict(skip_convs=(8, )),
])
def test_bad_config(kwargs):
    with pytest.raises(ValueError):
        CRNNVGG(**kwargs)
