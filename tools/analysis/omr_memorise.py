"""How fast does a model variant memorise a few OMR training fragments?

A quick probe for the CTC plateau of the OMR model (see
checkpoints/README.md): the config's model, built with the variant's
changes, trains on the first ``--num`` fragments of an LMDB (no
augmentation, fixed width-sorted batches) and prints the mean CTC loss every
25 steps. A variant that cannot memorise 64 fragments will not learn 24,000.

Example::

    OMP_NUM_THREADS=1 python tools/analysis/omr_memorise.py \\
        configs/omr/crnn_omr_reduced.py --variant adam+bn-all --steps 300
"""
import argparse
import itertools
import os.path as osp
import time
from typing import List, Optional

import numpy as np
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmocr.registry import DATASETS, MODELS

# Each variant edits the model config; 'adam' replaces the config's
# optimizer (the paper's ADADELTA) with Adam, lr 1e-3.
ADAM = dict(_delete_=True, type='OptimWrapper',
            optimizer=dict(type='Adam', lr=1e-3))
FLATTEN_POOLS = [((2, 2), (2, 2), (0, 0)), ((2, 2), (2, 2), (0, 0)),
                 ((2, 2), (2, 1), (0, 1)), ((1, 2), (1, 1), (0, 1))]
VARIANTS = {
    'paper': {},
    'bn-all': dict(backbone=dict(bn_after=(1, 2, 3, 5, 7))),
    'bidirectional': dict(encoder=dict(bidirectional=True, project=True)),
    # Height 4 kept through stage 4 (3 after conv7), rows flattened.
    'flatten': dict(
        backbone=dict(pools=FLATTEN_POOLS),
        encoder=dict(in_channels=512 * 3, flatten_height=True)),
    # Width pooled by 8 instead of 4: half the frames per note.
    'wide-pool': dict(backbone=dict(pools=[
        ((2, 2), (2, 2), (0, 0)), ((2, 2), (2, 2), (0, 0)),
        ((2, 2), (2, 2), (0, 0)), ((2, 2), (2, 1), (0, 1))])),
    'adam': {},
    # CoordConv: a row-position input channel.
    'coords': dict(backbone=dict(coord_channel=True)),
    # Convs (and BatchNorms) start from the shipped text model's.
    'text-init': {},
}
TEXT_CHECKPOINT = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'checkpoints', 'crnn_mini-vgg_synth.pth')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='model config, e.g. the OMR one')
    parser.add_argument(
        '--variant', default='paper',
        help=f'changes joined by "+", from {sorted(VARIANTS)}')
    parser.add_argument('--lmdb', default='data/omr/train')
    parser.add_argument('--num', type=int, default=64,
                        help='fragments to memorise (default 64)')
    parser.add_argument('--max-tokens', type=int, default=None,
                        help='only fragments with at most this many notes')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--steps', type=int, default=300)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--log-interval', type=int, default=25)
    return parser.parse_args(argv)


def fixed_batches(cfg: Config, model: torch.nn.Module, lmdb: str, num: int,
                  batch_size: int,
                  max_tokens: Optional[int] = None) -> List[dict]:
    """The first ``num`` samples (of at most ``max_tokens`` notes), sorted
    by width, collated once."""
    dataset = DATASETS.build(
        dict(type='LMDBTextRecogDataset', data_root='', ann_file=lmdb,
             img_color_type='grayscale', pipeline=cfg.test_pipeline))
    keep = list(itertools.islice(
        (i for i in range(len(dataset)) if max_tokens is None
         or len(dataset.get_data_info(i)['instances'][0]['text'].split())
         <= max_tokens), num))
    if not keep:
        raise SystemExit(f'no fragment of at most {max_tokens} notes in '
                         f'{lmdb}')
    samples = sorted((dataset[i] for i in keep),
                     key=lambda s: s['inputs'].shape[-1])
    batches = []
    for start in range(0, len(samples), batch_size):
        chunk = samples[start:start + batch_size]
        batches.append(model.data_preprocessor(
            dict(inputs=[s['inputs'] for s in chunk],
                 data_samples=[s['data_samples'] for s in chunk]), True))
    return batches


def copy_text_convs(backbone: torch.nn.Module,
                    checkpoint: str = TEXT_CHECKPOINT) -> List[int]:
    """Load the convs of ``backbone`` (a CRNNVGG) from the text model's
    convs of the same Table 1 index; BatchNorms where both have one.

    Returns:
        list[int]: The conv indices copied.
    """
    from crnn_plugin.apis import load_recognizer
    _, text = load_recognizer(checkpoint=checkpoint)
    source = text.backbone.paper_convs()
    for idx, modules in backbone.paper_convs().items():
        # [conv] or [conv, bn]: a BatchNorm only one side has is left.
        for dst, src in zip(modules, source[idx]):
            if dst.weight.shape != src.weight.shape:
                raise SystemExit(
                    f'conv{idx}: text model {tuple(src.weight.shape)} vs '
                    f'{tuple(dst.weight.shape)}')
            dst.load_state_dict(src.state_dict())
    return sorted(backbone.paper_convs())


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    names = args.variant.split('+')
    unknown = set(names) - set(VARIANTS)
    if unknown:
        raise SystemExit(f'unknown variant(s) {sorted(unknown)}; '
                         f'choose from {sorted(VARIANTS)}')
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    for name in names:
        cfg.merge_from_dict(dict(model=VARIANTS[name]))
    if 'adam' in names:
        cfg.merge_from_dict(dict(optim_wrapper=ADAM))
    torch.manual_seed(args.seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    if 'text-init' in names:
        copied = copy_text_convs(model.backbone)
        print(f'convs {copied} from the text model', flush=True)
    model.train()
    batches = fixed_batches(cfg, model, args.lmdb, args.num, args.batch_size,
                            args.max_tokens)
    print(f'{sum(len(b["data_samples"]) for b in batches)} fragments in '
          f'{len(batches)} batches', flush=True)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    losses, start = [], time.time()
    for step in range(1, args.steps + 1):
        data = batches[step % len(batches)]
        outputs = model(**data, mode='loss')
        loss = sum(v for k, v in outputs.items() if 'loss' in k)
        optim_wrapper.update_params(loss)
        losses.append(loss.item())
        if step % args.log_interval == 0:
            print(f'{args.variant} step {step} loss '
                  f'{np.mean(losses[-args.log_interval:]):.3f} '
                  f'({time.time() - start:.0f} s)',
                  flush=True)


if __name__ == '__main__':
    main()
