"""Word corpus: word-list reading, held-out words, random strings."""
import itertools
import string

import numpy as np
import pytest

from crnn_plugin.synth import (MARKS, WORD_LISTS, MissingWordListError,
                               WordCorpus, is_val_word, read_word_list)


def test_read_hunspell_dic_strips_flags(tmp_path):
    (tmp_path / 'en.aff').write_text('SET UTF-8\nONLYINCOMPOUND c\n')
    (tmp_path / 'en.dic').write_text(
        '5\nhello/MS\n1th/tc\nand\\/or\nworld po:noun\n# comment\nAachen/M\n')
    assert read_word_list(str(tmp_path / 'en.dic')) == [
        'hello', 'and/or', 'world', 'Aachen']
    (tmp_path / 'plain.txt').write_text('cat\n\n dog \nAaron\'s\n')
    assert read_word_list(str(tmp_path / 'plain.txt')) == [
        'cat', 'dog', "Aaron's"]


def test_missing_word_list_names_package(tmp_path, monkeypatch):
    path = str(tmp_path / 'american-english')
    monkeypatch.setitem(WORD_LISTS, path, 'wamerican')
    with pytest.raises(MissingWordListError,
                       match='apt-get install -y wamerican'):
        WordCorpus(word_lists=[path])


def test_held_out_words_disjoint():
    words = [''.join(p) for p in itertools.product('abcd', repeat=4)]
    words += [w.upper() for w in words]
    train = WordCorpus(word_lists=(), words=words, split='train')
    val = WordCorpus(word_lists=(), words=words, split='val')
    folded = {w.lower() for w in train.words}
    assert folded and not folded & {w.lower() for w in val.words}
    assert len(train) + len(val) == len(words)
    assert 0.03 < len(val) / len(words) < 0.2  # ~10%
    assert all(is_val_word(w) for w in val.words)


def test_samples_alnum_within_length():
    corpus = WordCorpus(word_lists=(), words=['hello', "it's", 'ab-c', 'Zoë',
                                              'x' * 30], split='all',
                        max_len=12)
    assert corpus.words == ('hello', )  # others: chars or length
    rng = np.random.default_rng(0)
    texts = [corpus.sample(rng) for _ in range(500)]
    alnum = set(string.ascii_letters + string.digits)
    assert all(set(t) <= alnum and 1 <= len(t) <= 12 for t in texts)
    share = sum(t.lower() != 'hello' for t in texts) / len(texts)
    assert 0.2 < share < 0.4  # random_share=0.3
    assert {'hello', 'HELLO', 'Hello'} <= set(texts)  # case variants
    assert any(t.isdigit() for t in texts)
    assert any(t != t.lower() and t != t.upper() for t in texts)


def test_train_random_strings_avoid_held_out_words():
    two = [''.join(p) for p in itertools.product(string.ascii_lowercase,
                                                 repeat=2)]
    held_out = {w for w in two if is_val_word(w)}
    corpus = WordCorpus(word_lists=(), words=two, split='train',
                        random_share=1.0, min_len=2, max_len=2)
    rng = np.random.default_rng(1)
    drawn = {corpus.sample(rng).lower() for _ in range(3000)}
    assert held_out and not drawn & held_out


def test_debian_word_lists():
    try:
        corpus = WordCorpus(split='train')
    except MissingWordListError as err:
        pytest.skip(str(err))
    assert len(corpus) > 50000
    assert not any(is_val_word(w) for w in corpus.words[:1000])


def test_marks_keep_the_alphanumerics_in_order():
    corpus = WordCorpus(word_lists=(), words=['hello', 'world'], split='all',
                        random_share=0.3, mark_share=0.5, max_len=12)
    rng = np.random.default_rng(3)
    texts = [corpus.sample(rng) for _ in range(2000)]
    allowed = set(string.ascii_letters + string.digits + MARKS)
    assert all(set(t) <= allowed for t in texts)
    marked = [t for t in texts if not t.isalnum()]
    assert 0.4 < len(marked) / len(texts) < 0.6  # mark_share=0.5
    for kind in ("'s", '-', '$', '%', '(', '"'):
        assert any(kind in t for t in marked), kind
    for t in marked:
        core = ''.join(c for c in t if c.isalnum())
        assert 1 <= len(core) <= 12 and any(c.isalnum() for c in t)
    compounds = [t for t in marked if t.count('-') == 1
                 and t.replace('-', '').isalpha()]
    assert compounds and all(
        t.split('-')[1].lower() in ('hello', 'world') for t in compounds)


def test_no_marks_leaves_the_text_stream_unchanged():
    words = ['hello', 'world', 'cat']
    plain = WordCorpus(word_lists=(), words=words, split='all')
    zero = WordCorpus(word_lists=(), words=words, split='all', mark_share=0)
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    assert [plain.sample(a) for _ in range(200)] == [
        zero.sample(b) for _ in range(200)]
    with pytest.raises(ValueError, match='mark_share'):
        WordCorpus(word_lists=(), words=words, mark_share=1.5)
