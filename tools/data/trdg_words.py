#!/usr/bin/env python
"""A held-out word set from another generator: TextRecognitionDataGenerator.

TRDG (``pip install trdg``; its own 100 font files, dictionary, background
photos and distortions) is never used for training: its words measure how
the text model reads images that our engine did not draw. The set mixes
TRDG's four background kinds (Gaussian noise, plain white, quasicrystal,
photos) in equal parts, each with random skew (up to 5 degrees), random
Gaussian blur (up to 1), random sine/cosine/random distortion on both axes
and text height 32. Python's ``random`` is seeded, but TRDG draws noise,
blur and photo crops from unseeded generators: a ``--preset clean`` run
repeats exactly; the others repeat the words of the first three background
kinds, not the images (keep the set made; a few photo-background images may
fail and be left out).
``--preset mild`` skews up to 2 degrees without distortion; ``--preset
clean`` draws dark text on plain white, without skew, blur or distortion.
About half of TRDG's font files are designs the text engine also trains on
(Debian's Lato, Open Sans, Roboto, Roboto Condensed, Bebas Neue);
``--unseen-designs`` draws only with the others, so the set holds out both
the generator and the type designs.
``--photos DIR`` draws every word on a photo from DIR instead of TRDG's
four (each scaled to 960 px wide, the size of TRDG's own, so a crop shows
about as much of it): a set whose backgrounds no part of the engine was
designed after, e.g. the nature photographs of Debian's mate-backgrounds::

    apt-get download mate-backgrounds && dpkg -x mate-backgrounds_*.deb mb
    /tmp/trdg/bin/python tools/data/trdg_words.py data/trdg_photos \
        --preset mild --num 500 --photos mb/usr/share/backgrounds/mate/nature

TRDG needs Pillow < 10 (it calls ``FreeTypeFont.getsize``), so it runs in a
venv of its own; the result goes into an LMDB with the project's converter::

    python -m venv /tmp/trdg && /tmp/trdg/bin/pip install trdg \\
        'pillow<10' 'numpy<2' 'opencv-python<4.11'
    /tmp/trdg/bin/python tools/data/trdg_words.py data/trdg --num 1000
    python tools/data/convert_to_lmdb.py data/trdg/labels.txt \\
        data/trdg/lmdb --img-root data/trdg
"""
import argparse
import os
import os.path as osp
import random
import re
import sys
import tempfile
from typing import Callable, List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

from crnn_plugin.synth.fonts import CATALOG_PATH, read_catalog  # noqa: E402

# TRDG options per preset: random skew up to N degrees, distortion kind
# (3 = random noise) and orientation (2 = both axes), random blur up to N.
PRESETS = {
    'harsh': ['-k', '5', '-rk', '-d', '3', '-do', '2', '-bl', '1', '-rbl'],
    'mild': ['-k', '2', '-rk', '-d', '0', '-bl', '1', '-rbl'],
    'clean': ['-k', '0', '-d', '0', '-bl', '0'],
}
# TRDG background kinds per preset (default: all four, 1 = plain white).
BACKGROUNDS = {'clean': (1,)}


def name_words(name: str) -> List[str]:
    """Lower-case words of a family name: ``'RobotoCondensed'`` and
    ``'Roboto Condensed'`` both give ``['roboto', 'condensed']``."""
    return re.sub(r'([a-z])([A-Z])', r'\1 \2', name).lower().split()


def unseen_fonts(font_dir: str, catalog: str = CATALOG_PATH) -> List[str]:
    """TRDG font files whose family is no training family of the catalog.

    A file matches a training family when one family name's words start
    the other's (``Bebas`` / ``Bebas Neue``, ``Roboto Condensed`` /
    ``Roboto``), so ``Aller`` and ``Allerta`` stay apart.
    """
    from PIL import ImageFont
    trained = [name_words(family.name) for family in read_catalog(catalog)
               if not family.held_out]
    keep = []
    for name in sorted(os.listdir(font_dir)):
        words = name_words(ImageFont.truetype(
            osp.join(font_dir, name), 12).getname()[0])
        if not any(words[:len(t)] == t or t[:len(words)] == words
                   for t in trained):
            keep.append(osp.join(font_dir, name))
    return keep


