#!/usr/bin/env python
"""Turn a training checkpoint into a small, safe, verified release file.

Keeps only the model weights (``state_dict``; optimizer, scheduler and
message-hub state are dropped) and a small ``meta``: the resolved config
text (``meta.cfg``, so ``tools/infer.py --checkpoint OUT`` needs no
``--config``), the training iteration/epoch, a description of the training
data (from ``synth_meta.json`` next to a generated LMDB), the date, and the
source file's name and SHA-256. ``--fp16`` stores floating-point tensors
as float16 (about half the size); loading upcasts them: PyTorch's
``load_state_dict`` (also under MMEngine's ``load_checkpoint``) copies
into the model's float32 parameters.

The input is read with ``weights_only=True`` (never runs pickled code); the
output holds only tensors, strings and numbers, so it loads with
``torch.load(..., weights_only=True)`` without any allowlist. It is written
to a temporary file in the output folder, checked, and only then renamed
onto OUT (atomic): a failed check leaves OUT untouched. Checks: size <=
``--max-mb``; every loaded parameter is float32; greedy texts of the
published model equal those of the input checkpoint (fp32) on
``--parity-num`` images (max absolute probability difference printed).

OUT may not be the input or the config, and an existing OUT is replaced
only with ``--force``.

Exit status: 0 published, 1 a check failed, 2 bad input (missing,
unreadable or unsafe checkpoint, refused output, parity LMDB without
``num-samples``): one ``error:`` line on stderr.

Example:
    python tools/publish_checkpoint.py work_dirs/crnn_synth/iter_6000.pth \\
        checkpoints/crnn_mini-vgg_synth.pth --fp16 \\
        --config configs/crnn_mini-vgg_synth.py
"""
import argparse
import datetime
import json
import os
import os.path as osp
import sys
from typing import List, Optional, Tuple

import lmdb
import numpy as np
import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

FP16_MAX = float(torch.finfo(torch.float16).max)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('input', help='training checkpoint (.pth)')
    parser.add_argument('output', help='published checkpoint (.pth)')
    parser.add_argument('--config', required=True, help='model config')
    parser.add_argument('--fp16', action='store_true',
                        help='store floating-point tensors as float16')
    parser.add_argument('--parity-lmdb',
                        help='LMDB of parity images (default: the '
                        "config's validation set)")
    parser.add_argument('--parity-num', type=int, default=32,
                        help='parity images (default: 32)')
    parser.add_argument('--max-mb', type=float, default=35.0,
                        help='size limit in MB of 10^6 bytes (default: 35)')
    parser.add_argument('--data-desc',
                        help='training data description (default: from '
                        'the training LMDB\'s synth_meta.json)')
    parser.add_argument('--force', action='store_true',
                        help='replace an existing OUT')
    return parser.parse_args(argv)


def dataset_path(dataset: dict) -> Optional[str]:
    """``data_root/ann_file`` of an LMDB dataset config (None if absent)."""
    if not isinstance(dataset, dict) or 'ann_file' not in dataset:
        return None
    return osp.join(dataset.get('data_root') or '', dataset['ann_file'])


def describe_data(cfg) -> str:
    """One line on the training data, from ``synth_meta.json`` if any."""
    path = dataset_path(cfg.get('train_dataloader', {}).get('dataset'))
    meta_file = osp.join(path or '', 'synth_meta.json')
    if not path or not osp.isfile(meta_file):
        return f'training set: {path}'
    with open(meta_file) as f:
        meta = json.load(f)
    a = meta.get('args', {})
    families = ', '.join(sorted(meta.get('families', {})))
    return (f'{meta.get("num_written")} synthetic word images '
            f'(tools/data/synth_text.py --seed {a.get("seed")} --fonts '
            f'{a.get("fonts")} --words {a.get("words")} --charset '
            f'{a.get("charset")} --random-share {a.get("random_share")}'
            f'{" --clean" if a.get("clean") else ""}); font families: '
            f'{families}')


def slim_state(state: dict, fp16: bool) -> Tuple[dict, List[str]]:
    """Detached CPU copy of ``state``; float tensors to fp16 if asked.

    Tensors whose values exceed the float16 range stay float32 (their
    names are returned) instead of turning into infinities.
    """
    out, kept_fp32 = {}, []
    for name, value in state.items():
        name = name[len('module.'):] if name.startswith('module.') else name
        value = value.detach().cpu().clone()
        if fp16 and value.is_floating_point():
            if value.abs().max().item() > FP16_MAX:
                kept_fp32.append(name)
            else:
                value = value.half()
        out[name] = value
    return out, kept_fp32


