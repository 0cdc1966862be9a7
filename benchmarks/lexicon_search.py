"""Benchmark lexicon-based transcription (paper §2.3.3) on a 50k lexicon.

For δ = 0..4 it measures, per sample: BK-tree candidate search and CTC
scoring of the candidates (our :class:`LexiconCTCPostProcessor` path),
candidate counts and agreement with, in the same run,

(a) exhaustive CTC scoring of every lexicon word (the original Torch code's
    method), restricted to ``N_δ`` for the agreement check,
(b) pybktree (one Python call of rapidfuzz's Levenshtein per visited node),
(c) a linear scan with ``rapidfuzz.process.cdist(score_cutoff=δ)``,

plus the size below which exhaustive scoring is the cheaper choice
(``exhaustive_below``). Queries are synthetic: a lexicon word with 0-3
random edits, spelled by peaky per-frame distributions (T=26 frames, 37
classes) along a random CTC alignment, with noise.

Example::

    nice -n 5 python benchmarks/lexicon_search.py --num-queries 200
"""
import argparse
import json
import os
import os.path as osp
import platform
import sys
import time

import numpy as np
import torch
from tqdm import tqdm

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

from crnn_plugin.lexicon import (BKTree, Lexicon, best_candidate,  # noqa
                                 probs_to_log_probs, read_word_file,
                                 score_lexicon_ids)
from crnn_plugin.models.common import CharsetDictionary  # noqa: E402

HUNSPELL = '/usr/share/hunspell/en_US.dic'
DEFAULT_LEXICON = osp.join(ROOT, '.cache', 'lexicons',
                           'hunspell_en_us_50k.txt')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--lexicon', help='word file; default: 50k words sampled '
                   f'from {HUNSPELL} by tools/data/hunspell_to_words.py')
    p.add_argument('--num-queries', type=int, default=200)
    p.add_argument('--deltas', type=int, nargs='+', default=[0, 1, 2, 3, 4])
    p.add_argument('--frames', type=int, default=26)
    p.add_argument('--pybktree-queries', type=int, default=100,
                   help='queries timed with pybktree (slow at large δ)')
    p.add_argument('--sweep-sizes', type=int, nargs='*',
                   default=[100, 300, 1000, 3000, 10000])
    p.add_argument('--threads', type=int, default=1, help='torch threads')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--json', help='also write the results here')
    return p.parse_args(argv)


def default_lexicon() -> str:
    if not osp.isfile(DEFAULT_LEXICON):
        sys.path.insert(0, osp.join(ROOT, 'tools', 'data'))
        import hunspell_to_words
        if not osp.isfile(HUNSPELL):
            sys.exit(f'{HUNSPELL} missing: apt-get install -y hunspell-en-us')
        hunspell_to_words.main(
            [HUNSPELL, '-o', DEFAULT_LEXICON, '--max-words', '50000'])
    return DEFAULT_LEXICON


def synth_query(lexicon, eligible, num_frames, rng):
    """(true id, per-frame log-probs (T, C)) for a noisy lexicon word."""
    blank = lexicon.dictionary.padding_idx
    num_classes = lexicon.dictionary.num_classes
    while True:
        true_id = int(rng.choice(eligible))
        labels = list(lexicon.labels[true_id])
        for _ in range(rng.integers(0, 4)):  # 0-3 random edits
            op, pos = rng.integers(0, 3), rng.integers(0, len(labels) + 1)
            new = int(rng.integers(0, blank))
            if op == 0:
                labels.insert(pos, new)
            elif labels and op == 1:
                labels[min(pos, len(labels) - 1)] = new
            elif len(labels) > 1:
                del labels[min(pos, len(labels) - 1)]
        repeats = sum(a == b for a, b in zip(labels, labels[1:]))
        if len(labels) + repeats <= num_frames:
            break
    # Random alignment: 2L+1 slots (blank, label, blank, ..., blank).
    slots = [blank] + [x for k in labels for x in (k, blank)]
    length = np.zeros(len(slots), dtype=np.int64)
    length[1::2] = 1
    length[2:-1:2] = [int(a == b) for a, b in zip(labels, labels[1:])]
    extra = num_frames - int(length.sum())
    length += rng.multinomial(extra, np.ones(len(slots)) / len(slots))
    path = np.repeat(slots, length)  # (T,)
    logits = rng.normal(0, 1, (num_frames, num_classes))
    logits[np.arange(num_frames), path] += rng.uniform(4, 8, num_frames)
    confused = rng.random(num_frames) < 0.2  # a strong second guess
    logits[confused, rng.integers(0, num_classes, confused.sum())] += \
        rng.uniform(2, 5, confused.sum())
    probs = torch.from_numpy(logits).float().softmax(-1)
    return true_id, probs_to_log_probs(probs)


