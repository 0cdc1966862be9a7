"""LexiconCTCPostProcessor: global and per-image lexicons, fields, errors."""
import json

import pytest
import torch
from mmengine.structures import LabelData

from crnn_plugin.models import GreedyCTCPostProcessor
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

DICT = dict(type='CharsetDictionary', charset='lower_digits')
BLANK = 36


def probs_of(text, num_frames=26, peak=0.9):
    """(T, 37) probabilities spelling ``text`` as 'c c - c c - ...'."""
    from crnn_plugin.models.common import CharsetDictionary
    frames = []
    for k in CharsetDictionary().str2idx(text):
        frames += [k, k, BLANK]
    frames = (frames + [BLANK] * num_frames)[:num_frames]
    p = torch.full((num_frames, 37), (1 - peak) / 36)
    p[torch.arange(num_frames), torch.tensor(frames)] = peak
    return p


def build(**kwargs):
    return MODELS.build(dict(type='LexiconCTCPostProcessor', dictionary=DICT,
                             **kwargs))


def run(post, texts, metas=None):
    samples = []
    for meta in metas or [{}] * len(texts):
        s = TextRecogDataSample(metainfo=meta)
        s.gt_text = LabelData(item='')
        samples.append(s)
    probs = torch.stack([probs_of(t) for t in texts])  # (N, T, C)
    return [s.pred_text for s in post(probs, samples)]


@pytest.fixture
def lexicon_file(tmp_path):
    path = tmp_path / 'words.txt'
    path.write_text('London\nlondon\nParis\nBerlin\nyellow\n',
                    encoding='utf-8')
    return str(path)


@pytest.mark.parametrize('exhaustive_below,search', [(0, 'bktree'),
                                                     (0, 'scan'),
                                                     (1000, 'bktree')])
def test_global_lexicon_corrects_and_keeps_greedy(lexicon_file,
                                                  exhaustive_below, search):
    post = build(lexicon=lexicon_file, exhaustive_below=exhaustive_below,
                 search=search)
    assert isinstance(post, GreedyCTCPostProcessor)
    pred, = run(post, ['lomdon'])
    assert pred.item == 'London'  # lexicon spelling, matched case-folded
    assert pred.greedy_item == 'lomdon'
    assert len(pred.greedy_score) == 6 and 0 < pred.greedy_word_score < 1
    assert 0 < pred.word_score <= 1 and pred.score == pred.word_score
    assert pred.log_prob < 0
    method = 'bktree' if exhaustive_below == 0 else 'exhaustive'
    assert pred.lexicon_method == method and pred.lexicon_ms > 0
    assert pred.delta == (3 if method == 'bktree' else -1)
    assert post.counts['samples'] == 1 and post.counts[method] == 1


def test_empty_n_delta_widen_or_greedy(lexicon_file):
    texts = ['qqqqqqqq']  # distance >= 6 to every word
    widened, = run(build(lexicon=lexicon_file, exhaustive_below=0), texts)
    assert widened.widened and widened.delta > 3
    assert widened.item in {'London', 'Paris', 'Berlin', 'yellow'}
    post = build(lexicon=lexicon_file, exhaustive_below=0, on_empty='greedy')
    kept, = run(post, texts)
    assert kept.item == kept.greedy_item == 'qqqqqqqq'
    assert kept.lexicon_method == 'greedy' and post.counts['greedy'] == 1


def test_per_image_lexicons(tmp_path, lexicon_file):
    side = tmp_path / 'lex.json'
    side.write_text(json.dumps({'img/2.png': ['Parish', 'Perish']}))
    post = build(lexicon=lexicon_file, per_image_file=str(side))
    metas = [
        dict(lexicon=['Yellow', 'fellow']),  # metainfo key
        dict(img_path='data/img/2.png'),  # side file
        dict(img_path='data/img/3.png'),  # none: global lexicon
    ]
    preds = run(post, ['yelow', 'parisj', 'berlim'], metas)
    assert [p.item for p in preds] == ['Yellow', 'Parish', 'Berlin']
    assert [p.num_candidates for p in preds] == [2, 2, 4]


def test_per_image_only_leaves_samples_without_lexicon(tmp_path):
    post = build(per_image=True)
    preds = run(post, ['abc', 'abd'],
                [dict(lexicon=['abd', 'é']), dict()])
    assert preds[0].item == 'abd' and preds[0].lexicon_method == 'exhaustive'
    assert preds[1].item == 'abd' and preds[1].lexicon_method == 'none'
    assert post.counts['none'] == 1
    assert post.counts['per_image_oov_words'] == 1


def test_token_sequence_lexicon_per_image():
    post = build(per_image=True)
    pred, = run(post, ['abx'], [dict(lexicon=[('a', 'b', 'c'), ('x', )])])
    assert pred.item == 'abc'


def test_valid_ratio_limits_the_frames(lexicon_file):
    post = build(lexicon=lexicon_file)
    full, = run(post, ['paris'])
    # 'paris' is spelled over 15 frames; only the first 12 are valid.
    cut, = run(post, ['paris'], [dict(valid_ratio=0.45)])
    assert full.greedy_item == 'paris' and cut.greedy_item == 'pari'
    assert full.item == cut.item == 'Paris'
    # The final 's' must now take a frame where its probability is 0.1/36.
    assert cut.log_prob < full.log_prob - 3


@pytest.mark.parametrize('kwargs,error', [
    (dict(), ValueError),
    (dict(lexicon='words.txt', delta=-1), ValueError),
    (dict(lexicon='words.txt', on_empty='skip'), ValueError),
    (dict(lexicon='words.txt', search='linear'), ValueError),
    (dict(lexicon='words.txt', margin=-0.5), ValueError),
    (dict(lexicon='missing.txt'), FileNotFoundError),
])
def test_bad_configs(tmp_path, kwargs, error, monkeypatch):
    (tmp_path / 'words.txt').write_text('a\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error):
        build(**kwargs)
