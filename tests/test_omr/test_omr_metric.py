import pytest
from mmengine.evaluator import Evaluator
from mmocr.registry import EVALUATOR, METRICS

from omr.metrics import OMRFragmentMetric, fragment_tokens


def samples(pairs):
    return [
        dict(pred_text=dict(item=p), gt_text=dict(item=g)) for p, g in pairs
    ]


# (prediction, ground truth): token edits in pitch mode / paper mode
PAIRS = [
    ('C#5 D5 E5', 'C#5 D5 E5'),  # exact: 0 / 0
    ('C5 D5 E5', 'C#5 D5 E5'),  # accidental missed: 1 / 0
    ('G4 A4', 'G4 A4 B4 C5'),  # two notes missed: 2 / 2
    ('Bb3 F##4 F3 E3', 'Bb3 F#4 E3'),  # F##4->F#4 and extra F3: 2 / 1
]


def test_pitch_mode_hand_computed():
    metric = OMRFragmentMetric()
    metric.process(None, samples(PAIRS))
    res = metric.compute_metrics(metric.results)
    assert res['fragment_accuracy'] == pytest.approx(1 / 4)
    assert res['avg_edit_distance'] == pytest.approx((0 + 1 + 2 + 2) / 4)
    # 13 ground-truth tokens (3 + 3 + 4 + 3), 5 edits
    assert res['token_accuracy'] == pytest.approx(1 - 5 / 13)
    assert res['num_fragments'] == 4


def test_paper_mode_strips_accidentals_of_both():
    metric = METRICS.build(dict(type='OMRFragmentMetric', mode='paper'))
    metric.process(None, samples(PAIRS))
    res = metric.compute_metrics(metric.results)
    assert res['fragment_accuracy'] == pytest.approx(2 / 4)
    assert res['avg_edit_distance'] == pytest.approx((0 + 0 + 2 + 1) / 4)
    assert res['token_accuracy'] == pytest.approx(1 - 3 / 13)
    assert fragment_tokens('Ebb3 C##5 G4', 'paper') == ['E3', 'C5', 'G4']


def test_tokens_not_characters_and_whitespace():
    metric = OMRFragmentMetric()
    # one wrong token with a multi-character difference is one edit
    metric.process(None, samples([('Cbb4  D4', 'C##4 D4'), ('', 'E4 F4')]))
    res = metric.compute_metrics(metric.results)
    assert res['avg_edit_distance'] == pytest.approx((1 + 2) / 2)
    assert res['token_accuracy'] == pytest.approx(1 - 3 / 4)


def test_token_accuracy_floor_and_empty():
    metric = OMRFragmentMetric()
    metric.process(None, samples([('C4 D4 E4 F4', 'G4')]))
    assert metric.compute_metrics(metric.results)['token_accuracy'] == 0.0
    empty = metric.compute_metrics([])
    assert empty['fragment_accuracy'] == 0.0 and empty['num_fragments'] == 0


def test_names_and_dataset_prefixes():
    evaluator = EVALUATOR.build(
        dict(
            type='MultiDatasetsEvaluator',
            metrics=[
                dict(type='OMRFragmentMetric', mode='pitch'),
                dict(type='OMRFragmentMetric', mode='paper')
            ],
            dataset_prefixes=['OMRVal', 'OMRValAug']))
    evaluator.dataset_meta = dict(cumulative_sizes=[2, 4])
    evaluator.process(samples(PAIRS))
    res = evaluator.evaluate(4)
    # first dataset: PAIRS[:2], second: PAIRS[2:]
    assert res['OMRVal/omr_pitch/fragment_accuracy'] == pytest.approx(0.5)
    assert res['OMRVal/omr_paper/fragment_accuracy'] == pytest.approx(1.0)
    assert res['OMRValAug/omr_pitch/avg_edit_distance'] == pytest.approx(2)
    assert res['OMRValAug/omr_paper/token_accuracy'] == pytest.approx(
        1 - 3 / 7)
    plain = Evaluator([OMRFragmentMetric(prefix='x')])
    plain.process(samples(PAIRS[:1]))
    assert plain.evaluate(1)['x/fragment_accuracy'] == 1.0


def test_bad_mode():
    with pytest.raises(ValueError, match='mode'):
        OMRFragmentMetric(mode='chords')
