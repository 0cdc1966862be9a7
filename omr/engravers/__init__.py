"""Several engravers and music fonts for the OMR score engine.

:func:`engrave_styled` draws a fragment (with its decorations,
:mod:`omr.decorate`) in a :func:`draw_style` style and crops it the way a
user would: the fragment's ink plus random margins, at a random staff
size, so the stored image is not normalised (the model's
``StaffNormalize`` step, or no step, decides what it sees).

Engravers and fonts:

- ``verovio`` (MEI -> SVG) with each music font it bundles: Leipzig,
  Bravura, Gootville, Leland, Petaluma; random staff line, stem, barline
  and ledger thicknesses, note spacing, beam slopes
  (:mod:`.verovio_style`);
- ``abcm2ps`` (ABC -> SVG, Debian package ``abcm2ps``) with its own glyphs,
  random note spacing, stem height and line widths (:mod:`.abc`);
- ``lilypond`` (LilyPond source -> SVG, Debian package ``lilypond``) with
  its Emmentaler font, random spacing and line widths (:mod:`.lilypond`);
- ``musescore`` (MusicXML -> MuseScore 3 -> SVG, Debian package
  ``musescore3``) with each music font it bundles (Emmentaler, Gonville,
  MuseJazz, Bravura), random spacing and line widths (:mod:`.musescore`).

Held-out split (the yardstick of ``tools/data/omr_heldout.py``): the font
``verovio/Leland`` (MuseScore 4's default font), the whole engraver
LilyPond, and MuseScore's Emmentaler (LilyPond's font too) and MuseJazz
are never used for training; training draws from :data:`TRAIN_STYLES`.
Corpus files stay split as in :mod:`omr.fragments` (validation pieces never
trained on).
Everything is deterministic for a given ``random.Random``.
"""
import random
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

from ..engrave import rasterize
from .abc import abcm2ps_available, fragment_abc, render_abc_svg
from .lilypond import (fragment_lilypond, lilypond_available, lilypond_style,
                       render_lilypond_svg)
from .musescore import (MUSESCORE_FONTS, musescore_available, musescore_style,
                        render_musescore_svg, render_musescore_svgs)
from .verovio_style import VEROVIO_FONTS, render_verovio, verovio_style

__all__ = ['ENGRAVERS', 'VEROVIO_FONTS', 'STYLES', 'TRAIN_STYLES',
           'HELD_OUT', 'draw_style', 'engrave_styled', 'engrave_styled_many',
           'render_styled_svg', 'rasterize_styled', 'natural_crop',
           'abcm2ps_available', 'missing_engravers']

ENGRAVERS = ('verovio', 'abcm2ps', 'lilypond', 'musescore')
#: Every engraver/font pair, named ``engraver/font``.
STYLES = tuple(f'verovio/{f}' for f in VEROVIO_FONTS) + (
    'abcm2ps/abcm2ps', 'lilypond/Emmentaler') + tuple(
        f'musescore/{f}' for f in MUSESCORE_FONTS)
#: Never drawn for training: fonts of trained engravers, one of them
#: (Emmentaler) in no trained style, and a whole engraver.
HELD_OUT = ('verovio/Leland', 'lilypond/Emmentaler', 'musescore/Emmentaler',
            'musescore/MuseJazz')
#: Engravers that are programs: their Debian package and the check that
#: they are installed.
PROGRAMS = dict(abcm2ps=('abcm2ps', abcm2ps_available),
                lilypond=('lilypond', lilypond_available),
                musescore=('musescore3', musescore_available))
TRAIN_STYLES = tuple(s for s in STYLES if s not in HELD_OUT)


def draw_style(rng: random.Random, styles: Sequence[str] = TRAIN_STYLES
               ) -> Dict:
    """A random engraving style: engraver, font, options, crop.

    Args:
        rng (random.Random): Source of the choices.
        styles (Sequence[str]): ``engraver/font`` names to draw from.
            Defaults to :data:`TRAIN_STYLES`.

    Returns:
        dict: ``name``, ``engraver``, ``font``, ``options`` (engraver
        options), ``space`` (staff space in px of the stored image) and
        ``margins`` (top, bottom, left, right, in staff spaces).
    """
    name = rng.choice(list(styles))
    engraver, font = name.split('/')
    if engraver == 'verovio':
        options = verovio_style(rng, font)
    elif engraver == 'lilypond':
        options = lilypond_style(rng)
    elif engraver == 'musescore':
        options = musescore_style(rng, font)
    else:
        options = dict(
            notespacingfactor=round(rng.uniform(1.2, 1.7), 2),
            stemheight=round(rng.uniform(18, 23), 1),
            staffwidth='40cm', stretchlast=0, topspace=0, titlespace=0,
            musicspace=0, dynalign=rng.choice((0, 1)),
            beamslope=round(rng.uniform(0.2, 0.6), 2))
    return dict(name=name, engraver=engraver, font=font, options=options,
                space=round(rng.uniform(5.0, 11.0), 2),
                margins=tuple(round(rng.uniform(lo, hi), 2) for lo, hi in (
                    (0.0, 2.0), (0.0, 2.0), (0.0, 3.0), (0.0, 3.0))))


