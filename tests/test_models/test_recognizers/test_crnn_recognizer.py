"""CRNNRecognizer: a padded batch gives each image its single-image result
in the loss, the predictions and the raw outputs."""
import os.path as osp

import pytest
import torch
from mmengine import Config
from mmengine.structures import LabelData

from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(__file__))))
WIDTHS = [100, 61, 163, 130]
TEXTS = ['ab', 'c', 'hello', 'x1']


@pytest.fixture(scope='module')
def model():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'models', 'crnn_mini-vgg.py'))
    cfg.model.backbone.channels = [4, 4, 8, 8, 8, 8, 8]
    cfg.model.encoder.update(in_channels=8, hidden_size=8)
    cfg.model.decoder.in_channels = 16
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    assert type(model).__name__ == 'CRNNRecognizer'
    return model


def batch(model, indices):
    """Images of WIDTHS through the data preprocessor (pads, sets
    valid_ratio), as the runner feeds them."""
    gen = torch.Generator().manual_seed(1)
    images = [torch.randint(0, 256, (1, 32, w), generator=gen,
                            dtype=torch.uint8) for w in WIDTHS]
    samples = []
    for i in indices:
        sample = TextRecogDataSample(metainfo=dict(
            img_shape=(32, WIDTHS[i]), valid_ratio=1.0))
        sample.gt_text = LabelData(item=TEXTS[i])
        samples.append(sample)
    data = model.data_preprocessor(
        dict(inputs=[images[i] for i in indices], data_samples=samples))
    return data['inputs'], data['data_samples']


def test_predictions_equal_single_images(model):
    with torch.no_grad():
        preds = model.predict(*batch(model, range(4)))
        for i, pred in enumerate(preds):
            ref = model.predict(*batch(model, [i]))[0]
            assert pred.pred_text.item == ref.pred_text.item
            assert pred.pred_text.score == pytest.approx(
                ref.pred_text.score, abs=1e-5)
            assert pred.num_frames == WIDTHS[i] // 4 + 1


def test_raw_outputs_equal_single_images(model):
    with torch.no_grad():
        out = model(*batch(model, range(4)), mode='tensor')  # (N, T, K)
        for i in range(4):
            ref = model(*batch(model, [i]), mode='tensor')[0]
            assert torch.allclose(out[i, :ref.size(0)], ref, atol=1e-5)


def test_loss_equals_the_mean_of_single_image_losses(model):
    model.train()
    for module in model.modules():  # BatchNorm statistics fixed
        if isinstance(module, torch.nn.BatchNorm2d):
            module.eval()
    try:
        with torch.no_grad():
            losses = [model.loss(*batch(model, [i]))['loss_ctc']
                      for i in range(4)]
            loss = model.loss(*batch(model, range(4)))['loss_ctc']
    finally:
        model.eval()
    assert float(loss) == pytest.approx(float(torch.stack(losses).mean()),
                                        rel=1e-5)


def test_equal_widths_run_the_plain_forward(model):
    inputs, samples = batch(model, [0])
    with torch.no_grad():
        model.predict(inputs, samples)
    assert 'num_frames' not in samples[0]  # nothing padded, nothing set
