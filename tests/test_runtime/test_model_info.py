"""ModelInfo: metadata round trip, old files, refusals."""
import json

import pytest

from crnn_plugin.runtime import METADATA_FORMAT, ModelInfo, PipelineParams


def as_props(info):
    return {k: json.dumps(v) for k, v in info.to_metadata().items()}


def test_round_trip():
    info = ModelInfo(('a', 'b', '<PAD>'), 2, frozenset({2}), ' ',
                     PipelineParams(height=32, min_width=None), 'score',
                     'm.pth', '0.1.0', 'ab' * 32)
    back = ModelInfo.from_metadata(as_props(info))
    assert back == info
    assert back.preprocessing.to_dict() == info.preprocessing.to_dict()


def test_score_mode_round_trip_and_files_without_it():
    params = PipelineParams(height=32, min_width=None)
    info = ModelInfo(('clef-G2', '<PAD>'), 1, frozenset({1}), ' ', params,
                     'score', mode='semantic')
    props = as_props(info)
    assert json.loads(props['crnn_mode']) == 'semantic'
    assert ModelInfo.from_metadata(props).mode == 'semantic'
    del props['crnn_mode']  # exported before the mode was stored
    assert ModelInfo.from_metadata(props).mode == ''


def test_first_format_reads_as_text_model():
    props = {
        'crnn_dictionary': json.dumps(['a', '<PAD>']),
        'crnn_blank': '1',
        'crnn_pipeline': json.dumps(PipelineParams().to_dict())
    }
    info = ModelInfo.from_metadata(props)
    assert (info.kind, info.ignore, info.separator) == ('text', {1}, '')


@pytest.mark.parametrize('change,message', [
    (dict(crnn_format=METADATA_FORMAT + 1), 'newer'),
    (dict(crnn_kind='speech'), 'unknown model kind'),
    (dict(crnn_blank=7), 'outside the dictionary'),
    (dict(crnn_pipeline=dict(color_type='rgba')), 'color_type'),
])
def test_refusals(change, message):
    info = ModelInfo(('a', '<PAD>'), 1, frozenset({1}), '', PipelineParams())
    props = as_props(info)
    props.update({k: json.dumps(v) for k, v in change.items()})
    with pytest.raises(ValueError, match=message):
        ModelInfo.from_metadata(props)
    with pytest.raises(ValueError, match='crnn_blank'):
        ModelInfo.from_metadata({})
