"""Lexicon-free and lexicon-based accuracy side by side in one evaluator."""
import pytest
from mmengine.evaluator import Evaluator
from mmengine.structures import LabelData
from mmocr.structures import TextRecogDataSample


def sample(gt, item, greedy=None, **fields):
    s = TextRecogDataSample()
    s.gt_text = LabelData(item=gt)
    pred = LabelData(item=item, **fields)
    if greedy is not None:
        pred.greedy_item = greedy
    s.pred_text = pred
    return s


def test_one_pass_reports_both_accuracies_and_stats():
    evaluator = Evaluator([
        dict(type='WordMetric', mode=['exact', 'ignore_case']),
        dict(type='LexiconFreeWordMetric', mode=['exact', 'ignore_case']),
        dict(type='LexiconStatsMetric'),
    ])
    samples = [
        sample('London', 'London', 'lomdon', lexicon_method='bktree',
               num_candidates=4, widened=False, lexicon_ms=2.0),
        sample('paris', 'Paris', 'paris', lexicon_method='exhaustive',
               num_candidates=50, widened=False, lexicon_ms=1.0),
        sample('rome', 'Roma', 'rome', lexicon_method='bktree',
               num_candidates=9, widened=True, lexicon_ms=6.0),
        sample('oslo', 'osl', lexicon_method='none'),  # no lexicon
    ]
    evaluator.process(samples)
    metrics = evaluator.evaluate(len(samples))
    assert metrics['recog/word_acc'] == pytest.approx(0.25)
    assert metrics['recog/word_acc_ignore_case'] == pytest.approx(0.5)
    # greedy: lomdon, paris, rome, osl (item used when no greedy_item)
    assert metrics['lexicon_free/word_acc'] == pytest.approx(0.5)
    assert metrics['lexicon_free/word_acc_ignore_case'] == pytest.approx(0.5)
    assert metrics['lexicon/samples'] == 4
    assert metrics['lexicon/method_bktree'] == 2
    assert metrics['lexicon/method_exhaustive'] == 1
    assert metrics['lexicon/method_none'] == 1
    assert metrics['lexicon/widened'] == 1
    assert metrics['lexicon/candidates_mean'] == pytest.approx(21.0)
    assert metrics['lexicon/candidates_max'] == 50
    assert metrics['lexicon/ms_median'] == pytest.approx(2.0)


def test_stats_without_any_lexicon_sample():
    evaluator = Evaluator([dict(type='LexiconStatsMetric', prefix='lex')])
    evaluator.process([sample('a', 'a')])
    metrics = evaluator.evaluate(1)
    assert metrics['lex/samples'] == 1 and metrics['lex/method_none'] == 1
    assert 'lex/ms_mean' not in metrics
