"""Lexicon: file loading errors, counting, case folding, caching, tokens."""
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mmocr.models.common.dictionary import Dictionary
from rapidfuzz.distance import Levenshtein

from crnn_plugin.lexicon import Lexicon, load_lexicon, read_word_file
from crnn_plugin.lexicon import lexicon as lexicon_module
from crnn_plugin.models.common import CharsetDictionary

LOWER = CharsetDictionary('lower_digits')
ALNUM = CharsetDictionary('alnum')


def write(tmp_path, data, name='words.txt'):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return str(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='not found'):
        load_lexicon(str(tmp_path / 'nope.txt'), LOWER)


@pytest.mark.parametrize('data', ['', '\n\n  \n'])
def test_empty_file(tmp_path, data):
    with pytest.raises(ValueError, match='empty'):
        load_lexicon(write(tmp_path, data), LOWER)


def test_non_utf8_file_names_the_line(tmp_path):
    path = write(tmp_path, b'good\nb\xe9d\n')  # latin-1 'bed'
    with pytest.raises(ValueError, match='not UTF-8.*line 2'):
        load_lexicon(path, LOWER)


def test_bom_blank_lines_duplicates_and_oov_are_counted(tmp_path,
                                                        monkeypatch):
    logged = []
    monkeypatch.setattr(lexicon_module, 'print_log',
                        lambda msg, **kw: logged.append((msg, kw)))
    path = write(tmp_path, '\ufeffParis\n\nparis\n  Lyon \ncafé\nx-ray\n')
    lex = load_lexicon(path, LOWER)
    assert lex.words == ['Paris', 'Lyon']  # lexicon spelling kept
    assert (lex.num_blank, lex.num_duplicates, lex.num_oov) == (1, 1, 2)
    assert lex.oov_examples == ['café', 'x-ray']
    warnings = [m for m, kw in logged if kw.get('level') == 30]
    assert len(warnings) == 1 and '2 word(s)' in warnings[0]


def test_only_oov_words_is_an_error(tmp_path):
    with pytest.raises(ValueError, match='no word'):
        load_lexicon(write(tmp_path, 'été\n€\n'), LOWER)


def test_read_word_file_strips_lines(tmp_path):
    assert read_word_file(write(tmp_path, ' a \r\nb\n\n')) == ['a', 'b', '']


def test_case_folding_follows_the_dictionary():
    lex = Lexicon(['London', 'london', 'LONDON'], LOWER)
    assert lex.case_fold == 'lower' and lex.words == ['London']
    assert lex.labels[0] == tuple(LOWER.str2idx('london'))
    mixed = Lexicon(['London', 'london', 'LONDON'], ALNUM)
    assert mixed.case_fold == 'none' and len(mixed) == 3
    forced = Lexicon(['London', 'london'], ALNUM, case_fold='lower')
    assert forced.words == ['London']
    assert forced.labels[0] == tuple(ALNUM.str2idx('london'))
    with pytest.raises(ValueError, match='case_fold'):
        Lexicon(['a'], LOWER, case_fold='title')


def test_special_tokens_are_not_lexicon_characters():
    # '<PAD>' is the blank; as a token it must count as out of dictionary.
    lex = Lexicon([('a', '<PAD>'), ('a', 'b')], LOWER)
    assert lex.num_oov == 1 and lex.words == [('a', 'b')]


def test_token_sequences_search_and_arrays(tmp_path):
    # OMR-like: words are tuples of dictionary entries, never folded.
    path = write(tmp_path, 'A\nB\nc\nd\n', 'tokens.txt')
    dictionary = Dictionary(path, with_padding=True)
    lex = Lexicon([('A', 'B', 'B'), ('A', 'c'), ('d', ), ('A', 'c')],
                  dictionary)
    assert len(lex) == 3 and lex.num_duplicates == 1
    assert lex.id_of(('A', 'c')) == 1 and lex.id_of(('x', )) is None
    assert lex.search([0, 1], 1).tolist() == [0, 1]  # A B
    labels, lengths, min_frames = lex.label_arrays()
    assert labels.shape == (3, 3) and lengths.tolist() == [3, 2, 1]
    assert min_frames.tolist() == [4, 2, 1]  # B B needs a blank between


def test_search_returns_sorted_ids_of_neighbours():
    lex = Lexicon(['hello', 'help', 'yellow', 'world', 'hell'], LOWER)
    ids = lex.search(lex.word_labels('helo'), 1)
    assert [lex.words[i] for i in ids] == ['hello', 'help', 'hell']
    assert ids.dtype == np.int64 and np.all(np.diff(ids) > 0)
    assert lex.search(lex.word_labels('zzzz'), 0).size == 0


def test_file_cache_reuses_and_invalidates(tmp_path):
    path = write(tmp_path, 'alpha\nbeta\n')
    first = load_lexicon(path, LOWER)
    tree = first.tree
    assert load_lexicon(path, dict(type='CharsetDictionary')) is first
    assert first.tree is tree  # built once
    assert load_lexicon(path, ALNUM) is not first  # other dictionary
    with open(path, 'a', encoding='utf-8') as f:
        f.write('gamma\n')
    os.utime(path, ns=(1, 1))  # new mtime even on coarse clocks
    again = load_lexicon(path, LOWER)
    assert again is not first and again.words == ['alpha', 'beta', 'gamma']


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text('abcd', min_size=1, max_size=7), max_size=50),
       st.text('abcd', max_size=7), st.integers(0, 4))
def test_search_methods_equal_brute_force(words, query, delta):
    lex = Lexicon(words, LOWER)
    labels = LOWER.str2idx(query)
    expected = [i for i, lab in enumerate(lex.labels)
                if Levenshtein.distance(labels, lab) <= delta]
    assert lex.search(labels, delta).tolist() == expected
    assert lex.search(labels, delta, 'scan').tolist() == expected


def test_codes_are_bytes_below_256_classes_else_str(tmp_path):
    assert isinstance(Lexicon(['ab'], LOWER).codes[0], bytes)
    chars = [chr(0x100 + i) for i in range(300)]  # 301 classes with blank
    path = write(tmp_path, '\n'.join(chars), 'big_dict.txt')
    big = Dictionary(path, with_padding=True)
    lex = Lexicon([chars[299] + chars[0], chars[1]], big)
    assert lex.codes[0] == chr(299) + chr(0)
    assert lex.search([299, 0], 1).tolist() == [0]
    assert lex.search([299, 0], 1, 'scan').tolist() == [0]


def test_bad_search_arguments():
    lex = Lexicon(['ab'], LOWER)
    with pytest.raises(ValueError, match='method'):
        lex.search([0], 1, 'linear')
    with pytest.raises(ValueError, match='delta'):
        lex.search([0], -1)
