#!/usr/bin/env python
"""Train a score (OMR) recipe on a machine without MMOCR (e.g. a lent GPU).

Three steps; only ``train`` runs on the other machine, which needs PyTorch,
NumPy, OpenCV, Pillow and scikit-image, not MMCV/MMOCR/MMEngine:

``pack`` (here) writes a self-contained bundle: the config's network traced
to TorchScript (as ``tools/text_gpu_run.py`` does), the training fragments
of LMDBs (``--train``) re-encoded small, their label ids (the config's
dictionary, from the ``--label-prefix`` labels), optional held-out sets
(``--val``: the test pipeline's inputs, stored labels) and ``meta.json``
(charset, blank, the test pipeline's input rule, the train pipeline's
augmentation probabilities). Re-encoding: a fragment whose staff space exceeds
``--max-space`` px is scaled down to it (the network reads 3.2 px per
space: 10 spaces in 32 rows) and its grey levels are quantised to 16 (PNG
palette); fragments are taken from the LMDBs in turn (one of each, then
the next of each) until ``--max-mb``. A training set larger than one
travelling tree goes in parts: ``pack --train-only --skip N`` writes only
``train/`` of the fragments after the first N (the first bundle's
``meta.json`` says how many it read), and ``train --more-train PART/train``
adds such folders to the bundle's own. ``pack --net-only`` traces other
weights of the same recipe into an existing bundle, its data kept.

``train`` (there) sends every fragment through the recipe's training
pipeline: the score augmentations of :mod:`omr.transforms` with the
config's probabilities (MMCV's and MMOCR's registry classes replaced by
stand-ins when they are not installed), then the staff crop and the
stretched resize of the test pipeline
(:func:`crnn_plugin.runtime.image_input.load_resized`). Pools of batches
are sorted by width, each batch padded with paper white to its widest
image, and each image owns the CTC frames of its own width. Adam, a
time-based schedule, clipping and an EMA of the weights, snapshots and
held-out readings every ``--save-every`` seconds
(:func:`traced_training.train_loop`); held-out figures: symbol (or token)
error rate and the share of fragments read fully right, each image read
alone as ``tools/test.py`` does (batch 1).

``unpack`` (here) turns a snapshot into an MMEngine checkpoint.

Example:
    python tools/omr_gpu_run.py pack \\
        configs/omr/crnn_omr_reduced_semantic.py WEIGHTS.pth \\
        --out .gpu/omr --train data/omr_diverse/train \\
        --label-prefix semantic --val data/omr_heldout/verovio_Leland/val
    python tools/omr_gpu_run.py train --bundle .gpu/omr --out OUT \\
        --minutes 8 --workers 15          # on the GPU machine
    # a second part of the training data, for a later transfer
    python tools/omr_gpu_run.py pack \\
        configs/omr/crnn_omr_reduced_semantic.py WEIGHTS.pth \\
        --out .gpu/omr_2 --train data/omr_diverse/train \\
        --label-prefix semantic --train-only --skip 17810
    python tools/omr_gpu_run.py train --bundle .gpu/omr \\
        --more-train .gpu/omr_2/train --out OUT
    python tools/omr_gpu_run.py unpack OUT/last.pth \\
        configs/omr/crnn_omr_reduced_semantic.py --checkpoint WEIGHTS.pth \\
        --out last.pth
"""
import argparse
import io
import json
import os
import os.path as osp
import sys
import types
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from crnn_plugin.runtime.ctc import best_path  # noqa: E402
from crnn_plugin.runtime.image_input import load_resized  # noqa: E402
from crnn_plugin.runtime.preprocessing import PipelineParams  # noqa: E402
from traced_training import (Batch, Scores, lmdb_items,  # noqa: E402
                             load_model, load_traced, read_labels,
                             single_threaded_opencv, tool_parser,
                             trace_network, train_device, train_loop, unpack,
                             worker_threads)

#: Grey levels kept in the packed training images.
GREY_LEVELS = 16
#: Width of the example image the network is traced with (height: the
#: test pipeline's).
TRACE_WIDTH = 200


