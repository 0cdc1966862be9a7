"""Test-config helpers of tools/test.py: extra metrics and lexicons."""
import pytest
from mmengine.config import Config

from crnn_plugin.engine import (add_dump_metric, add_test_metrics,
                                side_by_side, use_lexicon)

PACK = dict(type='PackTextRecogInputs', meta_keys=('img_path', ))


def recog_cfg(evaluator):
    return Config(
        dict(
            model=dict(decoder=dict(postprocessor=dict(type='Greedy'))),
            test_dataloader=dict(
                dataset=dict(
                    type='ConcatDataset',
                    datasets=[
                        dict(type='OCRDataset', pipeline=[dict(PACK)]),
                        dict(type='OCRDataset', pipeline=None)
                    ],
                    pipeline=[dict(type='Load'), dict(PACK)])),
            test_evaluator=evaluator))


@pytest.mark.parametrize('evaluator, path', [
    (dict(type='MultiDatasetsEvaluator', metrics=[dict(type='WordMetric')],
          dataset_prefixes=['A']), 'metrics'),
    (dict(type='Evaluator', metrics=dict(type='WordMetric')), 'metrics'),
    ([dict(type='WordMetric')], None),
    (dict(type='WordMetric'), None),
])
def test_add_test_metrics_keeps_the_evaluator(evaluator, path):
    cfg = recog_cfg(evaluator)
    add_test_metrics(cfg, [dict(type='X')])
    metrics = cfg.test_evaluator[path] if path else cfg.test_evaluator
    assert [m['type'] for m in metrics] == ['WordMetric', 'X']
    if path:
        assert cfg.test_evaluator.type == evaluator['type']


def test_add_dump_metric():
    cfg = recog_cfg(dict(type='MultiDatasetsEvaluator', metrics=[]))
    add_dump_metric(cfg, 'wd/x.pth_predictions.pkl')
    assert cfg.test_evaluator.metrics == [
        dict(
            type='MultiDatasetDumpResults',
            out_file_path='wd/x.pth_predictions.pkl')
    ]


def test_use_lexicon(tmp_path):
    words = tmp_path / 'words.txt'
    words.write_text('abc\n')
    cfg = recog_cfg(dict(type='MultiDatasetsEvaluator', metrics=[]))
    use_lexicon(cfg, str(words), 2)
    assert cfg.model.decoder.postprocessor == dict(
        type='LexiconCTCPostProcessor', delta=2, lexicon=str(words))
    assert [m['type'] for m in cfg.test_evaluator.metrics
            ] == ['LexiconFreeWordMetric', 'LexiconStatsMetric']

    side = tmp_path / 'lexicons.json'
    side.write_text('{"1.png": ["abc"]}')
    use_lexicon(cfg, str(side), 3)
    assert cfg.model.decoder.postprocessor.per_image_file == str(side)

    use_lexicon(cfg, 'per-image', 3)
    assert cfg.model.decoder.postprocessor.per_image is True
    dataset = cfg.test_dataloader.dataset
    assert dataset.pipeline[1].meta_keys == ('img_path', 'lexicon')
    assert dataset.datasets[0].pipeline[0].meta_keys == ('img_path',
                                                         'lexicon')
    with pytest.raises(FileNotFoundError, match='per-image'):
        use_lexicon(cfg, str(tmp_path / 'missing.txt'), 3)


def test_use_lexicon_margin(tmp_path):
    words = tmp_path / 'words.txt'
    words.write_text('abc\n')
    cfg = recog_cfg(dict(type='MultiDatasetsEvaluator', metrics=[]))
    cfg.model.decoder.postprocessor = dict(type='GreedyCTCPostProcessor',
                                           margin=3.0)
    use_lexicon(cfg, str(words), 3)  # a margin from --cfg-options stays
    assert cfg.model.decoder.postprocessor.margin == 3.0
    use_lexicon(cfg, str(words), 3, margin=7.0)
    assert cfg.model.decoder.postprocessor == dict(
        type='LexiconCTCPostProcessor', delta=3, lexicon=str(words),
        margin=7.0)


def test_side_by_side():
    table = side_by_side({
        'IIIT5K/recog/word_acc': 0.9,
        'IIIT5K/lexicon_free/word_acc': 0.75,
        'SVT/lexicon_free/word_acc': 0.5,
        'SVT/lexicon/samples': 10,
    })
    assert table.splitlines() == [
        'test set        lexicon-free  lexicon-based',
        'IIIT5K                0.7500         0.9000',
        'SVT                   0.5000            n/a',
    ]
