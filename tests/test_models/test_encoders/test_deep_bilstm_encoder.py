import pytest
import torch
import torch.nn as nn
from mmocr.structures import TextRecogDataSample

from crnn_plugin.models import DeepBiLSTMEncoder


def test_bidirectional_shape_and_layers():
    enc = DeepBiLSTMEncoder(in_channels=512, hidden_size=256, num_layers=2)
    out = enc(torch.rand(3, 512, 1, 26))
    assert out.shape == (3, 26, 512)
    kinds = [type(m) for m in enc.layers]
    assert kinds == [nn.LSTM, nn.Linear, nn.LSTM]
    assert all(m.bidirectional for m in enc.layers
               if isinstance(m, nn.LSTM))


def test_unidirectional_for_omr():
    enc = DeepBiLSTMEncoder(in_channels=64, hidden_size=32,
                            bidirectional=False)
    assert enc(torch.rand(2, 64, 1, 10)).shape == (2, 10, 32)
    assert enc.out_channels == 32


def test_frames_follow_columns():
    """Map-to-sequence: frame t depends only on column t of the map."""
    enc = DeepBiLSTMEncoder(in_channels=4, hidden_size=3, num_layers=1,
                            bidirectional=False).eval()
    feat = torch.rand(1, 4, 1, 6)
    changed = feat.clone()
    changed[..., 4] += 1.0  # alter column 4 only
    a, b = enc(feat), enc(changed)
    assert torch.allclose(a[:, :4], b[:, :4])  # forward LSTM: past intact
    assert not torch.allclose(a[:, 4], b[:, 4])


def test_rejects_height_above_one():
    with pytest.raises(ValueError, match='height'):
        DeepBiLSTMEncoder(in_channels=8)(torch.rand(1, 8, 2, 5))


def test_lengths_give_each_sequence_its_single_result():
    enc = DeepBiLSTMEncoder(in_channels=8, hidden_size=4).eval()
    feat = torch.rand(3, 8, 1, 9)
    lengths = [9, 4, 6]
    with torch.no_grad():
        out = enc(feat, lengths=torch.tensor(lengths))
        for i, n in enumerate(lengths):
            ref = enc(feat[i:i + 1, ..., :n])
            assert torch.allclose(out[i:i + 1, :n], ref, atol=1e-6)
            assert out[i, n:].eq(0).all()
        # the same from the data samples' num_frames
        samples = [TextRecogDataSample(metainfo=dict(num_frames=n))
                   for n in lengths]
        assert torch.equal(enc(feat, samples), out)
        # without lengths the backward LSTM starts in the padding
        assert not torch.allclose(enc(feat)[1, :4], out[1, :4], atol=1e-4)