def greedy_labels(log_probs, blank):
    best = log_probs.argmax(-1).tolist()
    return [k for i, k in enumerate(best)
            if k != blank and (i == 0 or k != best[i - 1])]


def stats(values):
    v = np.asarray(values, dtype=np.float64)
    return dict(median=float(np.median(v)), p95=float(np.percentile(v, 95)),
                mean=float(v.mean()), max=float(v.max()))


def timed(fn, *args, **kwargs):
    """``(result, wall ms, CPU ms)``; CPU = this thread's CPU time, which
    excludes time the shared machine gave to other processes."""
    wall, cpu = time.perf_counter(), time.thread_time()
    out = fn(*args, **kwargs)
    return (out, (time.perf_counter() - wall) * 1e3,
            (time.thread_time() - cpu) * 1e3)


class Recorder(dict):
    """Lists of measurements by name."""

    def add(self, **values):
        for key, value in values.items():
            self.setdefault(key, []).append(value)


def ours(lexicon, log_probs, greedy, delta, method='bktree'):
    """N_δ search, then CTC scoring + argmax: the postprocessor's work."""
    blank = lexicon.dictionary.padding_idx
    ids, search_wall, search_cpu = timed(lexicon.search, greedy, delta,
                                         method)
    best, score_wall, score_cpu = timed(
        lambda: best_candidate(
            score_lexicon_ids(log_probs, lexicon, ids, blank)))
    chosen = None if best is None else int(ids[best.index])
    return ids, chosen, (search_wall, search_cpu), (score_wall, score_cpu)


def run(args, lexicon, queries, results):
    """All methods on every query, interleaved (same machine load)."""
    import pybktree
    from rapidfuzz.distance import Levenshtein
    blank = lexicon.dictionary.padding_idx
    _, build_wall, build_cpu = timed(lambda: lexicon.tree.node_items)
    pyb, pyb_wall, pyb_cpu = timed(pybktree.BKTree, Levenshtein.distance,
                                   sorted(lexicon.codes, key=len))
    results['build_s'] = dict(ours_cpu=build_cpu / 1e3,
                              pybktree_cpu=pyb_cpu / 1e3,
                              ours_wall=build_wall / 1e3,
                              pybktree_wall=pyb_wall / 1e3)
    print(f'BK-tree build (CPU s): ours {build_cpu / 1e3:.2f} (incl. '
          f'flattening), pybktree {pyb_cpu / 1e3:.2f}')
    all_ids = np.arange(len(lexicon))
    exhaustive = Recorder()
    rows = {delta: Recorder() for delta in args.deltas}
    for q, (true_id, log_probs, greedy) in enumerate(
            tqdm(queries, desc='queries', mininterval=10)):
        scores, wall, cpu = timed(score_lexicon_ids, log_probs, lexicon,
                                  all_ids, blank)
        _, pick_wall, pick_cpu = timed(best_candidate, scores)
        exhaustive.add(wall=wall + pick_wall, cpu=cpu + pick_cpu)
        code = lexicon.encode(greedy)
        for delta, row in rows.items():
            ids, chosen, search, score = ours(lexicon, log_probs, greedy,
                                              delta)
            # (a) restricted to N_δ: the first maximum by id, like ours.
            ref = best_candidate(scores[torch.from_numpy(ids)])
            expected = None if ref is None else int(ids[ref.index])
            found, scan_wall, scan_cpu = timed(lexicon.search, greedy, delta,
                                               'scan')
            row.add(search_cpu=search[1], score_cpu=score[1],
                    total_cpu=search[1] + score[1],
                    total_wall=search[0] + score[0], cands=len(ids),
                    empty=chosen is None, correct=chosen == true_id,
                    agree=expected == chosen, scan_cpu=scan_cpu,
                    scan_total_cpu=scan_cpu + score[1],
                    same_scan=np.array_equal(found, ids))
            if q < args.pybktree_queries:
                hits, _, pyb_cpu = timed(pyb.find, code, delta)
                row.add(pyb_cpu=pyb_cpu, same_pyb=len(hits) == len(ids))
    results['exhaustive_ms'] = {k: stats(v) for k, v in exhaustive.items()}
    results['deltas'] = {
        delta: {k: stats(v) for k, v in row.items()}
        for delta, row in rows.items()
    }


