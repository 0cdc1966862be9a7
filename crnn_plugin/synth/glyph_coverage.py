"""Which characters a font really draws (no tofu boxes in the labels).

A character counts as covered by a font when

1. the font's cmap maps it to a glyph (read with fontTools when it is
   installed - it comes with matplotlib, an MMEngine dependency), and
2. its rendering has ink and differs from the rendering of the font's
   ``.notdef`` glyph (obtained by drawing a private-use code point no Latin
   font maps), which catches empty or tofu-like glyphs behind a cmap entry.

The word generator re-draws every sample whose text is not fully covered by
the chosen font, so labels never describe a tofu box.
"""
from functools import lru_cache
from typing import FrozenSet, Iterable, Optional

from PIL import ImageFont

from .fonts import BUILTIN_FONT

#: Private-use code point (plane 16) that no Latin font maps: drawn as
#: ``.notdef``.
NOTDEF_PROBE = '\U0010FFFD'

#: Pixel size at which coverage is checked.
COVERAGE_SIZE = 32


@lru_cache(maxsize=4096)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Load (cached per process) a font at ``size`` px.

    Uses Pillow's basic layout (no libraqm), which is faster for the short
    Latin words rendered here and gives identical output on every machine.

    Args:
        path (str): Font file, or :data:`~.fonts.BUILTIN_FONT` for Pillow's
            bundled font.
        size (int): Size in pixels (em size).

    Returns:
        PIL.ImageFont.FreeTypeFont: The font.
    """
    if path == BUILTIN_FONT:
        font = ImageFont.load_default(size=size)
        if not isinstance(font, ImageFont.FreeTypeFont):
            raise RuntimeError('Pillow >= 10.1 with FreeType is needed for '
                               'the built-in scalable font')
        return font
    return ImageFont.truetype(
        path, size, layout_engine=ImageFont.Layout.BASIC)


def glyph_key(font: ImageFont.FreeTypeFont, char: str) -> Optional[tuple]:
    """Bitmap of ``char`` as a hashable key; ``None`` if it has no ink."""
    mask, offset = font.getmask2(char, mode='L')
    if mask.size[0] == 0 or mask.size[1] == 0 or mask.getbbox() is None:
        return None
    return mask.size, offset, bytes(mask)


def _cmap_codepoints(path: str) -> Optional[FrozenSet[int]]:
    """Code points in the font's cmap, or ``None`` when not checkable."""
    if path == BUILTIN_FONT:
        return None
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # the rendering test alone decides
        return None
    with TTFont(path, lazy=True, fontNumber=0) as tt:
        cmap = tt.getBestCmap() or {}
    return frozenset(cmap)


def renders_glyph(path: str, char: str, size: int = COVERAGE_SIZE) -> bool:
    """Whether ``char`` renders with ink and unlike ``.notdef``.

    Args:
        path (str): Font file (or :data:`~.fonts.BUILTIN_FONT`).
        char (str): One character.
        size (int): Pixel size. Defaults to :data:`COVERAGE_SIZE`.

    Returns:
        bool: True if the glyph is a real drawing.

    Example:
        >>> from crnn_plugin.synth.fonts import BUILTIN_FONT
        >>> renders_glyph(BUILTIN_FONT, 'a'), renders_glyph(BUILTIN_FONT,
        ...                                                 '\\u4e2d')
        (True, False)
    """
    font = load_font(path, size)
    key = glyph_key(font, char)
    return key is not None and key != glyph_key(font, NOTDEF_PROBE)


@lru_cache(maxsize=None)  # one small set per font file: all of them stay
def _coverage(path: str, chars: str) -> FrozenSet[str]:
    cmap = _cmap_codepoints(path)
    font = load_font(path, COVERAGE_SIZE)
    notdef = glyph_key(font, NOTDEF_PROBE)
    covered = set()
    for char in chars:
        if cmap is not None and ord(char) not in cmap:
            continue
        key = glyph_key(font, char)
        if key is not None and key != notdef:
            covered.add(char)
    return frozenset(covered)


def font_coverage(path: str, chars: Iterable[str]) -> FrozenSet[str]:
    """The characters of ``chars`` that the font covers (cached).

    Args:
        path (str): Font file (or :data:`~.fonts.BUILTIN_FONT`).
        chars (Iterable[str]): Candidate characters.

    Returns:
        frozenset[str]: The covered ones.

    Example:
        >>> from crnn_plugin.synth.fonts import BUILTIN_FONT
        >>> sorted(font_coverage(BUILTIN_FONT, 'ab\\u4e2d'))
        ['a', 'b']
    """
    return _coverage(path, ''.join(sorted(set(chars))))
