import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import LabelData

from crnn_plugin.models import CRNNCTCLoss
from mmocr.structures import TextRecogDataSample

DICT = dict(type='CharsetDictionary', charset='lower_digits')


def _samples(texts):
    out = []
    for t in texts:
        s = TextRecogDataSample()
        s.gt_text = LabelData(item=t)
        out.append(s)
    return out


def _loss(texts, T=6, **kwargs):
    loss = CRNNCTCLoss(dictionary=DICT, letter_case='lower', **kwargs)
    logits = torch.randn(len(texts), T, 37, requires_grad=True)
    samples = loss.get_targets(_samples(texts))
    return loss, logits, samples, loss(logits, samples)


def test_matches_torch_ctc_on_alignable_batch():
    loss, logits, samples, out = _loss(['ab', 'Cat'], reduction='sum')
    targets = torch.tensor([10, 11, 12, 10, 29])
    ref = F.ctc_loss(logits.log_softmax(-1).transpose(0, 1), targets,
                     torch.tensor([6, 6]), torch.tensor([2, 3]), blank=36,
                     reduction='sum')
    assert torch.allclose(out['loss_ctc'], ref)
    assert out['skipped_samples'].item() == 0


def test_repeated_characters_need_blank_frames():
    # 'aaa' needs 5 frames: fits in 6; 'aaaa' needs 7: skipped.
    loss, logits, samples, out = _loss(['aaa', 'aaaa'], T=6)
    assert out['skipped_samples'].item() == 1
    assert torch.isfinite(out['loss_ctc'])
    assert loss.total_skipped == 1


def test_too_long_and_unknown_only_are_skipped_not_nan():
    loss, logits, samples, out = _loss(['toolongword', '!!?', 'ok'], T=6)
    assert out['skipped_samples'].item() == 2
    assert torch.isfinite(out['loss_ctc'])
    out['loss_ctc'].backward()
    assert torch.isfinite(logits.grad).all()
    assert logits.grad[:2].abs().sum() == 0  # skipped rows get no gradient


def test_all_skipped_gives_zero_with_graph():
    loss, logits, samples, out = _loss(['waytoolong', '###'], T=4)
    assert out['loss_ctc'].item() == 0.0
    out['loss_ctc'].backward()  # still differentiable
    assert logits.grad is not None


def test_empty_label_is_all_blank_target():
    loss, logits, samples, out = _loss([''], T=3, reduction='sum')
    log_probs = logits.log_softmax(-1)
    expected = -log_probs[0, :, 36].sum()  # every frame emits blank
    assert torch.allclose(out['loss_ctc'], expected, atol=1e-5)
    assert out['skipped_samples'].item() == 0


def test_unknown_chars_dropped_and_counted():
    loss, logits, samples, out = _loss(['a-b!'])
    assert samples[0].gt_text.indexes.tolist() == [10, 11]
    assert samples[0].gt_text.num_dropped == 2


def test_valid_ratio_shortens_input():
    loss = CRNNCTCLoss(dictionary=DICT)
    samples = _samples(['abcd'])
    samples[0].set_metainfo(dict(valid_ratio=0.5))
    samples = loss.get_targets(samples)
    out = loss(torch.randn(1, 6, 37), samples)  # 3 frames < 4 labels
    assert out['skipped_samples'].item() == 1


@pytest.mark.parametrize('reduction', ['mean', 'batch_mean', 'sum'])
def test_reductions_finite(reduction):
    _, _, _, out = _loss(['ab', 'c'], reduction=reduction)
    assert math.isfinite(out['loss_ctc'].item())


def test_bad_reduction():
    with pytest.raises(ValueError):
        CRNNCTCLoss(dictionary=DICT, reduction='median')
