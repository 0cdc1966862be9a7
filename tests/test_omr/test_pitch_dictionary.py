import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import LabelData

from crnn_plugin.models import CRNNCTCLoss, GreedyCTCPostProcessor
from mmocr.registry import TASK_UTILS
from mmocr.structures import TextRecogDataSample
from omr.pitch_dictionary import (PitchDictionary, position_names,
                                  staff_position, strip_accidental)


def test_vocabulary_sizes_and_blank_last():
    pitch = PitchDictionary()
    paper = PitchDictionary(mode='paper')
    assert len(position_names('C2', 'C7')) == 36
    assert pitch.num_classes == 181 and pitch.padding_idx == 180
    assert paper.num_classes == 37 and paper.padding_idx == 36
    assert pitch.dict[-1] == '<PAD>' and paper.dict[-1] == '<PAD>'
    assert pitch.dict[:6] == ['C2', 'C#2', 'Cb2', 'C##2', 'Cbb2', 'D2']
    assert paper.dict[0] == 'C2' and paper.dict[35] == 'C7'
    assert len(set(pitch.dict)) == pitch.num_classes
    # An unknown token goes before the blank, which stays last.
    unk = PitchDictionary(with_unknown=True)
    assert unk.num_classes == 182 and unk.padding_idx == 181
    assert unk.unknown_idx == 180 and unk.dict[180] == '<UKN>'


def test_built_from_registry():
    d = TASK_UTILS.build(dict(type='PitchDictionary', mode='paper'))
    assert isinstance(d, PitchDictionary) and d.mode == 'paper'


def test_round_trip_pitch_mode():
    d = PitchDictionary()
    text = 'C#5 Bb4 F##4 Ebb3 C2 C7 Cb4 B#3'
    idx = d.str2idx(text)
    assert len(idx) == 8 and max(idx) < d.padding_idx
    assert d.idx2str(idx) == text
    assert d.tokenize('  C#5   D5\tE5 ') == ['C#5', 'D5', 'E5']


def test_round_trip_paper_mode_strips_accidentals():
    d = PitchDictionary(mode='paper')
    assert d.tokenize('C#5 Bb4 F##4 Ebb3 G4') == ['C5', 'B4', 'F4', 'E3', 'G4']
    assert d.idx2str(d.str2idx('C#5 Bb4 F##4')) == 'C5 B4 F4'
    assert d.idx2str(d.str2idx('C5 D5 E5')) == 'C5 D5 E5'


def test_helpers():
    assert staff_position('C4') - staff_position('B3') == 1
    assert staff_position('Cb4') == staff_position('C4')
    assert strip_accidental('<PAD>') == '<PAD>'
    with pytest.raises(ValueError):
        staff_position('H4')
    with pytest.raises(ValueError):
        position_names('C5', 'C4')
    with pytest.raises(ValueError):
        PitchDictionary(mode='tab')


def test_unknown_tokens():
    d = PitchDictionary()
    assert d.contains('C#5') and not d.contains('<PAD>')
    assert not d.contains('C8') and not d.contains('c4')  # out of range/case
    assert d.char2idx('C8', strict=False) is None
    with pytest.raises(KeyError):
        d.char2idx('C8')
    with pytest.raises(KeyError):
        d.str2idx('C4 C8')
    with pytest.raises(IndexError):
        d.idx2str([d.num_classes])
    unk = PitchDictionary(with_unknown=True)
    assert unk.str2idx('C4 C8') == [unk.char2idx('C4'), unk.unknown_idx]


def _samples(texts):
    out = []
    for t in texts:
        s = TextRecogDataSample()
        s.gt_text = LabelData(item=t)
        out.append(s)
    return out


@pytest.mark.parametrize('mode', ['pitch', 'paper'])
def test_with_ctc_loss_and_greedy_postprocessor(mode):
    d = PitchDictionary(mode=mode)
    loss = CRNNCTCLoss(dictionary=d, letter_case='unchanged')
    texts = ['C#5 D5 E5', 'Bb4 Bb4', 'C9 G4']  # C9: out of range, dropped
    samples = loss.get_targets(_samples(texts))
    want = [d.str2idx('C#5 D5 E5'), d.str2idx('Bb4 Bb4'), d.str2idx('G4')]
    assert [s.gt_text.indexes.tolist() for s in samples] == want
    assert samples[2].gt_text.num_dropped == 1
    T, K = 8, d.num_classes
    logits = torch.randn(3, T, K, requires_grad=True)
    out = loss(logits, samples)
    ref = F.ctc_loss(
        logits.log_softmax(-1).transpose(0, 1),
        torch.tensor(sum(want, [])), torch.tensor([T] * 3),
        torch.tensor([3, 2, 1]), blank=d.padding_idx, reduction='none')
    ref = (ref / torch.tensor([3, 2, 1])).mean()
    assert torch.allclose(out['loss_ctc'], ref)
    out['loss_ctc'].backward()
    assert torch.isfinite(logits.grad).all()

    # Greedy decoding of hand-made frames: B(blank C#5 C#5 blank D5 E5 ...).
    post = GreedyCTCPostProcessor(dictionary=d)
    blank = d.padding_idx
    path = [blank, want[0][0], want[0][0], blank, want[0][1], want[0][2],
            blank, blank]
    probs = F.one_hot(torch.tensor([path]), K).float()  # (1, T, K)
    (pred, ) = post(probs, _samples(['']))
    expected = 'C#5 D5 E5' if mode == 'pitch' else 'C5 D5 E5'
    assert pred.pred_text.item == expected
    assert len(pred.pred_text.score) == 3
