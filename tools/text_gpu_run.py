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
import math
import os
import os.path as osp
import re
import shutil
import sys
import time
import zipfile
from typing import Callable, List, Optional, Tuple

import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from crnn_plugin.runtime.ctc import best_path, min_ctc_frames  # noqa: E402
from crnn_plugin.runtime.image_input import rescale, target_width  # noqa

#: Training input of the recipe (width, height), §3.2.
INPUT_SIZE = (100, 32)
#: Characters kept when subsetting fonts: printable ASCII.
SUBSET_CODEPOINTS = range(0x20, 0x7F)
#: Fonts that fontTools cannot subset are copied only below this size.
MAX_COPY_BYTES = 400_000


# ---------------------------------------------------------------- pack ---
def _recognizer(config: str, checkpoint: str) -> torch.nn.Module:
    """The config's recognizer with the checkpoint's weights (MMOCR)."""
    from crnn_plugin.apis.model_loading import load_recognizer
    return load_recognizer(config, checkpoint)[1]


class LogitsNet(torch.nn.Module):
    """Backbone, encoder and classifier of a CTC recognizer as one module.

    Args:
        recognizer (nn.Module): A built ``CRNNRecognizer``; its submodules
            are shared, so parameter names stay ``backbone.*``,
            ``encoder.*`` and ``decoder.*``.
    """

    def __init__(self, recognizer: torch.nn.Module) -> None:
        super().__init__()
        self.backbone = recognizer.backbone
        self.encoder = recognizer.encoder
        self.decoder = recognizer.decoder

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Images ``(N, 1, 32, W)`` (normalised) -> logits ``(N, T, K)``."""
        feat = self.backbone(images)  # (N, C, 1, T)
        return self.decoder.forward_train(feat, self.encoder(feat))

    def forward_eval(self, images: torch.Tensor) -> torch.Tensor:
        """:meth:`forward` in eval mode (BatchNorm's running statistics),
        whatever the module's mode."""
        mode = self.training
        self.eval()
        logits = self.forward(images)
        self.train(mode)
        return logits


def follow_weights(path: str) -> bool:
    """Make a traced network's LSTM zero states follow its weights.

    Tracing records the zero initial state that ``nn.LSTM`` creates as a
    constant on the tracing device (CPU, float32); the serialized code is
    rewritten so the state takes the device and dtype of the LSTM's weights
    (the code is compiled again on load; its debug tables, which point into
    the old text, are left out).

    Returns:
        bool: Whether no CPU constant is left.
    """
    pattern = re.compile(
        r'dtype=6, layout=None, device=torch\.device\("cpu"\)')
    follow = ('dtype=ops.prim.dtype(weight_ih_l0), layout=None, '
              'device=ops.prim.device(weight_ih_l0)')
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, \
            zipfile.ZipFile(buf, 'w', zipfile.ZIP_STORED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith('.debug_pkl'):
                continue
            if item.filename.endswith('.py'):
                code = pattern.sub(follow, data.decode())
                if 'torch.device("cpu")' in code:
                    return False
                data = code.encode()
            dst.writestr(item, data)
    with open(path, 'wb') as f:
        f.write(buf.getvalue())
    return True


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


def pack_network(config: str, checkpoint: str, out: str) -> dict:
    """Trace the recognizer to ``out/net.pt``; return its dictionary meta.

    Two methods share the weights: ``forward`` in training mode (BatchNorm
    on batch statistics) for training, ``forward_eval`` in eval mode for
    the held-out checks.

    Raises:
        RuntimeError: The traced network differs from the model, or holds
            CPU-only constants.
    """
    recognizer = _recognizer(config, checkpoint)
    net = LogitsNet(recognizer).train()
    weights = {k: v.clone() for k, v in net.state_dict().items()}
    example = torch.randn(4, 1, INPUT_SIZE[1], INPUT_SIZE[0])
    # Forward passes in training mode move BatchNorm's running statistics:
    # eval first, and the weights restored after each training-mode pass.
    with torch.no_grad():
        reference = (net.forward_eval(example), net(example))
    net.load_state_dict(weights)
    traced = torch.jit.trace_module(
        net, dict(forward=example, forward_eval=example), check_trace=False)
    traced.load_state_dict(weights)
    with torch.no_grad():
        got = (traced.forward_eval(example), traced(example))
    if not all(torch.allclose(a, b, atol=1e-4)
               for a, b in zip(got, reference)):
        raise RuntimeError('the traced network differs from the model')
    traced.load_state_dict(weights)
    traced.half()  # float16 storage; `train` casts back
    path = osp.join(out, 'net.pt')
    traced.save(path)
    if not follow_weights(path):
        raise RuntimeError('the traced network holds CPU-only constants')
    dictionary = recognizer.decoder.dictionary
    return dict(charset=dictionary.dict, blank=dictionary.padding_idx)


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
    import lmdb
    folder = osp.join(out, 'val', name)
    os.makedirs(folder, exist_ok=True)
    env = lmdb.open(lmdb_path, readonly=True, lock=False)
    rows = []
    with env.begin() as txn:
        for i in range(1, int(txn.get(b'num-samples')) + 1):
            data = txn.get(b'image-%09d' % i)
            ext = 'jpg' if data[:2] == b'\xff\xd8' else 'png'
            file = f'{i:06d}.{ext}'
            with open(osp.join(folder, file), 'wb') as f:
                f.write(data)
            rows.append(f'{file}\t{txn.get(b"label-%09d" % i).decode()}')
    env.close()
    with open(osp.join(folder, 'labels.tsv'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rows) + '\n')
    return len(rows)


def pack(args: argparse.Namespace) -> int:
    """Write the bundle (network, fonts, word lists, meta.json)."""
    from crnn_plugin.synth import WORD_LISTS
    os.makedirs(args.out, exist_ok=True)
    try:
        meta = pack_network(args.config, args.checkpoint, args.out)
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
    meta.update(
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
            word_lists=[osp.join(bundle, p) for p in meta['word_lists']])
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


def _worker_init(_: int) -> None:
    """Fresh font handles per worker (FreeType faces share file offsets
    across fork)."""
    from crnn_plugin.synth.glyph_coverage import load_font
    load_font.cache_clear()
    torch.set_num_threads(1)


def _collate(batch):
    images = torch.stack([b[0] for b in batch])  # (N, 1, 32, 100) uint8
    targets = [b[1] for b in batch]
    return images, targets


def _lr_factor(frac: float, warmup: float, floor: float) -> float:
    """Linear warm-up over ``warmup`` of the run, then cosine to ``floor``.
    """
    if frac < warmup:
        return 0.1 + 0.9 * frac / warmup
    t = min(1.0, (frac - warmup) / max(1e-9, 1 - warmup))
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t))


