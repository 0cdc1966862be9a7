"""Lexicon-based transcription (paper §2.3.3): BK-tree search + CTC scoring."""
from .bk_tree import BKTree
from .lexicon import (Lexicon, labels_to_code, load_lexicon, read_word_file,
                      resolve_case_fold)
from .per_image_lexicon import (LexiconCache, load_per_image_file,
                                lookup_image, sample_lexicon_words)

__all__ = [
    'BKTree', 'Lexicon', 'LexiconCache', 'labels_to_code', 'load_lexicon',
    'load_per_image_file', 'lookup_image', 'read_word_file',
    'resolve_case_fold', 'sample_lexicon_words'
]
