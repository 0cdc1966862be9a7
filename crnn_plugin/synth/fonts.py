"""Font families of the Debian font packages used by the word renderer.

The families live in a catalog, :data:`CATALOG_PATH` (a TSV of family,
Debian package, split and font files below the font root), built from the
packages in ``font_packages.txt`` by ``tools/data/font_catalog.py``: every
``.ttf``/``.otf`` file of those packages whose font draws all 62
alphanumerics with distinct glyphs, grouped by the family name in the font
(weights and slants of one design are one family). A run is reproducible
from the package list alone (fontconfig is not consulted).

About 12% of the families are **held out** for validation
(:func:`split_of_family`): chosen by a stable hash of the family name, plus
a fixed set of designs. Metric clones of one design (Helvetica, Times,
Courier, ... as shipped by URW, TeX Gyre, GNU FreeFont, Liberation and
Croscore) share one split, so a held-out design is never trained on under
another name.

A missing family raises :class:`MissingFontError` naming the packages to
install (``apt-get install -y ...``), unless missing families are allowed
explicitly.
"""
import glob
import os.path as osp
import zlib
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

#: Root below which the Debian packages install their fonts (``fonts/``,
#: and ``texmf/fonts/`` for the TeX families).
DEFAULT_FONT_ROOT = '/usr/share'

#: Pseudo path of Pillow's bundled scalable font (Aileron Regular; needs
#: Pillow >= 10.1 with FreeType). Not a Debian font: used by tests and by
#: callers that pass it explicitly, never selected by a split.
BUILTIN_FONT = '<pillow-builtin>'

#: The catalog of families (see the module docstring).
CATALOG_PATH = osp.join(osp.dirname(__file__), 'font_catalog.tsv')

#: Percent of families held out by hash.
VAL_PERCENT = 12

#: Designs held out whatever the hash says (the validation families of the
#: first text model, kept so old and new models share a yardstick).
HELD_OUT_DESIGNS = ('Noto Serif', 'Century Schoolbook', 'Bookman',
                    'Avant Garde')

#: Families that are clones of one design -> that design.
CLONES: Dict[str, str] = {
    **dict.fromkeys(('Nimbus Sans', 'Nimbus Sans Narrow', 'TeX Gyre Heros',
                     'TeX Gyre Heros Cn', 'FreeSans', 'Liberation Sans',
                     'Liberation Sans Narrow', 'Arimo'), 'Helvetica'),
    **dict.fromkeys(('Nimbus Roman', 'TeX Gyre Termes', 'FreeSerif',
                     'Liberation Serif', 'Tinos'), 'Times'),
    **dict.fromkeys(('Nimbus Mono PS', 'TeX Gyre Cursor', 'FreeMono',
                     'Liberation Mono', 'Cousine'), 'Courier'),
    **dict.fromkeys(('P052', 'TeX Gyre Pagella'), 'Palatino'),
    **dict.fromkeys(('Z003', 'TeX Gyre Chorus'), 'Zapf Chancery'),
    **dict.fromkeys(('C059', 'TeX Gyre Schola'), 'Century Schoolbook'),
    **dict.fromkeys(('URW Bookman', 'TeX Gyre Bonum'), 'Bookman'),
    **dict.fromkeys(('URW Gothic', 'TeX Gyre Adventor'), 'Avant Garde'),
    **dict.fromkeys(('Noto Serif', 'Noto Serif Display'), 'Noto Serif'),
}


#: Packages whose families are distinct designs, split family by family.
#: Any other package is one design (its families are weights, widths or
#: series of one typeface, e.g. Roadgeek's highway series) and is split as
#: a whole.
MULTI_DESIGN_PACKAGES = ('fonts-aenigma', 'fonts-urw-base35',
                         'fonts-noto-core', 'fonts-freefont-ttf',
                         'fonts-liberation', 'fonts-croscore',
                         'fonts-texgyre', 'fonts-dejavu-core',
                         'fonts-dejavu-extra')


def design_of(family: str, package: str) -> str:
    """The design a family renders: the unit of the train/held-out split.

    Args:
        family (str): Family name.
        package (str): Debian package that ships it.

    Returns:
        str: The clone group, else the family for packages of several
        designs (:data:`MULTI_DESIGN_PACKAGES`), else the package.

    Example:
        >>> design_of('TeX Gyre Schola', 'fonts-texgyre')
        'Century Schoolbook'
        >>> design_of('Roadgeek 2014 Series B', 'fonts-roadgeek')
        'fonts-roadgeek'
    """
    if family in CLONES:
        return CLONES[family]
    if family.startswith(('CMU ', 'Latin Modern ')):
        return 'Computer Modern'
    if package in MULTI_DESIGN_PACKAGES:
        return family
    return package


def split_of_family(family: str, package: str) -> str:
    """'val' if the family's design is held out, else 'train'.

    Example:
        >>> split_of_family('C059', 'fonts-urw-base35')
        'val'
        >>> split_of_family('TeX Gyre Schola', 'fonts-texgyre')
        'val'
    """
    design = design_of(family, package)
    if design in HELD_OUT_DESIGNS:
        return 'val'
    crc = zlib.crc32(design.lower().encode('utf-8'))
    return 'val' if crc % 100 < VAL_PERCENT else 'train'


