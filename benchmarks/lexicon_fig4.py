"""The paper's Fig. 4 for a trained model: accuracy and search time vs δ.

Runs the model of CONFIG/CHECKPOINT once over the config's test set,
keeps the per-frame probabilities, then for every δ transcribes each image
with the lexicon's BK-tree (paper eq. 2) and measures word accuracy
(MMOCR's ``ignore_case_symbol``) and the lexicon search + CTC scoring time
per sample. Draws accuracy as a blue line and time as red bars (PNG) and
prints the table; the lexicon-free accuracy is the dashed line.

Example (the paper used IC03 with the 50k Hunspell lexicon)::

    nice -n 5 python benchmarks/lexicon_fig4.py CONFIG CKPT \\
        --lexicon .cache/lexicons/hunspell_en_us_50k.txt --out fig4.png
"""
import argparse
import json
import math
import os.path as osp
import re
import sys
import time

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, load_checkpoint
from tqdm import tqdm

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import crnn_plugin.registration  # noqa: E402,F401  (and safe loading)
from crnn_plugin.lexicon import (decode_with_lexicon, load_lexicon,  # noqa
                                 probs_to_log_probs)
from mmocr.registry import MODELS  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--lexicon', required=True, help='word file')
    p.add_argument('--deltas', type=int, nargs='+', default=[0, 1, 2, 3, 4])
    p.add_argument('--search', default='bktree', choices=['bktree', 'scan'])
    p.add_argument('--max-samples', type=int, help='first N test images')
    p.add_argument('--out', default='fig4.png', help='PNG path')
    p.add_argument('--json', help='also write the numbers here')
    p.add_argument('--cfg-options', nargs='+', action=DictAction)
    return p.parse_args(argv)


def collect(cfg, checkpoint, max_samples=None):
    """``[(log_probs (T', C), greedy labels, gt text)]`` over the test set."""
    init_default_scope('mmocr')
    model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu')  # weights_only
    model.eval()
    greedy = model.decoder.postprocessor
    loader = Runner.build_dataloader(cfg.test_dataloader)
    records = []
    with torch.no_grad():
        for batch in tqdm(loader, desc='model', mininterval=5):
            data = model.data_preprocessor(batch, False)
            samples = data['data_samples']
            feat = model.extract_feat(data['inputs'])
            out_enc = model.encoder(feat, samples) \
                if model.with_encoder else None
            probs = model.decoder.forward_test(feat, out_enc, samples)
            for prob, sample in zip(probs.float().cpu(), samples):  # (T, C)
                labels, _ = greedy.get_single_prediction(prob, sample)
                ratio = sample.get('valid_ratio', 1)
                frames = min(len(prob), max(1, math.ceil(len(prob) * ratio)))
                records.append((probs_to_log_probs(prob[:frames]), labels,
                                sample.gt_text.item))
                if max_samples and len(records) >= max_samples:
                    return records, greedy.dictionary
    return records, greedy.dictionary


def normalise(text: str) -> str:
    """MMOCR WordMetric's ``ignore_case_symbol`` comparison form."""
    return re.sub('[^A-Za-z0-9\u4e00-\u9fa5]', '', text.lower())


def evaluate(records, dictionary, lexicon, deltas, search='bktree'):
    """Accuracy and time per sample for each δ (and lexicon-free)."""
    blank = dictionary.padding_idx
    free = np.mean([normalise(dictionary.idx2str(labels)) == normalise(gt)
                    for _, labels, gt in records])
    rows = {}
    for delta in deltas:
        correct, ms, cands = [], [], []
        for log_probs, labels, gt in records:
            start = time.perf_counter()
            d = decode_with_lexicon(log_probs, labels, lexicon, blank, delta,
                                    exhaustive_below=0, on_empty='greedy',
                                    search=search)
            ms.append((time.perf_counter() - start) * 1e3)
            text = dictionary.idx2str(labels) if d.word_id is None else \
                lexicon.words[d.word_id]
            correct.append(normalise(text) == normalise(gt))
            cands.append(d.num_candidates)
        rows[delta] = dict(accuracy=float(np.mean(correct)),
                           ms_mean=float(np.mean(ms)),
                           ms_median=float(np.median(ms)),
                           candidates_mean=float(np.mean(cands)))
    return dict(samples=len(records), lexicon_size=len(lexicon),
                lexicon_free_accuracy=float(free), deltas=rows)


def plot(results, out):
    """Blue line: accuracy vs δ; red bars: search time per sample."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    deltas = list(results['deltas'])
    acc = [100 * results['deltas'][d]['accuracy'] for d in deltas]
    ms = [results['deltas'][d]['ms_mean'] for d in deltas]
    fig, ax_time = plt.subplots(figsize=(5, 3.6))
    ax_time.bar(deltas, ms, color='tab:red', alpha=0.6, width=0.5)
    ax_time.set_xlabel('δ')
    ax_time.set_ylabel('search + scoring time (ms/sample)', color='tab:red')
    ax_acc = ax_time.twinx()
    ax_acc.plot(deltas, acc, 'o-', color='tab:blue', label='lexicon-based')
    ax_acc.axhline(100 * results['lexicon_free_accuracy'], ls='--',
                   color='tab:blue', alpha=0.5, label='lexicon-free')
    ax_acc.set_ylabel('word accuracy (%)', color='tab:blue')
    ax_acc.legend(loc='lower right', fontsize=8)
    ax_time.set_title(f"{results['samples']} images, "
                      f"{results['lexicon_size']}-word lexicon", fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    records, dictionary = collect(cfg, args.checkpoint, args.max_samples)
    lexicon = load_lexicon(args.lexicon, dictionary)
    lexicon.tree.node_items  # build outside the timings
    results = evaluate(records, dictionary, lexicon, args.deltas,
                       args.search)
    print(f"lexicon-free accuracy {results['lexicon_free_accuracy']:.2%} "
          f"on {results['samples']} images\n| δ | accuracy | ms/sample "
          'mean / median | candidates mean |\n|---|---|---|---|')
    for delta, r in results['deltas'].items():
        print(f"| {delta} | {r['accuracy']:.2%} | {r['ms_mean']:.2f} / "
              f"{r['ms_median']:.2f} | {r['candidates_mean']:.0f} |")
    plot(results, args.out)
    print(f'wrote {args.out}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == '__main__':
    main()