# ---------------------------------------------------------------- pack ---
def shrink_fragment(data: bytes, max_space: float) -> Optional[bytes]:
    """A training fragment re-encoded small (see the module docstring).

    Args:
        data (bytes): Encoded image.
        max_space (float): Largest staff space kept (px).

    Returns:
        bytes | None: PNG bytes, or None for an undecodable image.
    """
    from PIL import Image

    from crnn_plugin.runtime.staff import StaffNotFound, find_staff_lines
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None or min(img.shape) < 2:
        return None
    try:
        space = find_staff_lines(img).space
    except StaffNotFound:
        space = 0.0  # kept as it is; training passes it on uncropped
    if space > max_space:
        scale = max_space / space
        size = (max(2, round(img.shape[1] * scale)),
                max(2, round(img.shape[0] * scale)))
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    buf = io.BytesIO()
    palette = Image.fromarray(img).quantize(GREY_LEVELS)
    palette.save(buf, 'PNG', optimize=True, bits=4)
    return buf.getvalue()


def _shrink_item(item: Tuple[bytes, str, float]):
    data, label, max_space = item
    return shrink_fragment(data, max_space), label


def interleaved(streams: List[Iterator]) -> Iterator:
    """The items of several iterators in turn (one of each, then the next
    of each), each to its end."""
    streams = list(streams)
    while streams:
        for stream in list(streams):
            try:
                yield next(stream)
            except StopIteration:
                streams.remove(stream)


def pack_train(lmdbs: List[str], prefix: str, dictionary, out: str,
               max_space: float, max_bytes: int, workers: int,
               skip: int = 0) -> dict:
    """Write ``out/train/fragments.bin`` (the PNG files, one after the
    other: one file travels better than thousands) and
    ``out/train/labels.tsv`` (``offset:length`` in it, label ids).

    Args:
        lmdbs (list[str]): Training LMDBs, read in turn
            (:func:`interleaved`).
        skip (int): Leave out the first ``skip`` fragments of that stream
            (those of an earlier part).

    Returns:
        dict: Counts: ``written``, ``skipped`` (undecodable or unlabelled),
        ``bytes``, ``read`` (fragments of the stream consumed, ``skip``
        included: the next part's ``skip``).
    """
    from multiprocessing import Pool
    folder = osp.join(out, 'train')
    os.makedirs(folder, exist_ok=True)
    rows, total, skipped = [], 0, 0
    blob = open(osp.join(folder, 'fragments.bin'), 'wb')

    def items():
        stream = interleaved(lmdb_items(path, prefix) for path in lmdbs)
        for i, (data, label) in enumerate(stream):
            if i >= skip:
                yield data, label, max_space

    pool = Pool(workers) if workers > 1 else None
    shrunk = pool.imap(_shrink_item, items(), chunksize=16) if pool else map(
        _shrink_item, items())
    try:
        for png, label in shrunk:
            if png is None or not label.strip():
                skipped += 1
                continue
            if total + len(png) > max_bytes:
                break
            blob.write(png)
            ids = dictionary.str2idx(label)
            rows.append(f'{total}:{len(png)}\t{" ".join(map(str, ids))}')
            total += len(png)
            if len(rows) % 2000 == 0:
                print(f'train: {len(rows)} fragments, {total / 2**20:.1f} '
                      'MiB', flush=True)
    finally:
        blob.close()
        if pool:
            pool.terminate()
    with open(osp.join(folder, 'labels.tsv'), 'w') as f:
        f.write('\n'.join(rows) + '\n')
    return dict(written=len(rows), skipped=skipped, bytes=total,
                read=skip + len(rows) + skipped)


