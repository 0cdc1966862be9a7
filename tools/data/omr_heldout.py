#!/usr/bin/env python
"""Write the OMR yardstick: held-out LMDBs per engraver/font.

For every ``engraver/font`` of :data:`omr.engravers.STYLES` (or those
given), fragments of the validation corpus files (never trained on, see
:func:`omr.fragments.split_of`) are engraved by the diverse engine in that
style alone into ``<out>/<engraver>_<font>/val`` (clean) and ``.../val_aug``
(photo-like: the fixed-seed augmentation of :mod:`omr.transforms` baked
in), with pitch and semantic labels. The styles of
:data:`omr.engravers.HELD_OUT` are never used for training; the other
styles measure unseen pieces in a trained look. Test a model on all sets,
with one figure per set, by
``configs/omr/crnn_omr_reduced_heldout-test.py`` (its ``omr_heldout_root``
is ``data/omr_heldout``).

Example::

    nice -n 15 python tools/data/omr_heldout.py --out data/omr_heldout \\
        --per-set 200 --seed 7
    python tools/test.py configs/omr/crnn_omr_reduced_heldout-test.py \\
        checkpoints/crnn_omr_reduced.pth
"""
import argparse
import os.path as osp
import sys
import time

sys.path.insert(0, osp.dirname(__file__))
sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(__file__))))

import omr_synth  # noqa: E402

from omr.engravers import STYLES  # noqa: E402


def set_name(style: str) -> str:
    """Folder of a style: ``verovio/Leland`` -> ``verovio_Leland``."""
    return style.replace('/', '_')


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default='data/omr_heldout')
    p.add_argument('--per-set', type=int, default=200)
    p.add_argument('--seed', type=int, default=7)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--styles', nargs='+', default=list(STYLES),
                   choices=list(STYLES))
    p.add_argument('--cache', default=None,
                   help='parsed-corpus cache (default <out>/cache)')
    p.add_argument('--overwrite', action='store_true')
    args = p.parse_args(argv)
    cache = args.cache or osp.join(args.out, 'cache')
    for style in args.styles:
        t0 = time.time()
        omr_synth.main([
            '--out', osp.join(args.out, set_name(style)), '--engine',
            'diverse', '--styles', style, '--splits', 'val', '--val',
            str(args.per_set), '--seed', str(args.seed), '--workers',
            str(args.workers), '--cache', cache] +
            (['--overwrite'] if args.overwrite else []))
        print(f'{style}: {time.time() - t0:.1f} s', flush=True)


if __name__ == '__main__':
    main()
