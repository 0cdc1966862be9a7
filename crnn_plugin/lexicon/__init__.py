"""Lexicon-based transcription (paper §2.3.3): BK-tree + CTC scoring."""
from .bk_tree import BKTree
from .ctc_scoring import (BestCandidate, best_candidate, ctc_log_likelihood,
                          probs_to_log_probs)
from .hunspell import read_dic_words
from .lexicon import Lexicon, labels_to_code, resolve_case_fold
from .lexicon_file import load_lexicon, read_word_file
from .lexicon_metrics import LexiconFreeWordMetric, LexiconStatsMetric
from .lexicon_decoding import (LexiconDecision, decode_with_lexicon,
                               score_lexicon_ids)
from .per_image_lexicon import (LexiconCache, load_per_image_file,
                                lookup_image, sample_lexicon_words)

__all__ = [
    'read_dic_words',
    'BKTree', 'BestCandidate', 'Lexicon', 'LexiconCache', 'LexiconDecision',
    'LexiconFreeWordMetric', 'LexiconStatsMetric',
    'best_candidate', 'ctc_log_likelihood', 'decode_with_lexicon',
    'labels_to_code', 'load_lexicon', 'load_per_image_file', 'lookup_image',
    'probs_to_log_probs', 'read_word_file',
    'resolve_case_fold', 'sample_lexicon_words', 'score_lexicon_ids'
]
