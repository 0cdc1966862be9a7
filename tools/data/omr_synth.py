#!/usr/bin/env python
"""Render OMR score fragments from music21's corpus into LMDBs (issue 5).

Writes ``<out>/train`` and ``<out>/val`` (clean renders; validation pieces
come from corpus files never used for training, see
:func:`omr.fragments.split_of`), ``<out>/val_aug`` (the same validation
images with a fixed-seed augmentation from :mod:`omr.transforms` baked in),
``<out>/meta.json`` and a preview grid of the first validation fragments
(``<out>/preview.png``). Labels are pitch-mode token strings
(``'C#5 D5 E5'``); parsed corpus files are cached in ``<out>/cache``.

Example::

    nice -n 5 python tools/data/omr_synth.py --out data/omr \\
        --train 40000 --val 1000 --seed 0 --workers 2

    # more training data, moved to random keys (omr.transpose)
    nice -n 5 python tools/data/omr_synth.py --out data/omr --splits train \\
        --train-name train_tr --transpose --train 16000 --seed 1

    # the same, with a share of notes given other accidentals (omr.chromatic)
    nice -n 5 python tools/data/omr_synth.py --out data/omr --splits train \\
        --train-name train_alt --transpose --alter 0.15 --train 16000 --seed 2

    # the picture of docs/omr.md: the first run's preview
    cp data/omr/preview.png docs/images/omr_samples.png
"""
import argparse
import io
import json
import os
import os.path as osp
import random
import sys
import time
from collections import Counter, deque
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(__file__))))

from crnn_plugin.datasets import write_recog_lmdb  # noqa: E402
from omr import engrave, engravers, fragments  # noqa: E402
from omr.decorate import decorate  # noqa: E402
from omr.engravers import draw_style, engrave_styled_many  # noqa: E402
from omr.semantic import semantic_tokens  # noqa: E402
from omr import transpose as transposition  # noqa: E402
from omr.chromatic import alter_fragment  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default='data/omr')
    p.add_argument('--train', type=int, default=40000,
                   help='training fragments (stops early if the corpus '
                   'runs out)')
    p.add_argument('--val', type=int, default=1000)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--cache', default=None,
                   help='parsed-corpus cache (default <out>/cache)')
    p.add_argument('--files', nargs='*', default=None,
                   help='corpus files (relative paths) instead of all')
    p.add_argument('--preview', default=None,
                   help="preview grid of validation images (default "
                   "<out>/preview.png; '' = none)")
    p.add_argument('--no-aug', action='store_true',
                   help='do not write val_aug')
    p.add_argument('--splits', nargs='+', default=['val', 'train'],
                   choices=['val', 'train'], help='splits to write')
    p.add_argument('--train-name', default='train',
                   help='LMDB folder of the training split under --out')
    p.add_argument('--transpose', action='store_true',
                   help='move each training fragment to a random key '
                   'signature (omr.transpose; validation is never '
                   'transposed)')
    p.add_argument('--alter', type=float, default=0.0, metavar='RATE',
                   help='give this share of training notes (untied) another '
                   'accidental, so the printed sign is the only way to the '
                   'label (omr.chromatic; validation is never altered)')
    p.add_argument('--engine', choices=['classic', 'diverse'],
                   default='classic',
                   help='classic: verovio/Leipzig, staff +- 3 spaces, '
                   'height 64; diverse: engravers, fonts, random options, '
                   'decorations, user-like crops (omr.engravers), with '
                   'semantic labels')
    p.add_argument('--styles', nargs='+', default=None,
                   help='diverse engine: engraver/font names to draw from '
                   '(default: omr.engravers.TRAIN_STYLES, i.e. all but the '
                   'held-out ones)')
    p.add_argument('--decor-rate', type=float, default=1.0,
                   help='diverse engine: how often slurs, dynamics, words, '
                   'repeat/double barlines and C/cut meters are drawn')
    p.add_argument('--context-changes', choices=['keep', 'skip'],
                   default=None,
                   help='fragments whose span has a clef (treble/bass), key '
                   'or time change: keep them, drawn where the corpus has '
                   'them, or skip them (default: keep for the diverse '
                   'engine, skip for the classic one)')
    p.add_argument('--overwrite', action='store_true')
    args = p.parse_args(argv)
    if not 0.0 <= args.alter <= 1.0:
        p.error(f'--alter is a share of notes in [0, 1], not {args.alter}')
    return args