def pack_val(lmdb_path: str, prefix: str, out: str, name: str,
             params: PipelineParams, limit: int = 0) -> int:
    """Write a held-out LMDB's images through the test pipeline (staff
    crop, resize: :func:`load_resized`) as PNG files to
    ``out/val/<name>``, with their ``prefix`` labels (``labels.tsv``:
    file, stored label); an unreadable image is skipped and counted.

    Returns:
        int: Images written.
    """
    from crnn_plugin.runtime.image_input import ImageInputError
    folder = osp.join(out, 'val', name)
    os.makedirs(folder, exist_ok=True)
    rows, skipped = [], 0
    for i, (data, label) in enumerate(lmdb_items(lmdb_path, prefix, limit)):
        try:
            img = load_resized(data, params)
        except ImageInputError:
            skipped += 1
            continue
        file = f'{i + 1:06d}.png'
        cv2.imwrite(osp.join(folder, file), img)
        rows.append(f'{file}\t{label}')
    with open(osp.join(folder, 'labels.tsv'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rows) + '\n')
    if skipped:
        print(f'{name}: {skipped} unreadable images skipped')
    return len(rows)


def val_name(path: str, paths: List[str]) -> str:
    """A held-out set's folder name: the last two parts of its path
    (``verovio_Leland_val``), more where another set would share them."""
    def tail(p: str, n: int) -> str:
        return '_'.join(osp.normpath(p).split(os.sep)[-n:])

    n = 2
    while n < len(osp.normpath(path).split(os.sep)) and any(
            tail(other, n) == tail(path, n) for other in paths
            if osp.normpath(other) != osp.normpath(path)):
        n += 1
    return tail(path, n)


def augmentations(cfg) -> List[Tuple[str, float]]:
    """``(transform, probability)`` of the train pipeline's score
    augmentations, in order."""
    return [(step['type'], float(step.get('prob', 1.0)))
            for step in cfg.train_pipeline
            if step['type'].startswith('Score')]


def retrace(model: torch.nn.Module, args: argparse.Namespace,
            params: PipelineParams) -> int:
    """``pack --net-only``: trace other weights of the same recipe into an
    existing bundle (its fragments and held-out sets kept)."""
    path = osp.join(args.out, 'meta.json')
    with open(path) as f:
        meta = json.load(f)
    try:
        net = trace_network(model, args.out, (TRACE_WIDTH, params.height))
    except RuntimeError as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    if (net['charset'], net['blank']) != (meta['charset'], meta['blank']):
        print(f'error: {args.checkpoint} has another dictionary than the '
              f'bundle {args.out}', file=sys.stderr)
        return 1
    meta.update(config=args.config, checkpoint=args.checkpoint)
    with open(path, 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'bundle {args.out}: net.pt from {args.checkpoint}')
    return 0