def run_sweep(args, dictionary, words, queries, results):
    """Exhaustive vs BK-tree (δ=3) CPU ms per sample by lexicon size."""
    rng = np.random.default_rng(args.seed + 1)
    blank = dictionary.padding_idx
    results['sweep'] = {}
    for size in args.sweep_sizes:
        lexicon = Lexicon(rng.choice(words, size, replace=False).tolist(),
                          dictionary)
        lexicon.tree.node_items  # build outside the timings
        all_ids = np.arange(len(lexicon))
        rec = Recorder()
        for _, log_probs, greedy in queries:
            _, _, cpu = timed(lambda: best_candidate(
                score_lexicon_ids(log_probs, lexicon, all_ids, blank)))
            _, _, search, score = ours(lexicon, log_probs, greedy, 3)
            rec.add(exhaustive=cpu, bktree_delta3=search[1] + score[1])
        results['sweep'][size] = {k: stats(v) for k, v in rec.items()}


def report(results):
    exh = results['exhaustive_ms']['cpu']
    print('\nCPU ms per sample (thread CPU time; wall time only in its '
          'own column)\n')
    print('| δ | candidates median / mean / max | BK-tree search median / '
          'p95 | CTC scoring median / p95 | total median / p95 / mean | '
          'total wall median / mean | (a) exhaustive ÷ ours (mean) | '
          '(b) pybktree search median (÷ ours) | (c) scan search median '
          '(÷ ours) | (c) scan + scoring mean | agree with (a) on N_δ | '
          'same N_δ as (b), (c) | empty N_δ | synthetic acc |')
    print('|' + '---|' * 14)
    for delta, r in results['deltas'].items():
        c, s, sc, t = r['cands'], r['search_cpu'], r['score_cpu'], \
            r['total_cpu']
        same = min(r['same_scan']['mean'], r['same_pyb']['mean'])
        print(f"| {delta} | {c['median']:.0f} / {c['mean']:.0f} / "
              f"{c['max']:.0f} | {s['median']:.2f} / {s['p95']:.2f} | "
              f"{sc['median']:.2f} / {sc['p95']:.2f} | {t['median']:.2f} / "
              f"{t['p95']:.2f} / {t['mean']:.2f} | "
              f"{r['total_wall']['median']:.2f} / "
              f"{r['total_wall']['mean']:.2f} | "
              f"{exh['mean'] / t['mean']:.0f}x | "
              f"{r['pyb_cpu']['median']:.2f} "
              f"({r['pyb_cpu']['median'] / max(s['median'], 1e-3):.1f}x) | "
              f"{r['scan_cpu']['median']:.2f} "
              f"({r['scan_cpu']['median'] / max(s['median'], 1e-3):.2f}x) | "
              f"{r['scan_total_cpu']['mean']:.2f} | "
              f"{r['agree']['mean']:.1%} | {same:.1%} | "
              f"{r['empty']['mean']:.1%} | {r['correct']['mean']:.1%} |")
    wall = results['exhaustive_ms']['wall']
    print(f"\n(a) exhaustive CTC scoring of all {results['lexicon_size']} "
          f"words, CPU ms: median {exh['median']:.1f}, p95 "
          f"{exh['p95']:.1f}, mean {exh['mean']:.1f} (wall mean "
          f"{wall['mean']:.1f})")
    if results.get('sweep'):
        print('\n| lexicon size | exhaustive CPU ms median / mean | BK-tree '
              'δ=3 search + scoring CPU ms median / mean |\n|---|---|---|')
        for size, r in results['sweep'].items():
            e, t = r['exhaustive'], r['bktree_delta3']
            print(f"| {size} | {e['median']:.2f} / {e['mean']:.2f} | "
                  f"{t['median']:.2f} / {t['mean']:.2f} |")


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    path = args.lexicon or default_lexicon()
    dictionary = CharsetDictionary('lower_digits')
    words = read_word_file(path)
    lexicon, load_ms, _ = timed(Lexicon, words, dictionary, 'auto', path)
    blank = dictionary.padding_idx
    print(f'{lexicon!r}, loaded in {load_ms / 1e3:.2f} s')
    print(f'{platform.processor() or platform.machine()}, {os.cpu_count()} '
          f'CPUs, load average {os.getloadavg()}, nice {os.nice(0)}, torch '
          f'{torch.__version__} threads {torch.get_num_threads()}')
    _, _, min_frames = lexicon.label_arrays()
    eligible = np.flatnonzero(min_frames <= args.frames - 3)
    queries = []
    for _ in range(args.num_queries):
        true_id, log_probs = synth_query(lexicon, eligible, args.frames, rng)
        queries.append((true_id, log_probs, greedy_labels(log_probs, blank)))
    results = dict(lexicon=path, lexicon_size=len(lexicon),
                   num_queries=len(queries), frames=args.frames,
                   threads=args.threads, loadavg_start=os.getloadavg())
    run(args, lexicon, queries, results)
    run_sweep(args, dictionary, lexicon.words, queries[:40], results)
    results['loadavg_end'] = os.getloadavg()
    report(results)
    print(f"\nload average at start {results['loadavg_start']}, at end "
          f"{results['loadavg_end']}")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