def load_val(bundle: str, name: str) -> Tuple[List[np.ndarray], List[str]]:
    """A packed held-out set: grayscale images and labels (an unreadable
    image is skipped and counted)."""
    import cv2
    folder = osp.join(bundle, 'val', name)
    images, labels, skipped = [], [], 0
    with open(osp.join(folder, 'labels.tsv'), encoding='utf-8') as f:
        for line in f:
            file, label = line.rstrip('\n').split('\t', 1)
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


def _save(net: torch.nn.Module, ema: dict, out: str, step: int) -> None:
    """Float16 state dicts of the weights and their EMA (atomic writes)."""
    for name, state in (('last', net.state_dict()), ('ema', ema)):
        half = {k: v.detach().to('cpu', torch.float16)
                if v.is_floating_point() else v.detach().cpu()
                for k, v in state.items()}
        tmp = osp.join(out, f'.{name}.tmp')
        torch.save(dict(state_dict=half, step=step), tmp)
        os.replace(tmp, osp.join(out, f'{name}.pth'))


def train(args: argparse.Namespace) -> int:
    """Train the bundle's network on freshly rendered words."""
    with open(osp.join(args.bundle, 'meta.json')) as f:
        meta = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    log = open(osp.join(args.out, 'train_log.tsv'), 'w')
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True

    net = torch.jit.load(osp.join(args.bundle, 'net.pt'), map_location='cpu')
    net = net.float().to(device).train()
    ema = {k: v.detach().clone().float() if v.is_floating_point()
           else v.detach().clone() for k, v in net.state_dict().items()}
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=args.lr)

    val_sets = {name: load_val(args.bundle, name)
                for name in meta.get('val_sets', [])}
    val_log = open(osp.join(args.out, 'val_log.tsv'), 'w')

    def evaluate(step: int) -> None:
        """Read the held-out sets with the last and the EMA weights."""
        last = {k: v.clone() for k, v in net.state_dict().items()}
        for kind, state in (('last', last), ('ema', ema)):
            net.load_state_dict(state)
            for name, (images, labels) in val_sets.items():
                acc = word_accuracy(net.forward_eval, images, labels, meta,
                                    device)
                line = f'{step}\t{kind}\t{name}\t{acc:.4f}'
                print('val\t' + line, flush=True)
                val_log.write(line + '\n')
        net.load_state_dict(last)
        val_log.flush()

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

    budget = args.minutes * 60
    start = time.time()
    last_save = start
    step = seen = skipped = 0
    loss_avg = None
    for images, targets in loader:
        frac = (time.time() - start) / budget
        if frac >= 1 or (args.max_steps and step >= args.max_steps):
            break
        for group in optimizer.param_groups:
            group['lr'] = args.lr * _lr_factor(frac, args.warmup, args.floor)
        x = images.to(device, non_blocking=True).float()
        x = (x - meta['mean']) / meta['std']  # (N, 1, 32, 100)
        logits = net(x)  # (N, T, K)
        frames = logits.size(1)
        keep = [i for i, t in enumerate(targets)
                if len(t) and min_ctc_frames(t[None].numpy(),
                                             np.array([len(t)]))[0] <= frames]
        skipped += len(targets) - len(keep)
        if not keep:
            continue
        log_probs = logits[keep].float().log_softmax(-1).transpose(0, 1)
        target_lengths = torch.tensor([len(targets[i]) for i in keep])
        losses = torch.nn.functional.ctc_loss(
            log_probs, torch.cat([targets[i] for i in keep]).to(device),
            torch.full((len(keep), ), frames, dtype=torch.long),
            target_lengths, blank=meta['blank'], reduction='none',
            zero_infinity=True)
        loss = (losses / target_lengths.to(losses).clamp(min=1)).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, args.clip)
        optimizer.step()
        with torch.no_grad():
            for k, v in net.state_dict().items():
                if v.is_floating_point():
                    ema[k].mul_(args.ema).add_(v, alpha=1 - args.ema)
                else:
                    ema[k].copy_(v)
        step += 1
        seen += len(targets)
        value = float(loss.detach())
        loss_avg = value if loss_avg is None else (0.98 * loss_avg +
                                                   0.02 * value)
        if step % args.log_every == 0:
            elapsed = time.time() - start
            line = (f'{step}\t{seen}\t{elapsed:.0f}\t{loss_avg:.4f}\t'
                    f'{optimizer.param_groups[0]["lr"]:.2e}\t'
                    f'{seen / elapsed:.0f}\t{skipped}')
            print(line, flush=True)
            log.write(line + '\n')
            log.flush()
        if time.time() - last_save > args.save_every:
            paused = time.time()
            _save(net, ema, args.out, step)
            if val_sets:
                evaluate(step)
            start += time.time() - paused  # the schedule counts training
            last_save = time.time()
    _save(net, ema, args.out, step)
    if val_sets:
        evaluate(step)
    print(f'done: {step} steps, {seen} samples, {skipped} skipped, '
          f'{time.time() - start:.0f} s', flush=True)
    return 0