def _png(img: np.ndarray) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format='PNG', compress_level=3)
    return buf.getvalue()


def fragment_rng(seed, frag, index, step=''):
    """The randomness of one engine step for one fragment: seeded by the
    run's seed, the fragment's piece, part and position, and the step."""
    return random.Random(
        f'{seed}:{frag["piece"]}:{frag["part"]}:{index}{step}')


def parse_task(task):
    """Worker: one corpus file -> (fragments, skips); cached parse.

    With ``transpose``, every fragment moves to a key signature drawn from
    :data:`omr.transpose.FIFTHS_RANGE` (seeded by piece, part and
    position); one that cannot move stays as it is (counted). With
    ``alter`` > 0, that share of notes get another accidental
    (:func:`omr.chromatic.alter_fragment`, seeded the same way).
    """
    relpath, seed, cache_dir, transpose, alter, diverse, changes = task
    skips = Counter()
    data = fragments.load_file(relpath, cache_dir)
    skips.update(data['skips'])
    frags = fragments.file_fragments(data, seed, skips, changes)
    if transpose:
        for i, frag in enumerate(frags):
            rng = fragment_rng(seed, frag, i)
            moved = transposition.transpose_fragment(
                frag, rng.randint(*transposition.FIFTHS_RANGE))
            if moved is None:
                skips['transpose_kept_key'] += 1
            else:
                frags[i] = moved
    if alter:
        for i, frag in enumerate(frags):
            frags[i] = alter_fragment(
                frag, fragment_rng(seed, frag, i, ':alter'), alter)
    if diverse is not None:
        for i, frag in enumerate(frags):
            rng = fragment_rng(seed, frag, i, ':style')
            frags[i] = decorate(frag, rng, diverse['decor_rate'])
            frags[i]['style'] = draw_style(rng, diverse['styles'])
    return frags, skips


def render_task(frags):
    """Worker: fragments -> ([(png, label, extra labels, piece, width)],
    skips); a fragment with a ``style`` is drawn by the diverse engine
    (those of a chunk together: MuseScore starts once for all of its
    fragments) and gets a semantic label."""
    out, skips = [], Counter()
    styled = iter(engrave_styled_many([f for f in frags if 'style' in f]))
    for frag in frags:
        try:
            img = (next(styled) if 'style' in frag else
                   engrave.engrave_fragment(frag))
            if isinstance(img, Exception):
                raise img
        except Exception:  # engraver/cairo/staff detection: count, go on
            skips['render_error'] += 1
            continue
        extra = {}
        if 'style' in frag:
            extra['semantic'] = ' '.join(semantic_tokens(frag))
            skips[f'style:{frag["style"]["name"]}'] += 1
        out.append((_png(img), ' '.join(frag['tokens']), extra,
                    frag['piece'], img.shape[1]))
    return out, skips


