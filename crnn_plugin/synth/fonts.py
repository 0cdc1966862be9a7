"""Font families of the Debian font packages used by the word renderer.

Every family lists the Debian package that ships it and the file-name
patterns below the font root (``/usr/share/fonts``), so a run is
reproducible from the package list alone (fontconfig is not consulted).
The families are split once, here, into those used for training and those
**held out** for validation (:data:`HELD_OUT_FAMILIES`). Clones of a
held-out design are not trained on either (e.g. no Century Schoolbook
clone other than C059 is installed), so validation on held-out families
measures generalisation to unseen type designs.

=========================  ===================  ==========================
Family                     Debian package       Split
=========================  ===================  ==========================
DejaVu Sans (+Condensed)   fonts-dejavu         train
DejaVu Serif (+Condensed)  fonts-dejavu         train
DejaVu Sans Mono           fonts-dejavu         train
Liberation Sans            fonts-liberation     train
Liberation Sans Narrow     fonts-liberation     train
Liberation Serif           fonts-liberation     train
Liberation Mono            fonts-liberation     train
FreeSans                   fonts-freefont-ttf   train
FreeSerif                  fonts-freefont-ttf   train
FreeMono                   fonts-freefont-ttf   train
Noto Sans (+Display)       fonts-noto-core      train
Nimbus Sans                fonts-urw-base35     train
Nimbus Sans Narrow         fonts-urw-base35     train
Nimbus Roman               fonts-urw-base35     train
Nimbus Mono PS             fonts-urw-base35     train
P052 (Palatino design)     fonts-urw-base35     train
Z003 (Zapf Chancery)       fonts-urw-base35     train
Noto Serif (+Display)      fonts-noto-core      held out
C059 (Century Schoolbook)  fonts-urw-base35     held out
URW Bookman                fonts-urw-base35     held out
URW Gothic (Avant Garde)   fonts-urw-base35     held out
=========================  ===================  ==========================

A missing family raises :class:`MissingFontError` naming the packages to
install (``apt-get install -y ...``), unless missing families are allowed
explicitly.
"""
import glob
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

#: Root below which the Debian packages install their fonts.
DEFAULT_FONT_ROOT = '/usr/share/fonts'

#: Pseudo path of Pillow's bundled scalable font (Aileron Regular; needs
#: Pillow >= 10.1 with FreeType). Not a Debian font: used by tests and by
#: callers that pass it explicitly, never selected by a split.
BUILTIN_FONT = '<pillow-builtin>'


@dataclass(frozen=True)
class FontFamily:
    """A font family as installed by one Debian package.

    Args:
        name (str): Family name.
        package (str): Debian package that installs it.
        patterns (tuple[str, ...]): Glob patterns relative to the font
            root; all matching files belong to the family.
        held_out (bool): Reserved for validation. Defaults to False.
    """
    name: str
    package: str
    patterns: Tuple[str, ...]
    held_out: bool = False


_DJ = 'truetype/dejavu/'
_LIB = 'truetype/liberation/'
_FREE = 'truetype/freefont/'
_NOTO = 'truetype/noto/'
_URW = 'opentype/urw-base35/'

#: All families, in a fixed order (sample draws depend on it).
FONT_FAMILIES: Tuple[FontFamily, ...] = (
    FontFamily('DejaVu Sans', 'fonts-dejavu',
               (_DJ + 'DejaVuSans.ttf', _DJ + 'DejaVuSans-*.ttf',
                _DJ + 'DejaVuSansCondensed*.ttf')),
    FontFamily('DejaVu Serif', 'fonts-dejavu', (_DJ + 'DejaVuSerif*.ttf', )),
    FontFamily('DejaVu Sans Mono', 'fonts-dejavu',
               (_DJ + 'DejaVuSansMono*.ttf', )),
    FontFamily('Liberation Sans', 'fonts-liberation',
               (_LIB + 'LiberationSans-*.ttf', )),
    FontFamily('Liberation Sans Narrow', 'fonts-liberation',
               (_LIB + 'LiberationSansNarrow-*.ttf', )),
    FontFamily('Liberation Serif', 'fonts-liberation',
               (_LIB + 'LiberationSerif-*.ttf', )),
    FontFamily('Liberation Mono', 'fonts-liberation',
               (_LIB + 'LiberationMono-*.ttf', )),
    FontFamily('FreeSans', 'fonts-freefont-ttf', (_FREE + 'FreeSans*.ttf', )),
    FontFamily('FreeSerif', 'fonts-freefont-ttf',
               (_FREE + 'FreeSerif*.ttf', )),
    FontFamily('FreeMono', 'fonts-freefont-ttf', (_FREE + 'FreeMono*.ttf', )),
    FontFamily('Noto Sans', 'fonts-noto-core',
               (_NOTO + 'NotoSans-*.ttf', _NOTO + 'NotoSansDisplay-*.ttf')),
    FontFamily('Nimbus Sans', 'fonts-urw-base35',
               (_URW + 'NimbusSans-*.otf', )),
    FontFamily('Nimbus Sans Narrow', 'fonts-urw-base35',
               (_URW + 'NimbusSansNarrow-*.otf', )),
    FontFamily('Nimbus Roman', 'fonts-urw-base35',
               (_URW + 'NimbusRoman-*.otf', )),
    FontFamily('Nimbus Mono PS', 'fonts-urw-base35',
               (_URW + 'NimbusMonoPS-*.otf', )),
    FontFamily('P052', 'fonts-urw-base35', (_URW + 'P052-*.otf', )),
    FontFamily('Z003', 'fonts-urw-base35', (_URW + 'Z003-*.otf', )),
    # Held out for validation.
    FontFamily('Noto Serif', 'fonts-noto-core',
               (_NOTO + 'NotoSerif-*.ttf', _NOTO + 'NotoSerifDisplay-*.ttf'),
               held_out=True),
    FontFamily('C059', 'fonts-urw-base35', (_URW + 'C059-*.otf', ),
               held_out=True),
    FontFamily('URW Bookman', 'fonts-urw-base35',
               (_URW + 'URWBookman-*.otf', ), held_out=True),
    FontFamily('URW Gothic', 'fonts-urw-base35',
               (_URW + 'URWGothic-*.otf', ), held_out=True),
)

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
    """
    path: str
    family: str


def families_of_split(split: str) -> List[FontFamily]:
    """Families used by ``split``: 'train', 'val' (held out) or 'all'.

    Example:
        >>> [f.name for f in families_of_split('val')]
        ['Noto Serif', 'C059', 'URW Bookman', 'URW Gothic']
    """
    if split not in FONT_SPLITS:
        raise ValueError(f'split must be one of {FONT_SPLITS}, got {split!r}')
    return [
        f for f in FONT_FAMILIES
        if split == 'all' or f.held_out == (split == 'val')
    ]


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
            for p in glob.glob(osp.join(font_root, pattern))
        })
        if not paths:
            missing.append(family)
        files.extend(FontFile(p, family.name) for p in paths)
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
