"""Training a traced CTC recognizer on a machine without MMOCR.

The pieces that ``tools/text_gpu_run.py`` and ``tools/omr_gpu_run.py``
share: tracing a config's network to TorchScript (:func:`pack_network`,
needs MMOCR), the training loop that runs from the traced file alone
(:func:`train_loop`: PyTorch only), and turning a snapshot back into an
MMEngine checkpoint of the config's model (:func:`unpack_snapshot`, needs
MMOCR).

A tool adds its own data: a loader of ``(images, targets, widths)`` batches
and a function reading its held-out sets.
"""
import argparse
import io
import math
import os
import os.path as osp
import re
import sys
import time
import zipfile
from typing import (Callable, Iterable, Iterator, List, Optional, Sequence,
                    Tuple)

import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from crnn_plugin.runtime.ctc import min_ctc_frames  # noqa: E402


__all__ = [
    'Batch', 'Scores', 'LogitsNet', 'follow_weights', 'load_model',
    'lmdb_items', 'read_labels',
    'pack_network', 'trace_network', 'lr_factor', 'save_snapshot',
    'load_traced', 'ctc_batch_loss', 'train_loop', 'add_train_args',
    'train_device', 'single_threaded_opencv', 'tool_parser', 'unpack',
    'unpack_snapshot', 'worker_threads'
]

#: A batch: images ``(N, 1, H, W)`` uint8, label ids per image, and each
#: image's width before padding (None: all are ``W`` wide).
Batch = Tuple[torch.Tensor, List[torch.Tensor], Optional[torch.Tensor]]
#: Held-out reading: ``(set name, metric values)`` pairs.
Scores = List[Tuple[str, Sequence[float]]]


# ---------------------------------------------------------------- pack ---
def load_model(config: str, checkpoint: str) -> torch.nn.Module:
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


def pack_network(config: str, checkpoint: str, out: str,
                 example_size: Tuple[int, int] = (100, 32)) -> dict:
    """:func:`trace_network` of a config's model with a checkpoint."""
    return trace_network(load_model(config, checkpoint), out, example_size)


def trace_network(recognizer: torch.nn.Module, out: str,
                  example_size: Tuple[int, int] = (100, 32)) -> dict:
    """Trace a recognizer to ``out/net.pt``; return its dictionary meta.

    Two methods share the weights: ``forward`` in training mode (BatchNorm
    on batch statistics) for training, ``forward_eval`` in eval mode for
    the held-out checks. Both read any width.

    Args:
        recognizer (nn.Module): A built CTC recognizer.
        out (str): Bundle folder.
        example_size (tuple): ``(width, height)`` of the tracing input.

    Returns:
        dict: ``charset`` (the dictionary's tokens) and ``blank`` (index).

    Raises:
        RuntimeError: The traced network differs from the model, or holds
            CPU-only constants.
    """
    net = LogitsNet(recognizer).train()
    weights = {k: v.clone() for k, v in net.state_dict().items()}
    example = torch.randn(4, 1, example_size[1], example_size[0])
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
    os.makedirs(out, exist_ok=True)
    path = osp.join(out, 'net.pt')
    traced.save(path)
    if not follow_weights(path):
        raise RuntimeError('the traced network holds CPU-only constants')
    dictionary = recognizer.decoder.dictionary
    return dict(charset=dictionary.dict, blank=dictionary.padding_idx)


# ----------------------------------------------------------- bundle I/O ---
def lmdb_items(path: str, prefix: str = 'label', limit: int = 0
               ) -> Iterator[Tuple[bytes, str]]:
    """``(image bytes, label)`` of an LMDB in order (labels under
    ``prefix-%09d``, '' where missing; the first ``limit`` samples, 0:
    all)."""
    import lmdb
    env = lmdb.open(path, readonly=True, lock=False)
    with env.begin() as txn:
        n = int(txn.get(b'num-samples'))
        for i in range(1, (min(n, limit) if limit else n) + 1):
            label = txn.get(f'{prefix}-{i:09d}'.encode())
            yield txn.get(b'image-%09d' % i), (label or b'').decode()
    env.close()


