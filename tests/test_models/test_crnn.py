"""The assembled paper model, built from configs/_base_/models."""
import os.path as osp

import torch
from mmengine import Config
from mmengine.structures import LabelData

from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))


def _paper_model():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'models', 'crnn_mini-vgg.py'))
    return MODELS.build(cfg.model)


def test_paper_parameter_count_is_8_3m():
    n = sum(p.numel() for p in _paper_model().parameters())
    # Paper §3.2: 8.3M parameters (±1%).
    assert abs(n - 8.3e6) / 8.3e6 < 0.01, n


def test_forward_loss_predict():
    model = _paper_model()
    samples = []
    for text in ['Hello', 'crnn']:
        s = TextRecogDataSample()
        s.gt_text = LabelData(item=text)
        s.set_metainfo(dict(valid_ratio=1.0))
        samples.append(s)
    x = torch.rand(2, 1, 32, 100)
    logits = model(x, samples, mode='tensor')
    assert logits.shape == (2, 26, 37)
    losses = model(x, samples, mode='loss')
    assert torch.isfinite(losses['loss_ctc'])
    model.eval()
    with torch.no_grad():
        preds = model(torch.rand(2, 1, 32, 140), samples, mode='predict')
    assert all(isinstance(p.pred_text.item, str) for p in preds)
