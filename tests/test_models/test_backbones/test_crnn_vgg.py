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


def test_widths_give_each_image_its_single_image_features():
    net = CRNNVGG(skip_convs=(4, 6), bn_after=(5, )).eval()
    widths = [100, 37, 163]
    torch.manual_seed(0)
    batch = torch.rand(3, 1, 32, 163) * 2 - 1
    lengths = net.frame_lengths(torch.tensor(widths))
    with torch.no_grad():
        feat = net(batch, torch.tensor(widths))
        plain = net(batch)
        for i, w in enumerate(widths):
            ref = net(batch[i:i + 1, :, :, :w])
            assert ref.size(3) == lengths[i]
            assert torch.allclose(feat[i:i + 1, ..., :lengths[i]], ref,
                                  atol=1e-6)
            assert feat[i, ..., lengths[i]:].eq(0).all()
        # the padding reaches the last frames of the plain forward
        assert not torch.allclose(plain[1:2, ..., :lengths[1]],
                                  net(batch[1:2, :, :, :37]), atol=1e-4)


def test_masked_forward_trains():
    net = CRNNVGG(channels=(4, 4, 8, 8, 8, 8, 8))
    out = net(torch.rand(2, 1, 32, 60), torch.tensor([60, 41]))
    out.sum().backward()  # no in-place change of a saved activation
    assert all(p.grad is not None for p in net.parameters())