def read_labels(folder: str) -> List[Tuple[str, str]]:
    """``(file, second column)`` rows of a packed ``labels.tsv``."""
    rows = []
    with open(osp.join(folder, 'labels.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.strip():
                file, _, rest = line.rstrip('\n').partition('\t')
                rows.append((file, rest))
    return rows


# --------------------------------------------------------------- train ---
def lr_factor(frac: float, warmup: float, floor: float) -> float:
    """Linear warm-up over ``warmup`` of the run, then cosine to ``floor``.
    """
    if frac < warmup:
        return 0.1 + 0.9 * frac / warmup
    t = min(1.0, (frac - warmup) / max(1e-9, 1 - warmup))
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t))


def save_snapshot(net: torch.nn.Module, ema: dict, out: str,
                  step: int) -> None:
    """Float16 state dicts of the weights and their EMA (atomic writes)."""
    for name, state in (('last', net.state_dict()), ('ema', ema)):
        half = {k: v.detach().to('cpu', torch.float16)
                if v.is_floating_point() else v.detach().cpu()
                for k, v in state.items()}
        tmp = osp.join(out, f'.{name}.tmp')
        torch.save(dict(state_dict=half, step=step), tmp)
        os.replace(tmp, osp.join(out, f'{name}.pth'))


def load_traced(bundle: str, device: torch.device) -> torch.nn.Module:
    """The bundle's traced network in float32 on ``device``, training
    mode."""
    net = torch.jit.load(osp.join(bundle, 'net.pt'), map_location='cpu')
    return net.float().to(device).train()


def ctc_batch_loss(logits: torch.Tensor, targets: List[torch.Tensor],
                   widths: Optional[torch.Tensor], width: int,
                   blank: int) -> Tuple[Optional[torch.Tensor], int]:
    """Mean per-character CTC loss of a batch (:func:`F.ctc_loss`).

    Args:
        logits (Tensor): ``(N, T, K)``.
        targets (list[Tensor]): Label ids per image.
        widths (Tensor, optional): ``(N,)`` image widths before padding;
            image ``i`` owns the first ``ceil(T * widths[i] / width)``
            frames (None: all ``T``).
        width (int): Padded width of the batch.
        blank (int): Blank index.

    Returns:
        tuple: The loss (None if no image is usable) and the number of
        images left out (empty labels, or more frames needed than the image
        has).
    """
    n, frames = logits.shape[:2]
    if widths is None:
        lengths = np.full(n, frames)
    else:
        lengths = np.minimum(
            frames, np.ceil(frames * widths.numpy() / width)).astype(int)
    keep = [i for i, t in enumerate(targets)
            if len(t) and min_ctc_frames(t[None].numpy(),
                                         np.array([len(t)]))[0] <= lengths[i]]
    if not keep:
        return None, n
    log_probs = logits[keep].float().log_softmax(-1).transpose(0, 1)
    target_lengths = torch.tensor([len(targets[i]) for i in keep])
    losses = torch.nn.functional.ctc_loss(
        log_probs, torch.cat([targets[i] for i in keep]).to(logits.device),
        torch.as_tensor(lengths[keep], dtype=torch.long), target_lengths,
        blank=blank, reduction='none', zero_infinity=True)
    loss = (losses / target_lengths.to(losses).clamp(min=1)).mean()
    return loss, n - len(keep)