@dataclass(frozen=True)
class FontFamily:
    """A font family as installed by one Debian package.

    Args:
        name (str): Family name.
        package (str): Debian package that installs it.
        patterns (tuple[str, ...]): Glob patterns (or plain paths) relative
            to the font root; all matching files belong to the family.
        held_out (bool): Reserved for validation. Defaults to False.
    """
    name: str
    package: str
    patterns: Tuple[str, ...]
    held_out: bool = False


def read_catalog(path: str = CATALOG_PATH) -> Tuple[FontFamily, ...]:
    """Families of a catalog TSV (see ``tools/data/font_catalog.py``).

    Args:
        path (str): The TSV. Defaults to :data:`CATALOG_PATH`.

    Returns:
        tuple[FontFamily, ...]: In file order.
    """
    families = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            name, package, split, files = line.rstrip('\n').split('\t')
            families.append(FontFamily(name, package,
                                       tuple(files.split(';')),
                                       held_out=split == 'val'))
    return tuple(families)


#: All families, in a fixed order (sample draws depend on it).
FONT_FAMILIES: Tuple[FontFamily, ...] = read_catalog()

#: Names of the families reserved for validation.
HELD_OUT_FAMILIES: Tuple[str, ...] = tuple(
    f.name for f in FONT_FAMILIES if f.held_out)

FONT_SPLITS = ('train', 'val', 'all')


class MissingFontError(FileNotFoundError):
    """Font families of a split are not installed.

    Args:
        families (list[FontFamily]): The missing families.
        font_root (str): Where they were looked for.
    """

    def __init__(self, families: Sequence[FontFamily],
                 font_root: str) -> None:
        self.families = list(families)
        self.packages = sorted({f.package for f in families})
        names = ', '.join(f.name for f in families)
        super().__init__(
            f'Font families not found under {font_root}: {names}. Install '
            f'the Debian package(s) {" ".join(self.packages)}: '
            f'apt-get install -y {" ".join(self.packages)}')


@dataclass(frozen=True)
class FontFile:
    """One font file and the family it belongs to.

    Args:
        path (str): File path, or :data:`BUILTIN_FONT`.
        family (str): Family name.
        package (str): Debian package that ships it ('' if unknown).
            Defaults to ''.
    """
    path: str
    family: str
    package: str = ''


def families_of_split(split: str) -> List[FontFamily]:
    """Families used by ``split``: 'train', 'val' (held out) or 'all'.

    Example:
        >>> held_out = [f.name for f in families_of_split('val')]
        >>> len(held_out) > 50, 'C059' in held_out, 'Lato' in held_out
        (True, True, False)
    """
    if split not in FONT_SPLITS:
        raise ValueError(f'split must be one of {FONT_SPLITS}, got {split!r}')
    return [
        f for f in FONT_FAMILIES
        if split == 'all' or f.held_out == (split == 'val')
    ]


def _matches(pattern: str) -> List[str]:
    """The file itself if it exists (catalog paths may hold ``[``), else
    the glob matches."""
    return [pattern] if osp.isfile(pattern) else glob.glob(pattern)


def find_font_files(split: str = 'train',
                    font_root: Optional[str] = None,
                    allow_missing: bool = False) -> List[FontFile]:
    """Font files of the families of ``split``, in a fixed order.

    Args:
        split (str): 'train', 'val' (held-out families) or 'all'.
            Defaults to 'train'.
        font_root (str, optional): Font root. Defaults to
            :data:`DEFAULT_FONT_ROOT`.
        allow_missing (bool): Skip families that are not installed instead
            of raising (at least one must be found). Defaults to False.

    Returns:
        list[FontFile]: Sorted by family order, then file name.

    Raises:
        MissingFontError: A family (any, unless ``allow_missing``) has no
            file; the message names the Debian packages to install.
    """
    font_root = font_root or DEFAULT_FONT_ROOT
    files: List[FontFile] = []
    missing: List[FontFamily] = []
    for family in families_of_split(split):
        paths = sorted({
            p
            for pattern in family.patterns
            for p in _matches(osp.join(font_root, pattern))
        })
        if not paths:
            missing.append(family)
        files.extend(FontFile(p, family.name, family.package) for p in paths)
    if missing and (not allow_missing or not files):
        raise MissingFontError(missing, font_root)
    return files


def group_by_family(files: Sequence[FontFile]) -> Dict[str, List[str]]:
    """``{family: [paths]}`` keeping the order of ``files``.

    Example:
        >>> group_by_family([FontFile('a.ttf', 'A'), FontFile('b.ttf', 'B'),
        ...                  FontFile('c.ttf', 'A')])
        {'A': ['a.ttf', 'c.ttf'], 'B': ['b.ttf']}
    """
    groups: Dict[str, List[str]] = {}
    for f in files:
        groups.setdefault(f.family, []).append(f.path)
    return groups
