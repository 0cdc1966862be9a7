import pytest
import torch
from mmengine.structures import LabelData

from crnn_plugin.models import CTCDecoder
from mmocr.structures import TextRecogDataSample

DICT = dict(type='CharsetDictionary', charset='lower_digits')


def _decoder():
    return CTCDecoder(
        in_channels=16,
        dictionary=DICT,
        module_loss=dict(type='CRNNCTCLoss'),
        postprocessor=dict(type='GreedyCTCPostProcessor'))


def test_train_logits_and_test_probs():
    dec = _decoder()
    out_enc = torch.rand(2, 7, 16)
    assert dec.forward_train(None, out_enc).shape == (2, 7, 37)
    probs = dec.eval()(None, out_enc)
    assert torch.allclose(probs.sum(-1), torch.ones(2, 7))


def test_without_encoder_maps_feature_columns():
    dec = _decoder()
    assert dec.forward_train(torch.rand(2, 16, 1, 9)).shape == (2, 9, 37)
    with pytest.raises(ValueError, match='height'):
        dec.forward_train(torch.rand(2, 16, 2, 9))


def test_loss_and_predict():
    dec = _decoder()
    s = TextRecogDataSample()
    s.gt_text = LabelData(item='ab')
    losses = dec.train().loss(None, torch.rand(1, 7, 16), [s])
    assert torch.isfinite(losses['loss_ctc'])
    s = dec.eval().predict(None, torch.rand(1, 7, 16), [s])[0]
    assert isinstance(s.pred_text.item, str)


def test_needs_blank():
    with pytest.raises(ValueError, match='with_padding'):
        CTCDecoder(dictionary=dict(type='CharsetDictionary',
                                   with_padding=False))