class Split:
    """Collects one split's samples and statistics while it is written.

    Files are parsed and fragments rendered in worker processes with a
    bounded look-ahead, so no more than about ``quota`` fragments are
    rendered; results are consumed in submission order, so the output is
    the same for any number of workers.
    """

    CHUNK = 16

    def __init__(self, name, quota, workers):
        self.name, self.quota, self.workers = name, quota, workers
        self.skips, self.tokens = Counter(), Counter()
        self.pieces, self.files, self.widths = set(), [], []
        self.preview = []

    def samples(self, pool, files, seed, cache_dir, transpose=False,
                alter=0.0, diverse=None, changes=False):
        """Yield (png, label, extra labels) until the quota is reached."""
        files = iter(files)
        parse_q, render_q, buf = deque(), deque(), []
        submitted = written = 0
        while written < self.quota:
            while (len(render_q) < 4 * self.workers
                   and submitted < self.quota + self.skips['render_error']):
                while len(parse_q) < 2 * self.workers:
                    f = next(files, None)
                    if f is None:
                        break
                    self.files.append(f)
                    parse_q.append(pool.apply_async(
                        parse_task,
                        ((f, seed, cache_dir, transpose, alter,
                          diverse, changes), )))
                if len(buf) < self.CHUNK and parse_q:
                    frags, skips = parse_q.popleft().get()
                    self.skips.update(skips)
                    buf.extend(frags)
                    continue
                if not buf:
                    break
                n = min(self.CHUNK, self.quota - submitted + self.skips[
                    'render_error'], len(buf))
                render_q.append(pool.apply_async(render_task, (buf[:n], )))
                buf = buf[n:]
                submitted += n
            if not render_q:
                return  # corpus exhausted
            out, skips = render_q.popleft().get()
            self.skips.update(skips)
            for png, label, extra, piece, width in out:
                if written >= self.quota:
                    break
                written += 1
                self.pieces.add(piece)
                self.tokens.update(label.split())
                self.widths.append(width)
                if len(self.preview) < 8:
                    self.preview.append((png, label))
                yield png, label, extra

    def meta(self, written):
        octaves = Counter()
        for tok, n in self.tokens.items():
            octaves[tok.lstrip('ABCDEFG#b')] += n
        styles = {k[6:]: n for k, n in self.skips.items()
                  if k.startswith('style:')}
        skips = {k: n for k, n in self.skips.items()
                 if not k.startswith('style:')}
        return dict(written=written, files=len(self.files),
                    pieces=len(self.pieces), skips=skips, styles=styles,
                    tokens=sum(self.tokens.values()),
                    token_histogram=dict(sorted(self.tokens.items())),
                    octave_histogram=dict(sorted(octaves.items())),
                    mean_width=float(np.mean(self.widths or [0])))


def write_val_aug(val_dir, out_dir, seed, overwrite):
    """Bake a fixed-seed augmentation into a copy of the val LMDB."""
    import lmdb
    from PIL import Image
    from omr.transforms.pipeline import augment_score_image
    env = lmdb.open(val_dir, readonly=True, lock=False)
    with env.begin() as txn:
        n = int(txn.get(b'num-samples'))
        items = [(txn.get(b'image-%09d' % i), txn.get(b'label-%09d' % i),
                  txn.get(b'semantic-%09d' % i)) for i in range(1, n + 1)]
    env.close()

    def gen():
        for i, (png, label, sem) in enumerate(items):
            img = np.asarray(Image.open(io.BytesIO(png)).convert('L'))
            aug = augment_score_image(img, seed=seed * 1_000_003 + i)
            extra = {} if sem is None else dict(semantic=sem.decode())
            yield _png(np.ascontiguousarray(aug)), label.decode(), extra

    return write_recog_lmdb(gen(), out_dir, total=n, overwrite=overwrite)


def save_preview(samples, path):
    from PIL import Image, ImageDraw
    imgs = [Image.open(io.BytesIO(png)).convert('L') for png, _ in samples]
    width = max([i.width for i in imgs] + [300])
    row = max([i.height for i in imgs] + [64]) + 16
    canvas = Image.new('L', (width, row * len(imgs)), 255)
    draw = ImageDraw.Draw(canvas)
    for k, (img, (_, label)) in enumerate(zip(imgs, samples)):
        canvas.paste(img, (0, k * row))
        draw.text((4, k * row + row - 16), label, fill=0)
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    canvas.save(path)


