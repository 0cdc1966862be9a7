"""MJSynth-style synthetic word images (Jaderberg et al., 2014).

Words from Debian word lists plus random strings (:mod:`.corpus`), fonts of
Debian font packages with a held-out validation split (:mod:`.fonts`),
glyph-coverage checks (:mod:`.glyph_coverage`), the renderer
(:mod:`.text_layer`, :mod:`.backgrounds`, :mod:`.degrade`, :mod:`.render`,
parameters in :mod:`.style`) and a deterministic, multiprocess sample
generator (:mod:`.generator`). CLI: ``tools/data/synth_text.py``.
"""
from .corpus import (CHARSET_CHARS, MARKS, SHOWN_CHARS, WORD_LISTS,
                     MissingWordListError, WordCorpus, is_val_word,
                     read_word_list)
from .fonts import (BUILTIN_FONT, FONT_FAMILIES, HELD_OUT_FAMILIES,
                    FontFamily, FontFile, MissingFontError, families_of_split,
                    find_font_files)
from .generator import SynthSample, SynthWordGenerator, iter_encoded
from .glyph_coverage import font_coverage, load_font, renders_glyph
from .render import render_word
from .style import CLEAN_STYLE, MJSYNTH_STYLE, RenderStyle

__all__ = [
    'CHARSET_CHARS', 'MARKS', 'SHOWN_CHARS', 'WORD_LISTS',
    'MissingWordListError', 'WordCorpus',
    'is_val_word', 'read_word_list', 'BUILTIN_FONT', 'FONT_FAMILIES',
    'HELD_OUT_FAMILIES', 'FontFamily', 'FontFile', 'MissingFontError',
    'families_of_split', 'find_font_files', 'SynthSample',
    'SynthWordGenerator', 'iter_encoded', 'font_coverage', 'load_font',
    'renders_glyph', 'render_word', 'CLEAN_STYLE', 'MJSYNTH_STYLE',
    'RenderStyle'
]
