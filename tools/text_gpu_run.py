#!/usr/bin/env python
"""Train the text recipe on a machine without MMOCR (e.g. a lent GPU).

Three steps; only ``train`` runs on the other machine, which needs PyTorch,
NumPy, OpenCV, Pillow and scikit-image, not MMCV/MMOCR/MMEngine:

``pack`` (here) writes a self-contained bundle: the network of a config +
checkpoint traced to TorchScript (float16 weights, image ``(N, 1, 32, W)``
-> logits ``(N, T, K)``; ``forward`` in training mode, ``forward_eval`` in
eval mode, one set of weights with the recognizer's parameter names), the
training font families subset to printable ASCII (fontTools; a file that
cannot be subset is copied if small, else dropped and counted), the word
lists, optional
held-out sets (``--val LMDB...``, copied as image files) and ``meta.json``
(charset, blank index, normalisation).

``train`` (there) renders words with :class:`~crnn_plugin.synth.
SynthWordGenerator` (the recipe's MJSynth-like style, training fonts and
words only) in worker processes, resizes them to 100x32 as the recipe's
pipeline does, and trains with Adam, :func:`torch.nn.functional.ctc_loss`,
gradient clipping and a time-based schedule (warm-up, cosine decay over
``--minutes``), keeping an exponential moving average of the weights.
Snapshots (float16 state dicts of the last and the EMA weights) and a
progress log go to ``--out`` every ``--save-every`` seconds, so an
interrupted run still returns its latest weights; at each snapshot both
read the packed held-out sets (``val_log.tsv``: word accuracy as the recipe
tests, height 32 with the width kept; the time it takes is not counted in
the schedule).

``unpack`` (here) turns a snapshot into an MMEngine checkpoint of the
config's model, for ``tools/test.py``, ``benchmarks/`` and
``tools/publish_checkpoint.py``.

Example:
    python tools/text_gpu_run.py pack configs/crnn_mini-vgg_synth.py \\
        checkpoints/crnn_mini-vgg_synth.pth --out .gpu/text
    python tools/text_gpu_run.py train --bundle .gpu/text --out OUT \\
        --minutes 8 --workers 15          # on the GPU machine
    python tools/text_gpu_run.py unpack OUT/ema.pth \\
        configs/crnn_mini-vgg_synth.py --out work_dirs/gpu/ema.pth
"""
import argparse
import io
import json
import os
import os.path as osp
import re
import shutil
import sys
import time
from typing import Callable, List, Optional, Tuple

import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from crnn_plugin.runtime.ctc import best_path  # noqa: E402
from crnn_plugin.runtime.image_input import rescale, target_width  # noqa
from traced_training import (Batch, LogitsNet, Scores,  # noqa: E402,F401
                             follow_weights, lmdb_items, load_traced,
                             pack_network, read_labels,
                             single_threaded_opencv, tool_parser,
                             train_device, train_loop, unpack,
                             worker_threads)

#: Training input of the recipe (width, height), §3.2.
INPUT_SIZE = (100, 32)
#: Characters kept when subsetting fonts: printable ASCII.
SUBSET_CODEPOINTS = range(0x20, 0x7F)
#: Fonts that fontTools cannot subset are copied only below this size.
MAX_COPY_BYTES = 400_000


