"""Glyph coverage: real glyphs vs .notdef, and re-draws (no tofu)."""
import string

import pytest
from synth_helpers import BUILTIN, debian_fonts, tiny_corpus

from crnn_plugin.synth import (BUILTIN_FONT, CHARSET_CHARS, FontFile,
                               SynthWordGenerator, WordCorpus, font_coverage,
                               renders_glyph)
from crnn_plugin.synth import glyph_coverage

ALNUM = CHARSET_CHARS['alnum']


def test_builtin_font_covers_alnum_only():
    assert font_coverage(BUILTIN_FONT, ALNUM) == frozenset(ALNUM)
    assert not renders_glyph(BUILTIN_FONT, '\u4e2d')  # CJK: .notdef
    assert not renders_glyph(BUILTIN_FONT, ' ')  # no ink


@pytest.fixture(scope='module')
def lowercase_font(tmp_path_factory):
    """The built-in font subset to lower-case letters (fontTools)."""
    subset = pytest.importorskip('fontTools.subset')
    from synth_helpers import builtin_font_bytes
    src = tmp_path_factory.mktemp('font') / 'full.ttf'
    src.write_bytes(builtin_font_bytes())
    out = src.parent / 'lower.ttf'
    subset.main([str(src), f'--text={string.ascii_lowercase}',
                 f'--output-file={out}', '--notdef-outline'])
    return str(out)


@pytest.mark.parametrize('use_cmap', [True, False])
def test_missing_glyphs_detected(lowercase_font, monkeypatch, use_cmap):
    if not use_cmap:  # the .notdef rendering comparison alone decides
        monkeypatch.setattr(glyph_coverage, '_cmap_codepoints',
                            lambda path: None)
        glyph_coverage._coverage.cache_clear()
    covered = font_coverage(lowercase_font, ALNUM)
    glyph_coverage._coverage.cache_clear()
    assert covered == frozenset(string.ascii_lowercase)
    assert not renders_glyph(lowercase_font, 'A')
    assert not renders_glyph(lowercase_font, '7')


def test_generator_redraws_uncovered_text(lowercase_font):
    corpus = WordCorpus(word_lists=(), words=['abc', 'XYZ', 'q7'],
                        split='all', random_share=0.2)
    fonts = [FontFile(lowercase_font, 'lower')] + BUILTIN
    gen = SynthWordGenerator(corpus, fonts, charset='alnum', seed=0)
    redraws = 0
    for i in range(150):
        text, font, n = gen.draw_text_and_font(gen.rng(i))
        redraws += n
        if font.path == lowercase_font:
            assert set(text) <= set(string.ascii_lowercase)
    assert redraws > 0
    lonely = SynthWordGenerator(
        WordCorpus(word_lists=(), words=['XYZ'], random_share=0,
                   split='all', case_probs=(1, 0, 0, 0)), fonts[:1],
        max_redraws=5)
    with pytest.raises(RuntimeError, match='5 draws without a font'):
        lonely(0)


def _assert_no_tofu(gen, num):
    for i in range(num):
        sample = gen(i)
        for char in sample.text:
            assert renders_glyph(sample.font.path, char), \
                (sample.text, sample.font)
        assert sample.label == gen.label_of(sample.text)


def test_label_chars_render_builtin():
    _assert_no_tofu(SynthWordGenerator(tiny_corpus(random_share=0.5),
                                       BUILTIN, charset='alnum'), 20)


@pytest.mark.parametrize('split', ['train', 'val'])
def test_label_chars_render_debian_fonts(split):
    fonts = debian_fonts(split)
    for font in fonts:  # every font of the split draws all 62 characters
        assert font_coverage(font.path, ALNUM) == frozenset(ALNUM), font
    _assert_no_tofu(SynthWordGenerator(tiny_corpus(random_share=0.5), fonts,
                                       charset='alnum', seed=1), 40)


def test_prepared_coverage_is_not_computed_again(lowercase_font, tmp_path,
                                                 monkeypatch):
    """``prepare`` computes each font file's coverage once, however many
    files (the training split has ~1,400): drawing never parses a font's
    tables again (a cache smaller than the number of font files would
    make every worker re-read them, a third of the rendering time).
    """
    fonts = []
    for i in range(1100):
        link = tmp_path / f'font{i}.ttf'
        link.symlink_to(lowercase_font)
        fonts.append(FontFile(str(link), f'family{i % 50}'))
    parsed = []
    cmap = glyph_coverage._cmap_codepoints
    monkeypatch.setattr(glyph_coverage, '_cmap_codepoints',
                        lambda path: parsed.append(path) or cmap(path))
    glyph_coverage._coverage.cache_clear()
    corpus = WordCorpus(word_lists=(), words=['abc', 'word', 'lower'],
                        split='all', random_share=0)
    gen = SynthWordGenerator(corpus, fonts, charset='lower_digits',
                             seed=0).prepare()
    assert sorted(parsed) == sorted(f.path for f in fonts)
    for i in range(300):
        gen.draw_text_and_font(gen.rng(i))
    assert len(parsed) == len(fonts)
    glyph_coverage._coverage.cache_clear()
