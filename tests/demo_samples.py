"""The committed demo samples, ``demo/<kind>/labels.tsv``.

Each line is ``file<TAB>label`` (a word for ``words``, pitch tokens for
``scores``, semantic symbols for ``scores_semantic``); see the README beside
each file for how they were made.
"""
import csv
import os.path as osp
from typing import Dict, List, Tuple

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def demo_dir(kind: str) -> str:
    """``demo/<kind>`` of the repository ('words', 'scores' or
    'scores_semantic')."""
    return osp.join(ROOT, 'demo', kind)


def demo_samples(kind: str) -> List[Tuple[str, str]]:
    """``(absolute path, label)`` of every sample of ``kind``, file order."""
    folder = demo_dir(kind)
    with open(osp.join(folder, 'labels.tsv'), newline='',
              encoding='utf-8') as f:
        return [(osp.join(folder, name), label)
                for name, label in csv.reader(f, delimiter='\t')]


def demo_labels(kind: str) -> Dict[str, str]:
    """``{file name: label}`` of the samples of ``kind``."""
    return {osp.basename(path): label for path, label in demo_samples(kind)}
