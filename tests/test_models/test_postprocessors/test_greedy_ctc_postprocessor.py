import torch
from mmengine.structures import LabelData

from crnn_plugin.models import GreedyCTCPostProcessor
from mmocr.structures import TextRecogDataSample

DICT = dict(type='CharsetDictionary', charset='lower_digits')
BLANK = 36


def _probs(frames, peak=0.9):
    """One-hot-ish (T, 37) probabilities for a list of frame labels."""
    p = torch.full((len(frames), 37), (1 - peak) / 36)
    for t, k in enumerate(frames):
        p[t, k] = peak
    return p


def _decode(probs, **meta):
    s = TextRecogDataSample()
    s.gt_text = LabelData(item='')
    s.set_metainfo(meta)
    post = GreedyCTCPostProcessor(dictionary=DICT)
    return post(probs.unsqueeze(0), [s])[0].pred_text


def test_merges_repeats_and_drops_blanks():
    h, e, l, o = 17, 14, 21, 24
    pred = _decode(_probs([h, h, e, BLANK, l, l, BLANK, l, o, BLANK]))
    assert pred.item == 'hello'
    assert len(pred.score) == 5


def test_scores_per_char_and_word():
    p = _probs([10, 10, BLANK, 11])
    p[1, 10] = 0.95  # best frame of the first run
    pred = _decode(p)
    assert pred.item == 'ab'
    assert pred.score == [torch.tensor(0.95).item(), torch.tensor(0.9).item()]
    assert abs(pred.word_score - (0.95 + 0.9) / 2) < 1e-6


def test_empty_prediction():
    pred = _decode(_probs([BLANK] * 5))
    assert pred.item == '' and pred.score == [] and pred.word_score == 0.0


def test_valid_ratio_ignores_padding_frames():
    pred = _decode(_probs([10, BLANK, 11, 12]), valid_ratio=0.5)
    assert pred.item == 'a'
