"""Lexicon-based transcription (paper §2.3.3): BK-tree + CTC scoring.

Names are served lazily (PEP 562): the Hunspell reader
(:func:`read_dic_words`) imports without torch or MMOCR, so the synthetic
word engine that uses it runs where only NumPy, OpenCV and Pillow are
installed.
"""
import importlib
from typing import Any

# Public name -> submodule that defines it.
_NAMES = {
    'BKTree': 'bk_tree',
    'BestCandidate': 'ctc_scoring',
    'best_candidate': 'ctc_scoring',
    'ctc_log_likelihood': 'ctc_scoring',
    'probs_to_log_probs': 'ctc_scoring',
    'read_dic_words': 'hunspell',
    'Lexicon': 'lexicon',
    'labels_to_code': 'lexicon',
    'resolve_case_fold': 'lexicon',
    'load_lexicon': 'lexicon_file',
    'read_word_file': 'lexicon_file',
    'LexiconFreeWordMetric': 'lexicon_metrics',
    'LexiconStatsMetric': 'lexicon_metrics',
    'LexiconDecision': 'lexicon_decoding',
    'decode_with_lexicon': 'lexicon_decoding',
    'score_lexicon_ids': 'lexicon_decoding',
    'LexiconCache': 'per_image_lexicon',
    'load_per_image_file': 'per_image_lexicon',
    'lookup_image': 'per_image_lexicon',
    'sample_lexicon_words': 'per_image_lexicon',
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    """Import the submodule defining ``name`` on first access."""
    if name in _NAMES:
        module = importlib.import_module(f'.{_NAMES[name]}', __name__)
        return getattr(module, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__() -> list:
    return sorted(list(globals()) + __all__)
