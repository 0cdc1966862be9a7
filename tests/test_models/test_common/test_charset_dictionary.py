import string

import pytest

from crnn_plugin.models import CharsetDictionary
from mmocr.registry import TASK_UTILS


@pytest.mark.parametrize('charset,size', [('lower_digits', 36),
                                          ('alnum', 62),
                                          ('printable', 94)])
def test_presets(charset, size):
    d = TASK_UTILS.build(dict(type='CharsetDictionary', charset=charset))
    assert d.num_classes == size + 1  # + CTC blank
    assert d.padding_idx == size
    text = 'crnn2015'
    assert d.idx2str(d.str2idx(text)) == text


def test_lower_digits_content_and_contains():
    d = CharsetDictionary()
    assert ''.join(d.dict[:36]) == string.digits + string.ascii_lowercase
    assert d.contains('a') and not d.contains('A')
    assert not d.contains('<PAD>')


def test_dict_file_override(tmp_path):
    f = tmp_path / 'abc.txt'
    f.write_text('a\nb\nc\n')
    d = CharsetDictionary(dict_file=str(f))
    assert d.num_classes == 4


def test_unknown_charset():
    with pytest.raises(ValueError, match='charset'):
        CharsetDictionary('klingon')
