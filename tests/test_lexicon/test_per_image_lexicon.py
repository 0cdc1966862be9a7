"""Per-image lexicons: side file format, lookup, precedence, cache."""
import json

import pytest
from mmocr.structures import TextRecogDataSample

from crnn_plugin.lexicon import (LexiconCache, load_per_image_file,
                                 lookup_image, sample_lexicon_words)
from crnn_plugin.models.common import CharsetDictionary


def write(tmp_path, data):
    path = tmp_path / 'lexicons.json'
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return str(path)


def sample(**meta):
    return TextRecogDataSample(metainfo=meta)


def test_side_file_loads_and_normalises_keys(tmp_path):
    path = write(tmp_path, json.dumps({'./test\\1.png': ['a', 'b']}))
    assert load_per_image_file(path) == {'test/1.png': ['a', 'b']}


@pytest.mark.parametrize('content,match', [
    (b'{"a.png": ["x"', 'not UTF-8 JSON'),
    (b'\xff\xfe', 'not UTF-8 JSON'),
    (b'[["x"]]', 'non-empty JSON object'),
    (b'{}', 'non-empty JSON object'),
    (b'{"a.png": "word"}', 'not a list of strings'),
    (b'{"a.png": ["ok", 3]}', 'not a list of strings'),
])
def test_side_file_errors(tmp_path, content, match):
    with pytest.raises(ValueError, match=match):
        load_per_image_file(write(tmp_path, content))


def test_side_file_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_per_image_file(str(tmp_path / 'nope.json'))


def test_lookup_prefers_the_longest_matching_suffix():
    mapping = {'a/1.png': ['long'], '1.png': ['short']}
    assert lookup_image(mapping, 'data/a/1.png') == ['long']
    assert lookup_image(mapping, 'data/b/1.png') == ['short']
    assert lookup_image(mapping, 'data\\a\\1.png') == ['long']
    assert lookup_image(mapping, '2.png') is None


def test_sample_lexicon_precedence():
    mapping = {'1.png': ['side']}
    assert sample_lexicon_words(
        sample(lexicon=['meta'], img_path='1.png'), mapping) == ['meta']
    assert sample_lexicon_words(
        sample(instances=[dict(text='x', lexicon=['inst'])], img_path='1.png'),
        mapping) == ['inst']
    assert sample_lexicon_words(sample(img_path='d/1.png'),
                                mapping) == ['side']
    assert sample_lexicon_words(sample(img_path='2.png'), mapping) is None
    assert sample_lexicon_words(sample(img_path='1.png')) is None


def test_cache_builds_each_list_once_and_evicts():
    cache = LexiconCache(CharsetDictionary('lower_digits'), maxsize=2)
    first = cache.get(['Cat', 'dog'])
    assert cache.get(('Cat', 'dog')) is first
    assert first.words == ['Cat', 'dog'] and first.case_fold == 'lower'
    cache.get(['a'])
    cache.get(['b'])  # evicts ['Cat', 'dog']
    assert cache.get(['Cat', 'dog']) is not first
    tokens = cache.get([['a', 'b'], ('a', 'b')])  # token lists are hashable
    assert len(tokens) == 1 and tokens.num_duplicates == 1