# ---------------------------------------------------------------- pack ---
def subset_font(src: str, dst: str) -> bool:
    """Write ``src`` subset to printable ASCII at ``dst``.

    Returns:
        bool: False when the font could not be subset and was too large to
        copy (nothing written).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont
    os.makedirs(osp.dirname(dst), exist_ok=True)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ['kern', 'liga']
    options.name_IDs = ['*']
    options.notdef_outline = True
    try:
        font = TTFont(src, fontNumber=0)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=SUBSET_CODEPOINTS)
        subsetter.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        with open(dst, 'wb') as f:
            f.write(buf.getvalue())
        return True
    except Exception:  # malformed tables: fontTools is stricter than FreeType
        if os.path.getsize(src) > MAX_COPY_BYTES:
            return False
        shutil.copyfile(src, dst)
        return True


def pack_fonts(out: str, split: str = 'train') -> Tuple[int, List[str]]:
    """Subset the fonts of ``split`` into ``out`` (catalog layout).

    Returns:
        tuple: Files written (or already there) and the dropped files.
    """
    import logging

    from crnn_plugin.synth import find_font_files
    from crnn_plugin.synth.fonts import DEFAULT_FONT_ROOT
    logging.getLogger('fontTools').setLevel(logging.ERROR)
    fonts = find_font_files(split)
    written, dropped = 0, []
    for i, font in enumerate(fonts):
        dst = osp.join(out, osp.relpath(font.path, DEFAULT_FONT_ROOT))
        if osp.isfile(dst) or subset_font(font.path, dst):
            written += 1
        else:
            dropped.append(font.path)
        if (i + 1) % 200 == 0:
            print(f'fonts: {i + 1}/{len(fonts)}', flush=True)
    return written, dropped


def pack_val(lmdb_path: str, out: str, name: str) -> int:
    """Copy a held-out LMDB's images and labels to ``out/val/<name>``.

    Returns:
        int: Images written.
    """
    folder = osp.join(out, 'val', name)
    os.makedirs(folder, exist_ok=True)
    rows = []
    for i, (data, label) in enumerate(lmdb_items(lmdb_path), 1):
        ext = 'jpg' if data[:2] == b'\xff\xd8' else 'png'
        file = f'{i:06d}.{ext}'
        with open(osp.join(folder, file), 'wb') as f:
            f.write(data)
        rows.append(f'{file}\t{label}')
    with open(osp.join(folder, 'labels.tsv'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rows) + '\n')
    return len(rows)


def pack(args: argparse.Namespace) -> int:
    """Write the bundle (network, fonts, word lists, meta.json)."""
    from crnn_plugin.synth import WORD_LISTS
    os.makedirs(args.out, exist_ok=True)
    try:
        meta = pack_network(args.config, args.checkpoint, args.out,
                            INPUT_SIZE)
    except RuntimeError as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    written, dropped = pack_fonts(args.out)
    val_sets = []
    for path in args.val:
        name = '_'.join(osp.normpath(path).split(os.sep)[-2:])
        print(f'{name}: {pack_val(path, args.out, name)} held-out images')
        val_sets.append(name)
    os.makedirs(osp.join(args.out, 'words'), exist_ok=True)
    word_lists = []
    for path in WORD_LISTS:
        shutil.copyfile(path, osp.join(args.out, 'words', osp.basename(path)))
        word_lists.append(osp.join('words', osp.basename(path)))
    from mmengine.config import Config
    data = Config.fromfile(args.config).train_dataloader.dataset
    meta.update(
        # the recipe's text shares; WordCorpus's defaults where it sets none
        corpus={k: data[k] for k in ('random_share', 'mark_share')
                if k in data},
        config=args.config, checkpoint=args.checkpoint,
        input_size=INPUT_SIZE, mean=127.0, std=127.0,
        word_lists=word_lists, val_sets=val_sets, fonts_written=written,
        fonts_dropped=dropped)
    with open(osp.join(args.out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'bundle {args.out}: net.pt, {written} font files '
          f'({len(dropped)} dropped), {len(word_lists)} word lists')
    return 0


# --------------------------------------------------------------- train ---
class RenderedWords(torch.utils.data.Dataset):
    """Rendered training words as ``(image (1, 32, 100) uint8, label ids)``.

    Args:
        bundle (str): Bundle folder (fonts, word lists, meta.json).
        meta (dict): The bundle's meta.json.
        seed (int): Render seed (sample ``i`` is a function of it and i).
        length (int): Nominal length (indices are drawn in order).
    """

    def __init__(self, bundle: str, meta: dict, seed: int,
                 length: int) -> None:
        from crnn_plugin.synth import (MJSYNTH_STYLE, SynthWordGenerator,
                                       WordCorpus, find_font_files)
        self.length = length
        self.char_ids = {c: i for i, c in enumerate(meta['charset'])}
        corpus = WordCorpus(
            split='train',
            word_lists=[osp.join(bundle, p) for p in meta['word_lists']],
            **meta.get('corpus', {}))
        fonts = find_font_files('train', font_root=bundle,
                                allow_missing=True)
        self.generator = SynthWordGenerator(
            corpus, fonts, charset='lower_digits', style=MJSYNTH_STYLE,
            seed=seed).prepare()

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int):
        import cv2
        sample = self.generator(int(index))
        image = cv2.resize(sample.image, INPUT_SIZE,
                           interpolation=cv2.INTER_LINEAR)
        ids = [self.char_ids[c] for c in sample.label if c in self.char_ids]
        return torch.from_numpy(image)[None], torch.tensor(ids)


def _worker_init(worker: int) -> None:
    """Fresh font handles per worker (FreeType faces share file offsets
    across fork)."""
    from crnn_plugin.synth.glyph_coverage import load_font
    load_font.cache_clear()
    worker_threads(worker)


def _collate(batch) -> Batch:
    images = torch.stack([b[0] for b in batch])  # (N, 1, 32, 100) uint8
    return images, [b[1] for b in batch], None


def load_val(bundle: str, name: str) -> Tuple[List[np.ndarray], List[str]]:
    """A packed held-out set: grayscale images and labels (an unreadable
    image is skipped and counted)."""
    import cv2
    folder = osp.join(bundle, 'val', name)
    images, labels, skipped = [], [], 0
    for file, label in read_labels(folder):
        img = cv2.imread(osp.join(folder, file), cv2.IMREAD_GRAYSCALE)
        if img is None or min(img.shape) < 2:
            skipped += 1
            continue
        images.append(img)
        labels.append(label)
    if skipped:
        print(f'{name}: {skipped} unreadable images skipped', flush=True)
    return images, labels


def greedy_texts(logits: torch.Tensor, charset: List[str],
                 blank: int) -> List[str]:
    """Best-path CTC decoding (:func:`~crnn_plugin.runtime.ctc.best_path`)
    of logits ``(N, T, K)``; tokens longer than one character (special
    tokens) are dropped."""
    texts = []
    for frames in logits.detach().float().cpu().numpy():
        labels, _ = best_path(frames, ignore={blank})
        texts.append(''.join(c for c in (charset[k] for k in labels)
                             if len(c) == 1))
    return texts


def _alnum(text: str) -> str:
    return re.sub('[^0-9a-z]', '', text.lower())


@torch.no_grad()
def word_accuracy(net: Callable[[torch.Tensor], torch.Tensor],
                  images: List[np.ndarray],
                  labels: List[str], meta: dict,
                  device: torch.device) -> float:
    """Exact-match accuracy on case-folded ``[0-9a-z]`` (MMOCR's
    ``word_acc_ignore_case_symbol``), one image at a time, each scaled to
    height 32 with its width kept (at least 100), as the recipe tests.
    """
    right = 0
    for img, label in zip(images, labels):
        img = rescale(img, target_width(*img.shape[:2], INPUT_SIZE[1],
                                        INPUT_SIZE[0]), INPUT_SIZE[1])
        x = torch.from_numpy(img).to(device).float()[None, None]
        x = (x - meta['mean']) / meta['std']  # (1, 1, 32, W)
        text = greedy_texts(net(x), meta['charset'], meta['blank'])[0]
        right += _alnum(text) == _alnum(label)
    return right / max(1, len(labels))


def train(args: argparse.Namespace) -> int:
    """Train the bundle's network on freshly rendered words."""
    with open(osp.join(args.bundle, 'meta.json')) as f:
        meta = json.load(f)
    single_threaded_opencv()
    device = train_device()
    net = load_traced(args.bundle, device)
    val_sets = {name: load_val(args.bundle, name)
                for name in meta.get('val_sets', [])}

    def evaluate(forward_eval: Callable) -> Scores:
        return [(name, [word_accuracy(forward_eval, images, labels, meta,
                                      device)])
                for name, (images, labels) in val_sets.items()]

    t0 = time.time()
    data = RenderedWords(args.bundle, meta, args.seed, length=10**9)
    print(f'{len(data.generator.fonts)} font files ready in '
          f'{time.time() - t0:.1f} s', flush=True)
    loader = torch.utils.data.DataLoader(
        data, batch_size=args.batch_size, shuffle=False,
        num_workers=args.workers, collate_fn=_collate,
        worker_init_fn=_worker_init,
        prefetch_factor=4 if args.workers else None,
        persistent_workers=args.workers > 0, pin_memory=device.type == 'cuda')

    def prepare(images: torch.Tensor) -> torch.Tensor:
        return (images.float() - meta['mean']) / meta['std']  # (N,1,32,100)

    return train_loop(net, loader, args, prepare, meta['blank'],
                      evaluate if val_sets else None)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser, pack_args, _ = tool_parser(
        __doc__, batch_size=256, lr=4e-4,
        unpack_checkpoint='checkpoints/crnn_mini-vgg_synth.pth')
    pack_args.add_argument('--val', nargs='*', default=[], metavar='LMDB',
                           help='held-out LMDBs to read at every snapshot')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return dict(pack=pack, train=train, unpack=unpack)[args.command](args)


if __name__ == '__main__':
    sys.exit(main())