def train_loop(net: torch.nn.Module,
               batches: Iterable[Batch],
               args: argparse.Namespace,
               prepare: Callable[[torch.Tensor], torch.Tensor],
               blank: int,
               evaluate: Optional[Callable[[Callable], Scores]] = None
               ) -> int:
    """Train ``net`` on ``batches`` for ``args.minutes`` (or steps).

    Adam, a time-based schedule (:func:`lr_factor` with ``args.warmup``
    and ``args.floor``), gradient clipping (``args.clip``), an exponential
    moving average of the weights (``args.ema``). Every
    ``args.save_every`` seconds and at the end: snapshots ``last.pth`` and
    ``ema.pth`` in ``args.out`` (:func:`save_snapshot`) and, with
    ``evaluate``, the held-out reading of both weights in ``val_log.tsv``
    (``step, last|ema, set, values...``; the time it takes is not counted
    in the schedule). ``train_log.tsv``: ``step, samples, seconds, loss
    (smoothed), lr, samples/s, skipped, share of the time spent waiting
    for batches`` (near 1: the data workers are the bottleneck).

    Args:
        net (nn.Module): Traced network in training mode (:func:`
            load_traced`).
        batches (Iterable[Batch]): Training batches, endless.
        args (Namespace): The options of :func:`add_train_args`.
        prepare (callable): uint8 images on the device -> normalised float
            input.
        blank (int): Blank index.
        evaluate (callable, optional): ``evaluate(forward_eval)`` ->
            :data:`Scores`.

    Returns:
        int: 0.
    """
    os.makedirs(args.out, exist_ok=True)
    device = next(net.parameters()).device
    log = open(osp.join(args.out, 'train_log.tsv'), 'w')
    val_log = open(osp.join(args.out, 'val_log.tsv'), 'w')
    ema = {k: v.detach().clone() for k, v in net.state_dict().items()}
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=args.lr)

    def snapshot(step: int) -> None:
        save_snapshot(net, ema, args.out, step)
        if evaluate is None:
            return
        last = {k: v.clone() for k, v in net.state_dict().items()}
        for kind, state in (('last', last), ('ema', ema)):
            net.load_state_dict(state)
            for name, values in evaluate(net.forward_eval):
                line = '\t'.join([str(step), kind, name] +
                                 [f'{v:.4f}' for v in values])
                print('val\t' + line, flush=True)
                val_log.write(line + '\n')
        net.load_state_dict(last)
        val_log.flush()

    budget = args.minutes * 60
    start = time.time()
    last_save = start
    step = seen = skipped = 0
    loss_avg = None
    waited, asked = 0.0, time.time()
    for images, targets, widths in batches:
        waited += time.time() - asked
        frac = (time.time() - start) / budget
        if frac >= 1 or (args.max_steps and step >= args.max_steps):
            break
        for group in optimizer.param_groups:
            group['lr'] = args.lr * lr_factor(frac, args.warmup, args.floor)
        x = prepare(images.to(device, non_blocking=True))  # (N, 1, H, W)
        loss, left_out = ctc_batch_loss(net(x), targets, widths,
                                        images.shape[-1], blank)
        skipped += left_out
        if loss is None:
            asked = time.time()
            continue
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
                    f'{seen / elapsed:.0f}\t{skipped}\t'
                    f'{waited / elapsed:.2f}')
            print(line, flush=True)
            log.write(line + '\n')
            log.flush()
        if time.time() - last_save > args.save_every:
            paused = time.time()
            snapshot(step)
            start += time.time() - paused  # the schedule counts training
            last_save = time.time()
        asked = time.time()
    snapshot(step)
    print(f'done: {step} steps, {seen} samples, {skipped} skipped, '
          f'{time.time() - start:.0f} s', flush=True)
    return 0


def add_train_args(parser: argparse.ArgumentParser, batch_size: int,
                   lr: float) -> None:
    """The options of :func:`train_loop` (and ``--bundle``, ``--workers``,
    ``--seed``)."""
    parser.add_argument('--bundle', required=True)
    parser.add_argument('--out', required=True, help='snapshot folder')
    parser.add_argument('--minutes', type=float, default=8.0,
                        help='training time; the schedule spans it')
    parser.add_argument('--max-steps', type=int, default=0,
                        help='stop after this many steps (0: time only)')
    parser.add_argument('--batch-size', type=int, default=batch_size)
    parser.add_argument('--lr', type=float, default=lr)
    parser.add_argument('--warmup', type=float, default=0.05,
                        help='share of the run spent warming up')
    parser.add_argument('--floor', type=float, default=0.03,
                        help='final lr as a share of --lr')
    parser.add_argument('--clip', type=float, default=5.0)
    parser.add_argument('--ema', type=float, default=0.999)
    parser.add_argument('--workers', type=int, default=os.cpu_count() - 1)
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--log-every', type=int, default=50)
    parser.add_argument('--save-every', type=float, default=120.0,
                        help='seconds between snapshots')


def single_threaded_opencv() -> None:
    """One OpenCV thread, set in the main process before the DataLoader
    forks its workers (they inherit it): OpenCV's default, a thread per
    core in every worker, oversubscribes the cores; and changing OpenCV's
    thread pool inside a forked child can deadlock."""
    import cv2
    cv2.setNumThreads(1)