# -------------------------------------------------------------- unpack ---
def unpack(args: argparse.Namespace) -> int:
    """Snapshot -> MMEngine checkpoint of the config's model."""
    snapshot = torch.load(args.snapshot, map_location='cpu',
                          weights_only=True)
    model = _recognizer(args.config, args.checkpoint)
    state = model.state_dict()
    missing = [k for k in snapshot['state_dict'] if k not in state]
    if missing:
        print(f'error: {len(missing)} snapshot keys are not in the model '
              f'(first: {missing[0]})', file=sys.stderr)
        return 1
    for k, v in snapshot['state_dict'].items():
        state[k] = v.to(state[k].dtype)
    model.load_state_dict(state)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(iter=int(snapshot['step']),
                              source=osp.basename(args.snapshot))),
               args.out)
    print(f'{args.out}: {len(snapshot["state_dict"])} tensors, '
          f'step {snapshot["step"]}')
    return 0


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('pack', help='write the bundle (needs MMOCR)')
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--out', required=True, help='bundle folder')
    p.add_argument('--val', nargs='*', default=[], metavar='LMDB',
                   help='held-out LMDBs to read at every snapshot')
    p = sub.add_parser('train', help='train from a bundle (no MMOCR)')
    p.add_argument('--bundle', required=True)
    p.add_argument('--out', required=True, help='snapshot folder')
    p.add_argument('--minutes', type=float, default=8.0,
                   help='training time; the schedule spans it')
    p.add_argument('--max-steps', type=int, default=0,
                   help='stop after this many steps (0: time only)')
    p.add_argument('--batch-size', type=int, default=256)
    p.add_argument('--lr', type=float, default=4e-4)
    p.add_argument('--warmup', type=float, default=0.05,
                   help='share of the run spent warming up')
    p.add_argument('--floor', type=float, default=0.03,
                   help='final lr as a share of --lr')
    p.add_argument('--clip', type=float, default=5.0)
    p.add_argument('--ema', type=float, default=0.999)
    p.add_argument('--workers', type=int, default=os.cpu_count() - 1)
    p.add_argument('--seed', type=int, default=7)
    p.add_argument('--log-every', type=int, default=50)
    p.add_argument('--save-every', type=float, default=120.0,
                   help='seconds between snapshots')
    p = sub.add_parser('unpack', help='snapshot -> MMEngine checkpoint')
    p.add_argument('snapshot')
    p.add_argument('config')
    p.add_argument('--checkpoint',
                   default='checkpoints/crnn_mini-vgg_synth.pth',
                   help='weights for everything the snapshot lacks')
    p.add_argument('--out', required=True)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    return dict(pack=pack, train=train, unpack=unpack)[args.command](args)


if __name__ == '__main__':
    sys.exit(main())
