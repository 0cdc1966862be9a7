#!/usr/bin/env python
"""Build the font catalog of the word renderer from installed Debian packages.

For every font file (``.ttf``/``.otf``) of the given Debian packages the
family is read from the font's name table (typographic family, else family;
weight and slant words stripped, so "Lato Light" and "Lato" are one family),
and the file is kept only if the font really draws all 62 alphanumerics
(:func:`crnn_plugin.synth.glyph_coverage.font_coverage`) with 36 case-folded
glyphs that look different (dingbat, barcode and symbol fonts fail). Each
family is then assigned to ``train`` or ``val`` (held out) by
:func:`crnn_plugin.synth.fonts.split_of_family`. Output: a TSV
(family, package, split, ``;``-joined file paths below the font root), the
file :data:`crnn_plugin.synth.fonts.CATALOG_PATH` reads.

Example:
  python tools/data/font_catalog.py --packages-file \\
      crnn_plugin/synth/font_packages.txt -o crnn_plugin/synth/font_catalog.tsv
"""
import argparse
import os.path as osp
import re
import string
import subprocess
import sys
from collections import defaultdict
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

#: Words at the end of a family name that name a weight, width or slant of
#: the same design.
STYLE_WORDS = re.compile(
    r'(\s+(thin|hairline|extralight|extra light|ultralight|ultra light|'
    r'light|book|regular|normal|medium|semibold|semi bold|demibold|demi|'
    r'bold|extrabold|extra bold|ultrabold|black|heavy|italic|oblique|'
    r'it|sc|semibd|lt|md|bd|blk))+$', re.IGNORECASE)


def family_key(name: str) -> str:
    """Family name without weight/slant words.

    Example:
        >>> family_key('Lato Semibold'), family_key('Open Sans Light')
        ('Lato', 'Open Sans')
    """
    return STYLE_WORDS.sub('', name.strip()).strip() or name.strip()


def package_fonts(package: str, font_root: str) -> List[str]:
    """Font files that ``dpkg -L`` lists for ``package`` below the root."""
    out = subprocess.run(['dpkg', '-L', package], capture_output=True,
                         text=True, check=False).stdout.split('\n')
    return sorted(p for p in out
                  if p.lower().endswith(('.ttf', '.otf'))
                  and p.startswith(font_root.rstrip('/') + '/')
                  and '/fonts/' in p and osp.isfile(p))


def read_family(path: str) -> Optional[str]:
    """The font's (typographic) family name, or None if unreadable."""
    from fontTools.ttLib import TTFont
    try:
        with TTFont(path, lazy=True, fontNumber=0) as tt:
            names = tt['name']
            return names.getDebugName(16) or names.getDebugName(1)
    except Exception:  # a broken file is simply not catalogued
        return None


def draws_alnum(path: str) -> bool:
    """Whether the font draws 0-9, a-z, A-Z with distinct folded glyphs."""
    from crnn_plugin.synth.glyph_coverage import (glyph_key, font_coverage,
                                                  load_font)
    alnum = string.digits + string.ascii_letters
    try:
        if len(font_coverage(path, alnum)) < len(alnum):
            return False
        font = load_font(path, 32)
        keys = {glyph_key(font, c) for c in string.digits +
                string.ascii_lowercase}
    except OSError:
        return False
    return len(keys) >= 34  # 0/o and 1/l may look alike


def build_catalog(packages: List[str],
                  font_root: str) -> List[Tuple[str, str, str, List[str]]]:
    """Rows (family, package, split, relative paths) sorted by family.

    A family found in several packages keeps the first package's files.
    """
    from crnn_plugin.synth.fonts import split_of_family
    files: Dict[str, Tuple[str, List[str]]] = {}
    rejected = defaultdict(int)
    for package in packages:
        paths = package_fonts(package, font_root)
        if not paths:
            print(f'warning: {package}: no font files (not installed?)',
                  file=sys.stderr)
        for path in paths:
            name = read_family(path)
            if name is None or not draws_alnum(path):
                rejected[package] += 1
                continue
            family = family_key(name)
            owner = files.setdefault(family, (package, []))
            if owner[0] == package:
                owner[1].append(osp.relpath(path, font_root))
    rows = [(family, pkg, split_of_family(family, pkg), sorted(paths))
            for family, (pkg, paths) in sorted(files.items())]
    print(f'{len(rows)} families from {len({r[1] for r in rows})} packages; '
          f'{sum(rejected.values())} files rejected (glyph coverage or '
          'unreadable)', file=sys.stderr)
    return rows


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('--packages-file', required=True,
                        help='Debian packages, one per line (# comments)')
    parser.add_argument('-o', '--out', required=True, help='output TSV')
    parser.add_argument('--font-root', default='/usr/share')
    args = parser.parse_args(argv)
    with open(args.packages_file, encoding='utf-8') as f:
        packages = [ln.split('#')[0].strip() for ln in f]
    rows = build_catalog([p for p in packages if p], args.font_root)
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write('# family\tpackage\tsplit\tfiles (below the font root)\n')
        for family, package, split, paths in rows:
            f.write(f'{family}\t{package}\t{split}\t{";".join(paths)}\n')
    held = sum(r[2] == 'val' for r in rows)
    print(f'wrote {args.out}: {len(rows) - held} train, {held} held-out '
          'families')
    return 0


if __name__ == '__main__':
    sys.exit(main())