def main(argv=None):
    args = parse_args(argv)
    cache_dir = args.cache or osp.join(args.out, 'cache')
    if args.preview is None:
        args.preview = osp.join(args.out, 'preview.png')
    files = args.files or fragments.corpus_files()
    # Fixed split by file; processing order shuffled by seed.
    order = sorted(files, key=lambda f: fragments.file_hash(
        f'{args.seed}:{f}'))
    by_split = {s: [f for f in order if fragments.split_of(f) == s]
                for s in ('val', 'train')}
    meta = dict(seed=args.seed, label_format='pitch-mode tokens joined by '
                "' '", image_height=engrave.HEIGHT,
                verovio_options=engrave.VEROVIO_OPTIONS, splits={})
    meta_path = osp.join(args.out, 'meta.json')
    if osp.exists(meta_path) and set(args.splits) != {'val', 'train'}:
        with open(meta_path) as f:  # adding a split: keep the rest
            meta = json.load(f)
    diverse = None
    if args.engine == 'diverse':
        diverse = dict(styles=args.styles or list(engravers.TRAIN_STYLES),
                       decor_rate=args.decor_rate)
        unknown = set(diverse['styles']) - set(engravers.STYLES)
        if unknown:
            sys.exit(f'error: unknown --styles {sorted(unknown)} (known: '
                     f'{", ".join(engravers.STYLES)})')
        missing = engravers.missing_engravers(diverse['styles'])
        if missing:
            sys.exit(f'error: --styles need {", ".join(missing)}: '
                     f'apt-get install {" ".join(missing)}')
        meta.update(engine='diverse', styles=diverse['styles'],
                    decor_rate=args.decor_rate, image_height='natural crop',
                    label_format=meta['label_format'] + '; semantic-%09d: '
                    'omr.semantic tokens')
    if args.context_changes is None:
        args.context_changes = 'keep' if diverse else 'skip'
    changes = args.context_changes == 'keep'
    if changes:  # the classic engine's meta stays as it was
        meta.update(context_changes='keep')
    lmdb_names = dict(val='val', train=args.train_name)
    quotas = dict(val=args.val, train=args.train)
    start = time.time()
    with Pool(args.workers) as pool:
        for name in ('val', 'train'):
            if name not in args.splits:
                continue
            split = Split(name, quotas[name], args.workers)
            t0 = time.time()
            transpose = args.transpose and name == 'train'
            alter = args.alter if name == 'train' else 0.0
            res = write_recog_lmdb(
                split.samples(pool, by_split[name], args.seed, cache_dir,
                              transpose, alter, diverse, changes),
                osp.join(args.out, lmdb_names[name]), total=quotas[name],
                overwrite=args.overwrite)
            info = split.meta(res.num_written)
            info.update(seed=args.seed, transpose=transpose, alter=alter)
            info['seconds'] = round(time.time() - t0, 1)
            info['images_per_s'] = round(
                len(split.widths) / max(info['seconds'], 1e-6), 2)
            info['piece_ids'] = sorted(split.pieces)
            meta['splits'][lmdb_names[name]] = info
            if name == 'val' and args.preview and split.preview:
                save_preview(split.preview, args.preview)
            print(f'{name}: {len(split.widths)} fragments from '
                  f'{len(split.pieces)} pieces / {len(split.files)} files, '
                  f'{info["images_per_s"]} img/s, skips {info["skips"]}',
                  flush=True)
    if 'val' in meta['splits']:
        val_pieces = set(meta['splits']['val']['piece_ids'])
        for name, info in meta['splits'].items():
            assert name == 'val' or not val_pieces & set(info['piece_ids'])
    if 'val' in args.splits and not args.no_aug:
        write_val_aug(osp.join(args.out, 'val'), osp.join(args.out,
                                                          'val_aug'),
                      args.seed, args.overwrite)
        meta['val_aug'] = dict(augmentation='omr.transforms.pipeline.'
                               'augment_score_image(img, seed*1000003+i)')
    elapsed = time.time() - start
    # total build time: an added split adds to the earlier runs'
    meta['seconds'] = round(meta.get('seconds', 0) + elapsed, 1)
    with open(meta_path, 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'done in {elapsed:.1f} s -> {args.out}')


if __name__ == '__main__':
    main()
