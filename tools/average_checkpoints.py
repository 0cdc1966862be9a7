#!/usr/bin/env python
"""Average the weights of several checkpoints of one training run.

With a constant learning rate (the paper's ADADELTA) the weights keep
wandering around a minimum and validation accuracy jumps by a few points
from one checkpoint to the next; the mean of the last few checkpoints
(Polyak averaging, as in fairseq's ``average_checkpoints.py``) usually
scores better than any of them. Floating-point tensors are averaged in
float64 and stored as float32; integer tensors (BatchNorm's
``num_batches_tracked``) are taken from the last checkpoint. BatchNorm
running statistics are averaged like the weights.

Inputs are read with ``weights_only=True``; the output holds
``state_dict`` and a ``meta`` with the last checkpoint's iteration/epoch and
``averaged_from`` (file names, iterations, SHA-256), written atomically.
Publish it with ``tools/publish_checkpoint.py`` as any checkpoint.

Exit status: 0 written, 2 bad input (missing, unreadable or unsafe file,
different parameter names or shapes, an output that is an input or exists
without ``--force``): one ``error:`` line on stderr.

Example:
    python tools/average_checkpoints.py \\
        work_dirs/crnn_synth/iter_5{000,250,500}.pth \\
        -o work_dirs/crnn_synth/avg_5000-5500.pth
"""
import argparse
import os
import os.path as osp
import sys
from typing import Dict, List, Optional

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('inputs', nargs='+', help='checkpoints (.pth)')
    parser.add_argument('-o', '--output', required=True,
                        help='averaged checkpoint (.pth)')
    parser.add_argument('--force', action='store_true',
                        help='replace an existing output')
    return parser.parse_args(argv)


def average_state_dicts(
        states: List[Dict[str, torch.Tensor]]) -> Dict[str, torch.Tensor]:
    """Mean of floating-point tensors; others from the last state.

    Args:
        states (list[dict]): State dicts with the same keys and shapes.

    Returns:
        dict: The averaged state dict (float tensors as float32).

    Raises:
        ValueError: If keys or shapes differ.
    """
    keys = list(states[-1])
    for i, state in enumerate(states):
        if set(state) != set(keys):
            diff = sorted(set(state) ^ set(keys))[:5]
            raise ValueError(f'checkpoint {i} has other parameters: {diff}')
        for k in keys:
            if state[k].shape != states[-1][k].shape:
                raise ValueError(f'{k}: shape {tuple(state[k].shape)} in '
                                 f'checkpoint {i}, '
                                 f'{tuple(states[-1][k].shape)} in the last')
    out = {}
    for k in keys:
        last = states[-1][k]
        if last.is_floating_point():
            total = sum(s[k].double() for s in states)
            out[k] = (total / len(states)).float()
        else:
            out[k] = last.clone()
    return out


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    from crnn_plugin.checkpoint import (file_sha256, read_checkpoint,
                                        torch_save_to_temp)
    from crnn_plugin.runtime.output_paths import check_output_file
    missing = [p for p in args.inputs if not osp.isfile(p)]
    if missing:
        print(f'error: not found: {", ".join(missing)}', file=sys.stderr)
        return 2
    states, sources, meta = [], [], {}
    try:
        check_output_file(args.output, args.inputs, args.force)
        ckpts = [read_checkpoint(path) for path in args.inputs]
    except ValueError as err:  # OutputPathError, CheckpointError
        print(f'error: {err}', file=sys.stderr)
        return 2
    for path, ckpt in zip(args.inputs, ckpts):
        state = ckpt.get('state_dict', ckpt)
        meta = ckpt.get('meta', {}) if 'state_dict' in ckpt else {}
        states.append(state)
        sources.append(dict(file=osp.basename(path), iter=meta.get('iter'),
                            sha256=file_sha256(path)))
        print(f'{path}: iteration {meta.get("iter")}')
    try:
        state = average_state_dicts(states)
    except ValueError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    out_meta = dict(iter=meta.get('iter'), epoch=meta.get('epoch'),
                    averaged_from=sources)
    tmp = torch_save_to_temp(dict(state_dict=state, meta=out_meta),
                             args.output)
    os.replace(tmp, args.output)
    print(f'wrote {args.output}: mean of {len(states)} checkpoints, '
          f'{len(state)} tensors')
    return 0


if __name__ == '__main__':
    from crnn_plugin.cli import run_main
    sys.exit(run_main(main))
