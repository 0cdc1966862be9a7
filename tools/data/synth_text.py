#!/usr/bin/env python
"""Render MJSynth-style synthetic word images into a text-recognition LMDB.

Words from Debian's wamerican and hunspell-en-us lists plus random
alphanumeric strings, drawn in the fonts of Debian font packages with
random colours, border/shadow, backgrounds, projective distortion, blur,
noise and JPEG artefacts (Jaderberg et al., 2014); see crnn_plugin/synth.
Output: the LMDB layout read by LMDBTextRecogDataset (num-samples,
image-%09d, label-%09d; grayscale height 32, width proportional) and
OUT_LMDB/synth_meta.json (arguments, fonts, per-family counts, redraws).

Sample i is a function of (--seed, i) only: any --workers gives the same
LMDB. Validation data: --fonts val (held-out families) with --words val
(held-out words, the default with --fonts val) and another --seed.

Needs: apt-get install -y fonts-dejavu fonts-liberation fonts-noto-core
fonts-freefont-ttf fonts-urw-base35 wamerican hunspell-en-us

Examples:
  python tools/data/synth_text.py data/synth/train.lmdb --num 1000000 \\
      --seed 0 --workers 2
  python tools/data/synth_text.py data/synth/val_clean.lmdb --num 2000 \\
      --seed 1 --fonts val --clean
"""
import argparse
import json
import os.path as osp
import platform
import sys
import time
from collections import Counter
from typing import List, Optional

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out_lmdb', help='output LMDB directory')
    parser.add_argument('--num', type=int, required=True,
                        help='number of images')
    parser.add_argument('--seed', type=int, default=0,
                        help='data-set seed (default: 0)')
    parser.add_argument('--start', type=int, default=0,
                        help='first sample index, to extend a data set in '
                        'parts (default: 0)')
    parser.add_argument('--workers', type=int, default=1,
                        help='rendering processes (default: 1)')
    parser.add_argument('--charset', default='lower_digits',
                        choices=['lower_digits', 'alnum'],
                        help='labels: case-folded 36 classes (paper) or '
                        'case-sensitive 62 (default: lower_digits)')
    parser.add_argument('--fonts', default='train',
                        choices=['train', 'val', 'all'],
                        help='font families: training ones or the held-out '
                        'ones (default: train)')
    parser.add_argument('--words', choices=['train', 'val', 'all'],
                        help='lexicon words: training or held-out ~10%% '
                        '(default: same as --fonts)')
    parser.add_argument('--clean', action='store_true',
                        help='black text on white, no distortion or noise')
    parser.add_argument('--color', action='store_true',
                        help='BGR colour images instead of grayscale')
    parser.add_argument('--random-share', type=float, default=0.3,
                        help='share of random strings (default: 0.3)')
    parser.add_argument('--mark-share', type=float, default=0.0,
                        help='share of texts shown with punctuation marks, '
                        'left out of the label (default: 0)')
    parser.add_argument('--max-len', type=int, default=16,
                        help='longest text (default: 16)')
    parser.add_argument('--word-list', action='append',
                        help='word list file(s) to use instead of the '
                        'Debian ones (repeatable; .dic read as hunspell)')
    parser.add_argument('--families', nargs='+', metavar='NAME',
                        help='only these families of the --fonts split '
                        '(catalog names, e.g. "DejaVu Sans" C059)')
    parser.add_argument('--font-root', default=None,
                        help='font root (default: /usr/share/fonts)')
    parser.add_argument('--allow-missing-fonts', action='store_true',
                        help='use the installed families of the split '
                        'instead of failing when some are missing')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace an existing LMDB')
    args = parser.parse_args(argv)
    if args.num < 1:
        parser.error('--num must be >= 1')
    if args.workers < 1:
        parser.error('--workers must be >= 1')
    args.words = args.words or args.fonts
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    from crnn_plugin.datasets import write_recog_lmdb
    from crnn_plugin.synth import (CLEAN_STYLE, MJSYNTH_STYLE,
                                   MissingFontError, MissingWordListError,
                                   SynthWordGenerator, WordCorpus,
                                   find_font_files, iter_encoded)
    try:
        fonts = find_font_files(args.fonts, args.font_root,
                                allow_missing=args.allow_missing_fonts)
        if args.families:
            fonts = [f for f in fonts if f.family in args.families]
            missing = set(args.families) - {f.family for f in fonts}
            if missing:
                raise ValueError(
                    f'no installed {args.fonts} family named '
                    f'{", ".join(sorted(missing))} (see '
                    'crnn_plugin/synth/font_catalog.tsv)')
        corpus = WordCorpus(split=args.words, word_lists=args.word_list,
                            random_share=args.random_share,
                            max_len=args.max_len,
                            mark_share=args.mark_share)
    except (MissingFontError, MissingWordListError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    generator = SynthWordGenerator(
        corpus, fonts, charset=args.charset,
        style=CLEAN_STYLE if args.clean else MJSYNTH_STYLE, seed=args.seed,
        color=args.color)

    families: Counter = Counter()
    redraws = 0

    def samples():
        nonlocal redraws
        for data, label, family, num_redraws in iter_encoded(
                generator, args.num, args.workers, args.start):
            families[family] += 1
            redraws += num_redraws
            yield data, label

    start = time.time()
    result = write_recog_lmdb(samples(), args.out_lmdb, total=args.num,
                              check_images=False, overwrite=args.overwrite)
    seconds = time.time() - start
    import cv2
    import PIL
    meta = dict(
        args=vars(args), num_written=result.num_written,
        seconds=round(seconds, 1), redraws=redraws,
        families=dict(sorted(families.items())),
        num_words=len(corpus), font_files=[f.path for f in fonts],
        versions=dict(python=platform.python_version(),
                      pillow=PIL.__version__, opencv=cv2.__version__))
    with open(osp.join(args.out_lmdb, 'synth_meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'Wrote {result.num_written} images to {args.out_lmdb} in '
          f'{seconds:.1f} s ({result.num_written / seconds:.0f} images/s, '
          f'{args.workers} workers); {redraws} redraws for missing glyphs')
    return 0


if __name__ == '__main__':
    sys.exit(main())
