"""verovio with every bundled music font and random engraving options."""
import random
from typing import Dict

from ..engrave import VEROVIO_OPTIONS, fragment_mei

__all__ = ['VEROVIO_FONTS', 'verovio_style', 'render_verovio']

#: The SMuFL fonts verovio bundles (``verovio.toolkit().getResourcePath()``).
VEROVIO_FONTS = ('Leipzig', 'Bravura', 'Gootville', 'Leland', 'Petaluma')

_TOOLKIT = None


def verovio_style(rng: random.Random, font: str) -> Dict:
    """Random verovio options (font, spacing, line widths, beams)."""
    return dict(
        font=font,
        spacingLinear=round(rng.uniform(0.15, 0.4), 3),
        spacingNonLinear=round(rng.uniform(0.45, 0.75), 3),
        staffLineWidth=round(rng.uniform(0.1, 0.3), 3),
        stemWidth=round(rng.uniform(0.12, 0.35), 3),
        barLineWidth=round(rng.uniform(0.2, 0.5), 3),
        ledgerLineThickness=round(rng.uniform(0.15, 0.35), 3),
        beamMaxSlope=rng.randint(0, 20),
        dynamDist=round(rng.uniform(0.5, 2.0), 2),
        pageMarginLeft=rng.randint(0, 60))


def render_verovio(frag: Dict, style: Dict) -> str:
    """SVG of a fragment in a :func:`verovio_style` style."""
    global _TOOLKIT
    if _TOOLKIT is None:
        import verovio
        verovio.enableLog(verovio.LOG_ERROR)
        _TOOLKIT = verovio.toolkit()
    _TOOLKIT.resetOptions()
    _TOOLKIT.setOptions(dict(VEROVIO_OPTIONS, **style['options']))
    if not _TOOLKIT.loadData(fragment_mei(frag)):
        raise ValueError('verovio could not load the MEI')
    return _TOOLKIT.renderToSVG(1)
