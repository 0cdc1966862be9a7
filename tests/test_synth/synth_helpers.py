"""Plain helpers for synth tests: a fake Debian font tree, tiny corpora.

The fake tree holds Pillow's bundled font (Aileron) under every file name
pattern of :data:`crnn_plugin.synth.FONT_FAMILIES`, so font selection, the
train/held-out split and the CLI are tested without Debian font packages.
"""
import os
import os.path as osp
from typing import Dict

import pytest
from PIL import ImageFont

from crnn_plugin.synth import (FONT_FAMILIES, FontFile, WordCorpus,
                               find_font_files)
from crnn_plugin.synth.fonts import BUILTIN_FONT


def builtin_font_bytes() -> bytes:
    """The TrueType bytes of Pillow's bundled scalable font."""
    font = ImageFont.load_default(size=10)
    source = getattr(font, 'path', None)
    if not hasattr(source, 'getvalue'):
        pytest.skip('this Pillow does not expose its built-in font bytes')
    return source.getvalue()


def make_fake_font_root(root: str, families=None) -> Dict[str, str]:
    """Write one copy of the built-in font per family (pattern ``*`` ->
    ``Fake``) below ``root``; return ``{path: family}``."""
    data = builtin_font_bytes()
    made = {}
    for family in FONT_FAMILIES:
        if families is not None and family.name not in families:
            continue
        rel = family.patterns[0].replace('*', 'Fake')
        path = osp.join(root, rel)
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
        made[path] = family.name
    return made


def debian_fonts(split: str = 'train'):
    """The installed Debian fonts of ``split`` (skip the test if absent)."""
    try:
        return find_font_files(split)
    except FileNotFoundError as err:
        pytest.skip(f'Debian fonts not installed: {err}')


BUILTIN = [FontFile(BUILTIN_FONT, 'Aileron')]

WORDS = ['hello', 'World', 'CRNN', 'paper', 'Rome', 'x', 'synthetic',
         'image', 'Jaderberg', 'lmdb']


def tiny_corpus(**kwargs) -> WordCorpus:
    """A corpus of :data:`WORDS` that needs no Debian word list."""
    kwargs.setdefault('split', 'all')
    return WordCorpus(word_lists=(), words=WORDS, **kwargs)