def pack(args: argparse.Namespace) -> int:
    """Write the bundle (network, training fragments, held-out sets,
    meta.json)."""
    from mmengine import Config

    cfg = Config.fromfile(args.config)
    params = PipelineParams.from_config(cfg)
    model = load_model(args.config, args.checkpoint)
    if args.net_only:
        return retrace(model, args, params)
    if not args.train_only:
        try:
            meta = trace_network(model, args.out,
                                 (TRACE_WIDTH, params.height))
        except RuntimeError as e:
            print(f'error: {e}', file=sys.stderr)
            return 1
    dictionary = model.decoder.dictionary
    counts = pack_train(args.train, args.label_prefix, dictionary, args.out,
                        args.max_space, int(args.max_mb * 2**20),
                        args.workers, args.skip)
    if args.train_only:
        print(f'{args.out}/train: {counts["written"]} training fragments '
              f'({counts["bytes"] / 2**20:.1f} MiB, {counts["skipped"]} '
              f'skipped), {counts["read"]} of the stream read')
        return 0
    val_sets = []
    for path in args.val:
        name = val_name(path, args.val)
        n = pack_val(path, args.label_prefix, args.out, name, params,
                     args.val_limit)
        print(f'{name}: {n} held-out images')
        val_sets.append(name)
    meta.update(
        config=args.config, checkpoint=args.checkpoint,
        pipeline=params.to_dict(), augment=augmentations(cfg),
        mode=getattr(dictionary, 'mode', 'pitch'), val_sets=val_sets,
        train=counts, max_space=args.max_space)
    with open(osp.join(args.out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'bundle {args.out}: net.pt, {counts["written"]} training '
          f'fragments ({counts["bytes"] / 2**20:.1f} MiB, '
          f'{counts["skipped"]} skipped, {counts["read"]} of the stream '
          f'read), {len(val_sets)} held-out sets')
    return 0


# --------------------------------------------------------------- train ---
def _install_stand_ins() -> None:
    """Minimal stand-ins for the three OpenMMLab names that
    :mod:`omr.transforms` imports (``BaseTransform`` / ``Compose``,
    MMOCR's ``TRANSFORMS`` registry, ``print_log``), for a machine without
    them. The transforms use only ``__call__`` -> ``transform`` and the
    registry's decorator; nothing else of those packages is imitated."""

    class BaseTransform:

        def __call__(self, results: dict) -> dict:
            return self.transform(results)

    class Compose(BaseTransform):

        def __init__(self, transforms):
            self.transforms = list(transforms)

        def transform(self, results: dict) -> dict:
            for t in self.transforms:
                results = t(results)
            return results

    class Registry(dict):

        def register_module(self, name=None, force=False, module=None):

            def add(cls):
                self[name or cls.__name__] = cls
                return cls

            return add

        def build(self, cfg: dict):
            cfg = dict(cfg)
            return self[cfg.pop('type')](**cfg)

    def print_log(msg, logger=None, level=None):
        print(msg, flush=True)

    names = dict(
        mmcv={}, mmocr={}, mmengine={},
        **{'mmcv.transforms': dict(BaseTransform=BaseTransform,
                                   Compose=Compose),
           'mmocr.registry': dict(TRANSFORMS=Registry()),
           'mmengine.logging': dict(print_log=print_log)})
    for name, attrs in names.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules[name] = module


def score_augmentations(steps: List[Tuple[str, float]]) -> List[Callable]:
    """Build the packed augmentation steps (:mod:`omr.transforms`)."""
    import omr  # noqa: F401  (before any stand-in: it checks for MMEngine)
    try:
        import mmcv.transforms  # noqa: F401
        import omr.registration  # noqa: F401
    except ImportError:
        _install_stand_ins()
    from omr.transforms import geometric, photometric
    return [(getattr(geometric, name, None) or getattr(photometric, name))(
        prob=p) for name, p in steps]


class AugmentedFragments(torch.utils.data.Dataset):
    """Packed fragments through the training pipeline, as
    ``(image (32, W) uint8, label ids)``; index ``i`` is sample ``i`` of
    an endless stream (an epoch-wise permutation of ``seed``), augmented
    with a generator of ``(seed, i)``.

    Args:
        bundle (str): Bundle folder.
        meta (dict): Its meta.json.
        seed (int): Order and augmentation seed.
        more (list[str]): Further ``train`` folders (parts packed with
            ``--train-only``).
    """

    def __init__(self, bundle: str, meta: dict, seed: int,
                 more: Sequence[str] = ()) -> None:
        folders = [osp.join(bundle, 'train')] + list(more)
        self.blobs = [osp.join(f, 'fragments.bin') for f in folders]
        self.spans: List[Tuple[int, int, int]] = []  # (blob, offset, length)
        self.ids = []
        for b, folder in enumerate(folders):
            for span, ids in read_labels(folder):
                offset, length = map(int, span.split(':'))
                self.spans.append((b, offset, length))
                self.ids.append(torch.tensor([int(i) for i in ids.split()],
                                             dtype=torch.long))
        self.params = PipelineParams.from_dict(meta['pipeline'])
        self.steps = [tuple(s) for s in meta['augment']]
        self.seed = seed
        self._transforms: Optional[List[Callable]] = None
        self._order: Tuple[int, Optional[np.ndarray]] = (-1, None)
        self._fds: Tuple[Optional[int], List[int]] = (None, [])  # pid, fds

    def __len__(self) -> int:
        return 10**9

    def __getitem__(self, index: int):
        if self._transforms is None:
            self._transforms = score_augmentations(self.steps)
        from omr.transforms.base import RNG_KEY
        epoch, pos = divmod(int(index), len(self.spans))
        if self._order[0] != epoch:
            self._order = (epoch, np.random.default_rng(
                [self.seed, epoch]).permutation(len(self.spans)))
        k = int(self._order[1][pos])
        img = self._decode(k)
        while img is None:  # a damaged bundle: the next fragment instead
            print(f'fragment {k}: undecodable, skipped', flush=True)
            k = (k + 1) % len(self.spans)
            img = self._decode(k)
        results = dict(img=img, img_shape=img.shape[:2],
                       **{RNG_KEY: np.random.default_rng([self.seed, index])})
        for t in self._transforms:
            results = t(results)
        # no width limit, as in the MMOCR pipeline (an augmented image
        # whose staff is not found stays uncropped and may be very wide)
        return load_resized(results['img'], self.params,
                            max_width=1 << 30), self.ids[k]

    def _decode(self, k: int) -> Optional[np.ndarray]:
        """Fragment ``k`` as a uint8 grayscale image (None if it does not
        decode)."""
        if self._fds[0] != os.getpid():  # descriptors per process
            self._fds = (os.getpid(),
                         [os.open(b, os.O_RDONLY) for b in self.blobs])
        blob, offset, length = self.spans[k]
        data = os.pread(self._fds[1][blob], length, offset)
        return cv2.imdecode(np.frombuffer(data, np.uint8),
                            cv2.IMREAD_GRAYSCALE)


def width_sorted_batches(loader, batch_size: int,
                         seed: int) -> Iterator[Batch]:
    """Batches of similar width from the loader's pools of samples: each
    pool sorted by width, cut into batches, those shuffled; images padded
    with paper white (255) to the batch's widest."""
    rng = np.random.default_rng(seed)
    for pool in loader:
        pool.sort(key=lambda s: s[0].shape[1])
        chunks = [pool[i:i + batch_size]
                  for i in range(0, len(pool), batch_size)]
        for j in rng.permutation(len(chunks)):
            chunk = chunks[j]
            height = chunk[0][0].shape[0]
            widths = torch.tensor([img.shape[1] for img, _ in chunk])
            images = torch.full((len(chunk), 1, height, int(widths.max())),
                                255, dtype=torch.uint8)
            for i, (img, _) in enumerate(chunk):
                images[i, 0, :, :img.shape[1]] = torch.from_numpy(img)
            yield images, [ids for _, ids in chunk], widths


def load_val(bundle: str, name: str
             ) -> Tuple[List[np.ndarray], List[List[str]]]:
    """A packed held-out set: the test pipeline's uint8 ``(32, W)`` inputs
    and label tokens."""
    folder = osp.join(bundle, 'val', name)
    inputs, labels = [], []
    for file, label in read_labels(folder):
        inputs.append(cv2.imread(osp.join(folder, file),
                                 cv2.IMREAD_GRAYSCALE))
        labels.append(label.split())
    return inputs, labels


def levenshtein(a: List[str], b: List[str]) -> int:
    """Levenshtein distance of two token lists (for machines without
    rapidfuzz)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1,
                                       prev + (x != y))
    return row[-1]


def edit_distance(a: List[str], b: List[str]) -> int:
    """Levenshtein distance of two token lists (rapidfuzz when
    installed)."""
    try:
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        return levenshtein(a, b)
    return Levenshtein.distance(a, b)


def reading_tokens(frames: np.ndarray, charset: List[str], blank: int,
                   mode: str) -> List[str]:
    """Best-path reading of logits ``(T, K)`` as label tokens (semantic
    mode: a note's pitch and duration joined into one symbol)."""
    ids, _ = best_path(frames, ignore={blank})
    tokens = [charset[k] for k in ids]
    if mode == 'semantic':
        from omr.semantic_tokens import join_symbols
        return join_symbols(tokens)[0]
    return tokens


@torch.no_grad()
def read_scores(forward: Callable, inputs: List[np.ndarray],
                labels: List[List[str]], meta: dict, params: PipelineParams,
                device: torch.device) -> Tuple[float, float]:
    """Symbol (token) error rate and fragment accuracy of a held-out set,
    each image read alone."""
    errors = length = right = 0
    for img, label in zip(inputs, labels):
        x = torch.from_numpy(params.normalise(img))[None].to(device)
        frames = forward(x)[0].float().cpu().numpy()  # (T, K)
        got = reading_tokens(frames, meta['charset'], meta['blank'],
                             meta['mode'])
        d = edit_distance(got, label)
        errors, length, right = errors + d, length + len(label), right + (
            d == 0)
    return errors / max(1, length), right / max(1, len(labels))


def train(args: argparse.Namespace) -> int:
    """Train the bundle's network on its augmented fragments."""
    with open(osp.join(args.bundle, 'meta.json')) as f:
        meta = json.load(f)
    single_threaded_opencv()
    device = train_device(autotune=False)  # widths vary per batch
    net = load_traced(args.bundle, device)
    params = PipelineParams.from_dict(meta['pipeline'])
    val_sets = {name: load_val(args.bundle, name)
                for name in meta.get('val_sets', [])}

    def evaluate(forward_eval: Callable) -> Scores:
        return [(name, read_scores(forward_eval, inputs, labels, meta,
                                   params, device))
                for name, (inputs, labels) in val_sets.items()]

    data = AugmentedFragments(args.bundle, meta, args.seed, args.more_train)
    print(f'{len(data.spans)} training fragments', flush=True)
    loader = torch.utils.data.DataLoader(
        data, batch_size=args.batch_size * args.pool, shuffle=False,
        num_workers=args.workers, collate_fn=list,
        worker_init_fn=worker_threads,
        prefetch_factor=2 if args.workers else None,
        persistent_workers=args.workers > 0)
    mean = torch.tensor(params.mean, device=device).view(1, -1, 1, 1)
    std = torch.tensor(params.std, device=device).view(1, -1, 1, 1)

    def prepare(images: torch.Tensor) -> torch.Tensor:
        return (images.float() - mean) / std  # (N, 1, 32, W)

    return train_loop(net, width_sorted_batches(loader, args.batch_size,
                                                args.seed),
                      args, prepare, meta['blank'],
                      evaluate if val_sets else None)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser, pack_args, train_args = tool_parser(__doc__, batch_size=32,
                                                lr=3e-4)
    pack_args.add_argument('--train', nargs='+', default=[],
                           metavar='LMDB',
                           help='training LMDBs, read in turn (required '
                           'but with --net-only)')
    pack_args.add_argument(
        '--label-prefix', default='label',
        help="LMDB label keys, e.g. 'semantic' (default: label)")
    pack_args.add_argument('--max-mb', type=float, default=45.0,
                           help='size limit of the packed training images')
    pack_args.add_argument('--max-space', type=float, default=6.5,
                           help='largest staff space kept (px)')
    pack_args.add_argument('--val', nargs='*', default=[], metavar='LMDB',
                           help='held-out LMDBs to read at every snapshot')
    pack_args.add_argument('--val-limit', type=int, default=0,
                           help='first N images of each held-out set (0: all)')
    pack_args.add_argument('--workers', type=int, default=os.cpu_count())
    pack_args.add_argument('--skip', type=int, default=0,
                           help='leave out the first N training fragments '
                           '(those of an earlier part)')
    pack_args.add_argument('--net-only', action='store_true',
                           help='trace the checkpoint into the existing '
                           'bundle --out, keeping its data')
    pack_args.add_argument('--train-only', action='store_true',
                           help='write only train/ (a further part of the '
                           'training data for train --more-train)')
    train_args.add_argument('--more-train', nargs='*', default=[],
                            metavar='DIR',
                            help='further train/ folders (parts packed '
                            'with --train-only)')
    train_args.add_argument('--pool', type=int, default=16,
                            help='batches per width-sorted pool')
    args = parser.parse_args(argv)
    if args.command == 'pack' and not (args.train or args.net_only):
        parser.error('pack needs --train (or --net-only)')
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return dict(pack=pack, train=train, unpack=unpack)[args.command](args)


if __name__ == '__main__':
    sys.exit(main())
