"""Throughput of the diverse score engine: one by one vs a chunk at a time.

Draws the same corpus fragments, in the same random styles, with
:func:`omr.engravers.engrave_styled` (one fragment at a time: the baseline)
and with :func:`omr.engravers.engrave_styled_many` on chunks of
``--chunk`` fragments (what ``tools/data/omr_synth.py`` does: MuseScore
starts twice per chunk instead of twice per fragment), checks that both
give the same images, and prints fragments/s and the ratio, per style.
Runs interleave (``--repeats``, median reported); on a shared machine
compare the ratios.

Example::

    python benchmarks/score_engine_throughput.py \\
        --styles musescore/Gonville verovio/Leipzig --num 32
"""
import argparse
import os.path as osp
import random
import statistics
import sys
import time

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

from omr import corpus, fragments  # noqa: E402
from omr.decorate import decorate  # noqa: E402
from omr.engravers import (STYLES, draw_style, engrave_styled,  # noqa: E402
                           engrave_styled_many, missing_engravers)


def corpus_fragments(num: int, seed: int):
    """The first ``num`` fragments of the validation corpus files."""
    out = []
    for relpath in corpus.corpus_files():
        if corpus.split_of(relpath) != 'val':
            continue
        out += fragments.fragment_stream([relpath], seed)[0]
        if len(out) >= num:
            return out[:num]
    return out


def engrave_one(frag):
    """:func:`engrave_styled`, the exception in place of a failed image."""
    try:
        return engrave_styled(frag, frag['style'])
    except Exception as e:  # as engrave_styled_many reports it
        return e


def same_images(a, b) -> bool:
    """Equal images, or both failed."""
    return all(np.array_equal(x, y) if isinstance(x, np.ndarray)
               else not isinstance(y, np.ndarray) for x, y in zip(a, b))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--styles', nargs='+', default=['musescore/Gonville'],
                   choices=list(STYLES))
    p.add_argument('--num', type=int, default=32)
    p.add_argument('--chunk', type=int, default=16)
    p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--seed', type=int, default=0)
    args = p.parse_args(argv)
    missing = missing_engravers(args.styles)
    if missing:
        print(f'error: not installed: {", ".join(missing)} '
              f'(apt-get install {" ".join(missing)})')
        return 1
    base = corpus_fragments(args.num, args.seed)
    print(f'{len(base)} fragments, chunks of {args.chunk}, '
          f'{args.repeats} repeats')
    for name in args.styles:
        rng = random.Random(f'{args.seed}:{name}')
        frags = [dict(decorate(f, rng), style=draw_style(rng, [name]))
                 for f in base]
        one, many = [], []
        for _ in range(args.repeats):
            t = time.perf_counter()
            ref = [engrave_one(f) for f in frags]
            one.append(time.perf_counter() - t)
            t = time.perf_counter()
            got = []
            for i in range(0, len(frags), args.chunk):
                got += engrave_styled_many(frags[i:i + args.chunk])
            many.append(time.perf_counter() - t)
            same = same_images(ref, got)
        a, b = statistics.median(one), statistics.median(many)
        print(f'{name:22s} one by one {len(frags) / a:6.2f} fragments/s, '
              f'chunked {len(frags) / b:6.2f} fragments/s, ratio '
              f'{a / b:4.2f}x, same images: {same}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