def parity_images(cfg, lmdb: Optional[str], num: int) -> list:
    """Up to ``num`` encoded images of an LMDB (default: the val set)."""
    from crnn_plugin.datasets.lmdb_env import open_readonly_env
    path = lmdb or dataset_path(cfg.get('val_dataloader', {}).get('dataset'))
    if not path or not osp.isdir(path):
        raise FileNotFoundError(f'parity LMDB {path} not found: pass '
                                '--parity-lmdb')
    with open_readonly_env(path).begin() as txn:
        raw = txn.get(b'num-samples')
        if raw is None or not bytes(raw).strip().isdigit():
            raise ValueError(f'parity LMDB {path} has no valid '
                             '"num-samples" key')
        total = int(raw)
        return [bytes(txn.get(b'image-%09d' % i))
                for i in range(1, min(num, total) + 1)]


def parity(config: str, reference: str, published: str,
           images: list) -> Tuple[bool, float, int, List[str]]:
    """Compare the published model with the reference checkpoint.

    Returns:
        tuple: (greedy texts identical, max |prob difference|, number of
        differing texts, names of non-float32 parameters after loading).
    """
    from crnn_plugin.apis import TextRecognizer
    ref = TextRecognizer(config, reference, backend='torch', workers=0)
    pub = TextRecognizer(None, published, backend='torch', workers=0)
    not_fp32 = [n for n, p in pub.model.named_parameters()
                if p.dtype != torch.float32]
    texts_ref = [r.text for r in ref(images)]
    texts_pub = [r.text for r in pub(images)]
    max_diff = 0.0
    for img in images:
        probs = []
        for rec in (ref, pub):
            x = rec.prepare(img)[None]  # (1, C, 32, W)
            p, _ = rec.backend(x, np.array([x.shape[-1]], np.int64))
            probs.append(p)
        max_diff = max(max_diff, float(np.abs(probs[0] - probs[1]).max()))
    differ = sum(a != b for a, b in zip(texts_ref, texts_pub))
    return differ == 0, max_diff, differ, not_fp32


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    from mmengine.config import Config

    import crnn_plugin.registration  # noqa: F401
    from crnn_plugin.checkpoint import (file_sha256, read_checkpoint,
                                        torch_save_to_temp)
    from crnn_plugin.runtime.output_paths import check_output_file
    for path, what in ((args.input, 'input checkpoint'),
                       (args.config, 'config')):
        if not osp.isfile(path):
            print(f'error: {what} {path} not found', file=sys.stderr)
            return 2
    if args.parity_num < 1:
        print('error: --parity-num must be >= 1', file=sys.stderr)
        return 2
    try:
        check_output_file(args.output, [args.input, args.config,
                                        args.parity_lmdb], args.force)
        ckpt = read_checkpoint(args.input)  # one line for a bad file
    except ValueError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    cfg = Config.fromfile(args.config)
    state = ckpt.get('state_dict', ckpt)
    old_meta = ckpt.get('meta', {}) if 'state_dict' in ckpt else {}
    state, kept_fp32 = slim_state(state, args.fp16)
    meta = dict(
        cfg=cfg.pretty_text,
        iter=old_meta.get('iter'),
        epoch=old_meta.get('epoch'),
        data=args.data_desc or describe_data(cfg),
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'),
        source=dict(file=osp.basename(args.input),
                    sha256=file_sha256(args.input)),
        storage_dtype='float16' if args.fp16 else 'float32',
        kept_float32=kept_fp32,
        torch=str(torch.__version__),
        crnn_plugin=str(crnn_plugin.__version__))
    if old_meta.get('averaged_from'):  # tools/average_checkpoints.py
        meta['averaged_from'] = old_meta['averaged_from']
    tmp = torch_save_to_temp(dict(state_dict=state, meta=meta), args.output)
    try:
        size_mb = osp.getsize(tmp) / 1e6
        print(f'{len(state)} tensors, '
              f'{sum(v.numel() for v in state.values()) / 1e6:.2f}M values, '
              f'stored as {meta["storage_dtype"]}'
              f'{f" (float32 kept: {kept_fp32})" if kept_fp32 else ""}; '
              f'iteration {meta["iter"]}; size {size_mb:.2f} MB '
              f'(limit {args.max_mb:g} MB)')
        if size_mb > args.max_mb:
            print(f'error: {size_mb:.2f} MB > {args.max_mb:g} MB',
                  file=sys.stderr)
            return 1
        try:
            images = parity_images(cfg, args.parity_lmdb, args.parity_num)
        except (OSError, ValueError, lmdb.Error) as err:
            print(f'error: {err}', file=sys.stderr)
            return 2
        same, max_diff, differ, not_fp32 = parity(args.config, args.input,
                                                  tmp, images)
        dtypes = 'all float32' if not not_fp32 else \
            f'NOT float32: {not_fp32}'
        print(f'parity on {len(images)} images vs {args.input} (fp32): '
              f'greedy texts {"identical" if same else f"{differ} differ"}, '
              f'max |prob diff| {max_diff:.2e}; loaded parameters {dtypes}')
        if not same or not_fp32:
            print('error: parity check failed; nothing published',
                  file=sys.stderr)
            return 1
        os.replace(tmp, args.output)
        print(f'published {args.output} ({size_mb:.2f} MB)')
        return 0
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


if __name__ == '__main__':
    from crnn_plugin.cli import run_main
    sys.exit(run_main(main))