def train_device(autotune: bool = True) -> torch.device:
    """CUDA if there is one (TF32 on), else CPU.

    Args:
        autotune (bool): cuDNN autotuning (``cudnn.benchmark``). It tunes
            every new input shape, so it pays off only for fixed-size
            batches; with widths that change from batch to batch it
            spends most of the run tuning.
    """
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = autotune
    return torch.device('cuda' if torch.cuda.is_available() else 'cpu')


# ------------------------------------------------------- command line ---
def tool_parser(doc: str, batch_size: int, lr: float,
                unpack_checkpoint: Optional[str] = None
                ) -> Tuple[argparse.ArgumentParser, argparse.ArgumentParser,
                           argparse.ArgumentParser]:
    """The command line the GPU tools share.

    ``pack CONFIG CHECKPOINT --out BUNDLE``, ``train`` (the options of
    :func:`add_train_args`) and ``unpack SNAPSHOT CONFIG --checkpoint W
    --out CKPT``; a tool adds its own options to the returned sub-parsers.

    Args:
        doc (str): The tool's module docstring (description, epilog).
        batch_size (int): Default ``train --batch-size``.
        lr (float): Default ``train --lr``.
        unpack_checkpoint (str, optional): Default ``unpack --checkpoint``
            (None: required).

    Returns:
        tuple: The parser and its ``pack`` and ``train`` sub-parsers.
    """
    parser = argparse.ArgumentParser(
        description=doc.split('\n\n')[0],
        epilog=doc.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='command', required=True)
    pack = sub.add_parser('pack', help='write the bundle (needs MMOCR)')
    pack.add_argument('config')
    pack.add_argument('checkpoint')
    pack.add_argument('--out', required=True, help='bundle folder')
    train = sub.add_parser('train', help='train from a bundle (no MMOCR)')
    add_train_args(train, batch_size, lr)
    unpack = sub.add_parser('unpack', help='snapshot -> MMEngine checkpoint')
    unpack.add_argument('snapshot')
    unpack.add_argument('config')
    unpack.add_argument('--checkpoint', default=unpack_checkpoint,
                        required=unpack_checkpoint is None,
                        help='weights for everything the snapshot lacks')
    unpack.add_argument('--out', required=True)
    return parser, pack, train


def unpack(args: argparse.Namespace) -> int:
    """The ``unpack`` command: :func:`unpack_snapshot`."""
    return unpack_snapshot(args.snapshot, args.config, args.checkpoint,
                           args.out)


# -------------------------------------------------------------- unpack ---
def unpack_snapshot(snapshot: str, config: str, checkpoint: str,
                    out: str) -> int:
    """Snapshot -> MMEngine checkpoint of the config's model (the config
    saved in its ``meta``, as MMEngine's runner saves it).

    Args:
        snapshot (str): ``last.pth`` or ``ema.pth`` of a run.
        config (str): The bundle's config.
        checkpoint (str): Weights for everything the snapshot lacks.
        out (str): Checkpoint to write.

    Returns:
        int: 0, or 1 (one error line) if the snapshot does not fit the
        config's model.
    """
    from crnn_plugin.apis.model_loading import load_recognizer
    state_in = torch.load(snapshot, map_location='cpu', weights_only=True)
    cfg, model = load_recognizer(config, checkpoint)
    state = model.state_dict()
    missing = [k for k in state_in['state_dict'] if k not in state]
    wrong = [k for k, v in state_in['state_dict'].items()
             if k in state and v.shape != state[k].shape]
    if missing or wrong:
        first = (missing or wrong)[0]
        print(f'error: {len(missing) + len(wrong)} snapshot tensors do not '
              f'fit the model (first: {first})', file=sys.stderr)
        return 1
    for k, v in state_in['state_dict'].items():
        state[k] = v.to(state[k].dtype)
    model.load_state_dict(state)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(iter=int(state_in['step']),
                              source=osp.basename(snapshot),
                              cfg=cfg.pretty_text)), out)
    print(f'{out}: {len(state_in["state_dict"])} tensors, '
          f'step {state_in["step"]}')
    return 0


def worker_threads(_: int) -> None:
    """DataLoader ``worker_init_fn``: one PyTorch thread per worker."""
    torch.set_num_threads(1)