def scaled_photos(src: str, dst: str, width: int = 960) -> int:
    """Copy the images of ``src`` into ``dst`` as RGB JPEGs ``width`` wide.

    Returns:
        int: Number of images written (unreadable files are skipped).
    """
    from PIL import Image
    count = 0
    for name in sorted(os.listdir(src)):
        try:
            with Image.open(osp.join(src, name)) as img:
                img = img.convert('RGB')
                height = max(1, round(img.height * width / img.width))
                img.resize((width, height), Image.LANCZOS).save(
                    osp.join(dst, f'{count}.jpg'), quality=95)
            count += 1
        except OSError:
            print(f'skipped {name}: not an image', file=sys.stderr)
    return count


def draw(trdg_main: Callable[[], None], args: argparse.Namespace,
         fonts: List[str], photo_dir: Optional[str] = None) -> List[str]:
    """Run TRDG once per background kind of the preset (only photos from
    ``photo_dir`` when given).

    Returns:
        list[str]: ``bg<kind>/<file>\t<text>`` lines of the images written.
    """
    labels = []
    kinds = (3,) if photo_dir else BACKGROUNDS.get(args.preset, range(4))
    per_kind = -(-args.num // len(kinds))
    for i, kind in enumerate(kinds):
        count = min(per_kind, args.num - i * per_kind)
        part = osp.join(args.out_dir, f'bg{kind}')
        random.seed(args.seed * 4 + kind)
        sys.argv = ['trdg', '-c', str(count), '-w', '1', '-f', '32',
                    '-b', str(kind), *PRESETS[args.preset], '-na', '2',
                    '-t', '1', *fonts, '--output_dir', part]
        if photo_dir:
            sys.argv += ['-id', photo_dir]
        trdg_main()
        with open(osp.join(part, 'labels.txt'), encoding='utf-8') as f:
            for line in f:
                name, _, text = line.rstrip('\n').partition(' ')
                if text and osp.isfile(osp.join(part, name)):
                    labels.append(f'bg{kind}/{name}\t{text}')
    return labels


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('out_dir', help='output folder (images + labels.txt)')
    parser.add_argument('--num', type=int, default=1000,
                        help='number of images (default: 1000)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of Python random (default: 0)')
    parser.add_argument('--preset', choices=sorted(PRESETS), default='harsh',
                        help='skew, blur and distortion (default: harsh)')
    parser.add_argument('--unseen-designs', action='store_true',
                        help='only fonts of designs the engine never trains '
                        'on')
    parser.add_argument('--photos', metavar='DIR',
                        help='draw every word on a photo from DIR instead '
                        "of TRDG's backgrounds")
    args = parser.parse_args()
    try:
        from trdg.run import main as trdg_main
    except ImportError as err:
        print(f'error: trdg is not importable ({err}); see --help',
              file=sys.stderr)
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='trdg_') as tmp:
        fonts = []
        if args.unseen_designs:
            import trdg
            font_dir = osp.join(tmp, 'fonts')
            os.makedirs(font_dir)
            for path in unseen_fonts(osp.join(osp.dirname(trdg.__file__),
                                              'fonts', 'latin')):
                os.symlink(path, osp.join(font_dir, osp.basename(path)))
            fonts = ['--font_dir', font_dir]
            print(f'{len(os.listdir(font_dir))} font files of unseen designs')
        photo_dir = None
        if args.photos:
            photo_dir = osp.join(tmp, 'photos')
            os.makedirs(photo_dir)
            if not osp.isdir(args.photos) or not scaled_photos(
                    args.photos, photo_dir):
                print(f'error: no readable image in {args.photos}',
                      file=sys.stderr)
                return 2
        labels = draw(trdg_main, args, fonts, photo_dir)
    with open(osp.join(args.out_dir, 'labels.txt'), 'w',
              encoding='utf-8') as f:
        f.write('\n'.join(labels) + '\n')
    print(f'{len(labels)} images in {args.out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
