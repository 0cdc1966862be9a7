"""tools/data/hunspell_to_words.py on a small synthetic hunspell pair."""
import importlib.util
import os.path as osp

import pytest

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'data', 'hunspell_to_words.py')
spec = importlib.util.spec_from_file_location('hunspell_to_words', TOOL)
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)

DIC = """9
Paris/M
paris
1th/tc
hello/MS po:interjection
d'Arc/M
naïve
and\\/or
word po:noun
3rd/p
"""


@pytest.fixture
def dic(tmp_path):
    (tmp_path / 'x.aff').write_text('SET UTF-8\nONLYINCOMPOUND c\n')
    (tmp_path / 'x.dic').write_text(DIC, encoding='utf-8')
    return str(tmp_path / 'x.dic')


def test_read_dic_words_strips_flags_and_skips_compound_only(dic):
    assert tool.read_dic_words(dic) == [
        'Paris', 'paris', 'hello', "d'Arc", 'naïve', 'and/or', 'word', '3rd'
    ]


def test_long_flags(tmp_path):
    (tmp_path / 'y.aff').write_text('FLAG long\nNEEDAFFIX zz\n')
    (tmp_path / 'y.dic').write_text('2\nab/Aazz\ncd/zA\n')
    assert tool.read_dic_words(str(tmp_path / 'y.dic')) == ['cd']


def test_main_filters_like_the_lexicon_loader(dic, tmp_path, capsys):
    out = tmp_path / 'out' / 'words.txt'
    assert tool.main([dic, '-o', str(out)]) == 0
    assert out.read_text(encoding='utf-8').split('\n') == [
        'Paris', 'hello', 'word', '3rd', ''
    ]
    report = capsys.readouterr().out
    assert 'dropped 3 with characters outside lower_digits' in report
    assert '1 duplicates' in report


def test_max_words_is_a_seeded_sample_in_file_order(dic, tmp_path):
    out = tmp_path / 'w.txt'
    tool.main([dic, '-o', str(out), '--max-words', '2', '--seed', '1'])
    first = out.read_text().split()
    tool.main([dic, '-o', str(out), '--max-words', '2', '--seed', '1'])
    assert out.read_text().split() == first and len(first) == 2
    order = ['Paris', 'hello', 'word', '3rd']
    assert first == sorted(first, key=order.index)


def test_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        tool.read_dic_words(str(tmp_path / 'none.dic'))
    (tmp_path / 'bad.dic').write_bytes(b'1\n\xff\xfe\n')
    with pytest.raises(ValueError, match='not utf-8'):
        tool.read_dic_words(str(tmp_path / 'bad.dic'))
