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


def test_paper_convs_match_across_variants():
    text = CRNNVGG(bn_after=(5, 6))
    omr = CRNNVGG(skip_convs=(4, 6), bn_after=(3, 5))
    text_convs, omr_convs = text.paper_convs(), omr.paper_convs()
    assert sorted(text_convs) == [1, 2, 3, 4, 5, 6, 7]
    assert sorted(omr_convs) == [1, 2, 3, 5, 7]
    assert [type(m) for m in omr_convs[3]] == [nn.Conv2d, nn.BatchNorm2d]
    assert [type(m) for m in text_convs[3]] == [nn.Conv2d]
    for idx, modules in omr_convs.items():
        assert modules[0].weight.shape == text_convs[idx][0].weight.shape


def test_coord_channel_gives_the_row_position():
    net = CRNNVGG(coord_channel=True)
    conv1 = net.paper_convs()[1][0]
    assert conv1.in_channels == 2
    seen = []
    conv1.register_forward_hook(lambda mod, args, out: seen.append(args[0]))
    image = torch.rand(2, 1, 32, 100)
    assert net(image).shape == (2, 512, 1, 26)
    assert seen[0][:, :1].equal(image)
    rows = seen[0][:, 1]
    assert rows[:, 0].eq(-1).all() and rows[:, -1].eq(1).all()
    assert rows[1, :, 7].diff().gt(0).all()  # rising down each column
    assert rows[0, 12].eq(rows[0, 12, 0]).all()  # constant along a row


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


def test_custom_pools_take_a_taller_input_to_height_one():
    # 64-px input: width pooled by 4 at once, height by 16 later -> the
    # frames of the same image at height 32 with the default pools.
    pools = [((2, 4), (2, 4), (0, 0)), ((2, 2), (2, 2), (0, 0)),
             ((2, 2), (2, 1), (0, 1)), ((4, 2), (4, 1), (0, 1))]
    net = CRNNVGG(skip_convs=(4, 6), pools=pools)
    out = net(torch.rand(1, 1, 64, 400))
    assert out.shape == (1, 512, 1, 51)
    assert CRNNVGG()(torch.rand(1, 1, 32, 200)).shape[-1] == out.shape[-1]
    with pytest.raises(ValueError, match='pools'):
        CRNNVGG(pools=pools[:3])