def missing_engravers(styles: Sequence[str]) -> List[str]:
    """The engraver programs that ``styles`` need and this machine lacks
    (Debian package names)."""
    needed = {s.split('/')[0] for s in styles}
    return sorted(package for engraver, (package, installed)
                  in PROGRAMS.items() if engraver in needed
                  and not installed())


def natural_crop(gray: np.ndarray, space: float,
                 margins: Sequence[float]) -> np.ndarray:
    """The ink's bounding box plus ``margins`` staff spaces (top, bottom,
    left, right), padded with white where the raster ends."""
    rows = np.flatnonzero((gray < 160).any(axis=1))
    cols = np.flatnonzero((gray < 160).any(axis=0))
    if rows.size == 0:
        raise ValueError('empty rendering')
    top, bottom, left, right = (int(round(m * space)) for m in margins)
    img = np.pad(gray, ((top, bottom), (left, right)), constant_values=255)
    return img[rows[0]:rows[-1] + 1 + top + bottom,
               cols[0]:cols[-1] + 1 + left + right]


def render_styled_svg(frag: Dict, style: Dict) -> str:
    """SVG of a fragment engraved in ``style`` by the style's engraver.

    Args:
        frag (dict): A (decorated) fragment.
        style (dict): From :func:`draw_style`.

    Returns:
        str: The SVG document.
    """
    if style['engraver'] == 'verovio':
        return render_verovio(frag, style)
    if style['engraver'] == 'lilypond':
        return render_lilypond_svg(fragment_lilypond(frag, style))
    if style['engraver'] == 'musescore':
        return render_musescore_svg(frag, style)
    return render_abc_svg(fragment_abc(frag, style))


def rasterize_styled(svg: str, style: Dict) -> np.ndarray:
    """Grayscale image of an engraved SVG at the style's staff size,
    cropped with its margins (:func:`natural_crop`).

    Args:
        svg (str): From :func:`render_styled_svg`.
        style (dict): From :func:`draw_style`.

    Returns:
        np.ndarray: (H, W) uint8; the staff space is ``style['space']`` px.
    """
    from crnn_plugin.runtime.staff import find_staff_lines
    gray = rasterize(svg, 1.0)
    space = find_staff_lines(gray, angles=(0.0, )).space
    gray = rasterize(svg, style['space'] / space)
    return natural_crop(gray, style['space'], style['margins'])


def engrave_styled(frag: Dict, style: Dict) -> np.ndarray:
    """Grayscale uint8 image of a fragment in ``style`` (natural crop).

    Args:
        frag (dict): A (decorated) fragment.
        style (dict): From :func:`draw_style`.

    Returns:
        np.ndarray: (H, W) uint8; the staff space is ``style['space']`` px.
    """
    return rasterize_styled(render_styled_svg(frag, style), style)


def engrave_styled_many(frags: Sequence[Dict]
                        ) -> List[Union[np.ndarray, Exception]]:
    """Each fragment in its own style (``frag['style']``), as
    :func:`engrave_styled` draws it; the MuseScore fragments in one batch
    (:func:`.musescore.render_musescore_svgs`: the program starts twice
    for all of them, not twice per fragment).

    Args:
        frags (Sequence[dict]): Decorated fragments with a ``style``.

    Returns:
        list: Per fragment, its (H, W) uint8 image, or the exception that
        stopped it (engraver, rasterizer or staff detection).
    """
    svgs: List[Optional[Union[str, Exception]]] = [None] * len(frags)
    batch = [i for i, f in enumerate(frags)
             if f['style']['engraver'] == 'musescore']
    if batch:
        try:
            drawn = render_musescore_svgs([frags[i] for i in batch],
                                          [frags[i]['style'] for i in batch])
        except RuntimeError as e:  # MuseScore missing
            drawn = [e] * len(batch)
        for i, svg in zip(batch, drawn):
            svgs[i] = svg
    out: List[Union[np.ndarray, Exception]] = []
    for frag, svg in zip(frags, svgs):
        try:
            if isinstance(svg, Exception):
                raise svg
            out.append(rasterize_styled(
                render_styled_svg(frag, frag['style']) if svg is None
                else svg, frag['style']))
        except Exception as e:  # engraver/cairo/staff detection
            out.append(e)
    return out
