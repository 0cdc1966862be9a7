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


# Semantic readings (model tokens) against stored semantic labels:
# symbol edits / ground-truth symbols, pitch edits / pitches.
SEMANTIC_PAIRS = [
    # exact (model tokens joined): 0 / 6 symbols, 0 / 2 pitches
    ('clef-G2 keySignature-1 note-G4 _quarter tie note-G4 _eighth barline',
     'clef-G2 keySignature-1 note-G4_quarter tie note-G4_eighth barline'),
    # wrong duration, right pitch: 1 / 3, 0 / 1
    ('clef-G2 note-C5 _half barline', 'clef-G2 note-C5_quarter barline'),
    # rest missed, wrong pitch: 2 / 4, 1 / 1
    ('clef-F4 note-D3 _whole barline-end',
     'clef-F4 rest-half note-C3_whole barline-end'),
    # pitch read, duration missed: 1 / 3, 0 / 1
    ('clef-G2 note-E5 barline', 'clef-G2 note-E5_eighth barline'),
]


def test_semantic_mode_hand_computed():
    metric = METRICS.build(dict(type='OMRFragmentMetric', mode='semantic'))
    assert metric.prefix == 'omr_semantic'
    metric.process(None, samples(SEMANTIC_PAIRS))
    res = metric.compute_metrics(metric.results)
    assert res['fragment_accuracy'] == pytest.approx(1 / 4)
    assert res['avg_edit_distance'] == pytest.approx((0 + 1 + 2 + 1) / 4)
    assert res['symbol_error_rate'] == pytest.approx(4 / 16)
    assert res['pitch_fragment_accuracy'] == pytest.approx(3 / 4)
    assert res['pitch_token_accuracy'] == pytest.approx(1 - 1 / 5)
    assert 'token_accuracy' not in res and res['num_fragments'] == 4


def test_semantic_pitch_accuracy_equals_pitch_mode_on_same_fragments():
    # A pitch model's reading of the same fragments scores the same.
    pitch_pairs = [('G4 G4', 'G4 G4'), ('C5', 'C5'), ('D3', 'C3'),
                   ('E5', 'E5')]
    pitch = OMRFragmentMetric(mode='pitch')
    pitch.process(None, samples(pitch_pairs))
    semantic = OMRFragmentMetric(mode='semantic')
    semantic.process(None, samples(SEMANTIC_PAIRS))
    p = pitch.compute_metrics(pitch.results)
    s = semantic.compute_metrics(semantic.results)
    assert s['pitch_fragment_accuracy'] == p['fragment_accuracy']
    assert s['pitch_token_accuracy'] == pytest.approx(p['token_accuracy'])


def test_semantic_error_rate_can_exceed_one_and_empty():
    metric = OMRFragmentMetric(mode='semantic')
    metric.process(None, samples([('clef-G2 tie tie barline', 'barline')]))
    res = metric.compute_metrics(metric.results)
    assert res['symbol_error_rate'] == pytest.approx(3.0)
    assert res['pitch_token_accuracy'] == 0.0  # no pitches in the label
    assert metric.compute_metrics([])['symbol_error_rate'] == 0.0


def test_semantic_names_per_dataset_prefix():
    evaluator = EVALUATOR.build(
        dict(
            type='MultiDatasetsEvaluator',
            metrics=[dict(type='OMRFragmentMetric', mode='semantic')],
            dataset_prefixes=['Leipzig', 'Leipzig-photo']))
    evaluator.dataset_meta = dict(cumulative_sizes=[2, 4])
    evaluator.process(samples(SEMANTIC_PAIRS))
    res = evaluator.evaluate(4)
    assert res['Leipzig/omr_semantic/symbol_error_rate'] == pytest.approx(
        1 / 9)
    assert res['Leipzig-photo/omr_semantic/pitch_token_accuracy'] == \
        pytest.approx(1 - 1 / 2)
