"""A lexicon mapped into a recognition dictionary's label space.

Lexicon words are folded to the dictionary's case (the paper's 36-class
model predicts lowercase, so ``'London'`` is matched as ``'london'``),
mapped to label indexes with the MMOCR :class:`Dictionary`, and
de-duplicated on the folded label sequence; the first spelling seen is the
one returned. Each label sequence is also encoded as a *code* (``bytes``,
or a ``str`` of ``chr(index)`` for dictionaries of over 256 classes) so
that rapidfuzz computes edit distances on labels, for characters and OMR
tokens alike.
"""
import logging
from typing import (Dict, Hashable, Iterable, List, Optional, Sequence,
                    Tuple, Union)

import numpy as np
from mmengine.logging import print_log
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

from .bk_tree import BKTree, check_delta

Word = Union[str, Sequence[Hashable]]
CASE_FOLDS = ('auto', 'lower', 'upper', 'none')
SEARCH_METHODS = ('bktree', 'scan')


def labels_to_code(labels: Iterable[int],
                   num_classes: int = 0x110000) -> Union[bytes, str]:
    """Encode label indexes as one ``bytes`` (< 256 classes) or ``str``
    item per label; rapidfuzz compares ``bytes`` slightly faster.

    Example:
        >>> labels_to_code([7, 4, 11, 11, 14], num_classes=37)
        b'\\x07\\x04\\x0b\\x0b\\x0e'
        >>> labels_to_code([300, 7]) == '\\u012c\\x07'
        True
    """
    if num_classes <= 256:
        return bytes(labels)
    return ''.join(map(chr, labels))


def resolve_case_fold(dictionary: Dictionary, case_fold: str = 'auto') -> str:
    """The case folding implied by ``case_fold`` for ``dictionary``.

    ``'auto'`` folds to lowercase when the dictionary has lowercase but no
    uppercase letters (the paper's 36 classes), to uppercase in the opposite
    case and does not fold a mixed-case (e.g. 62-class) dictionary.
    """
    if case_fold not in CASE_FOLDS:
        raise ValueError(f'case_fold must be one of {CASE_FOLDS}, '
                         f'got {case_fold!r}')
    if case_fold != 'auto':
        return case_fold
    letters = [c for c in dictionary.dict if len(c) == 1 and c.isalpha()]
    has_lower = any(c.islower() for c in letters)
    has_upper = any(c.isupper() for c in letters)
    if has_lower and not has_upper:
        return 'lower'
    if has_upper and not has_lower:
        return 'upper'
    return 'none'


def ordinary_char2idx(dictionary: Dictionary) -> Dict[str, int]:
    """``{entry: index}`` for the dictionary without its special tokens."""
    special = {dictionary.padding_idx, dictionary.unknown_idx,
               dictionary.start_idx, dictionary.end_idx} - {None}
    return {c: i for i, c in enumerate(dictionary.dict) if i not in special}


class Lexicon:
    """Words in a dictionary's label space, searchable with a BK-tree.

    Args:
        words (iterable): Words (``str``) or token sequences (tuples of
            dictionary entries, e.g. OMR tokens). Empty words are skipped.
        dictionary (dict or Dictionary): The model's dictionary (a config
            is built with ``TASK_UTILS``).
        case_fold (str): ``'auto'``, ``'lower'``, ``'upper'`` or ``'none'``;
            see :func:`resolve_case_fold`. Token sequences are never folded.
            Defaults to ``'auto'``.
        source (str): Where the words come from, for messages. Defaults to
            ``'<words>'``.

    Attributes:
        words (list): One display spelling per unique folded label sequence
            (its first occurrence), in input order.
        labels (list[tuple[int]]): Label indexes of ``words``.
        codes (list[bytes or str]): ``labels`` encoded by
            :func:`labels_to_code` (what the BK-tree stores).
        num_blank / num_duplicates / num_oov (int): Skipped inputs: empty
            words, repeated label sequences, and words with characters
            outside the dictionary (examples in ``oov_examples``).

    Example:
        >>> from crnn_plugin.models.common import CharsetDictionary
        >>> lex = Lexicon(['Hello', 'hello', 'world', 'naïve', ''],
        ...               CharsetDictionary('lower_digits'))
        >>> lex.words, lex.num_duplicates, lex.num_oov, lex.num_blank
        (['Hello', 'world'], 1, 1, 1)
        >>> [lex.words[i] for i in lex.search(lex.word_labels('hallo'), 1)]
        ['Hello']
    """

    def __init__(self,
                 words: Iterable[Word],
                 dictionary: Union[Dictionary, dict],
                 case_fold: str = 'auto',
                 source: str = '<words>') -> None:
        if isinstance(dictionary, dict):
            dictionary = TASK_UTILS.build(dictionary)
        self.dictionary = dictionary
        self.case_fold = resolve_case_fold(dictionary, case_fold)
        self.source = source
        self._char2idx = ordinary_char2idx(dictionary)
        self.words: List[Word] = []
        self.labels: List[Tuple[int, ...]] = []
        self.codes: List[Union[bytes, str]] = []
        self._code2id: Dict[Union[bytes, str], int] = {}
        self.num_blank = self.num_duplicates = self.num_oov = 0
        self.oov_examples: List[Word] = []
        for word in words:
            if isinstance(word, str):
                word = word.strip()
            if len(word) == 0:
                self.num_blank += 1
                continue
            labels = self.word_labels(word)
            if labels is None:
                self.num_oov += 1
                if len(self.oov_examples) < 5:
                    self.oov_examples.append(word)
                continue
            code = self.encode(labels)
            if code in self._code2id:
                self.num_duplicates += 1
                continue
            self._code2id[code] = len(self.codes)
            self.words.append(word)
            self.labels.append(labels)
            self.codes.append(code)
        self._tree: Optional[BKTree] = None
        self._node2id: Optional[np.ndarray] = None
        self._arrays = None

    def fold(self, word: Word) -> Word:
        """Apply the case folding to a ``str`` word (tokens unchanged)."""
        if not isinstance(word, str) or self.case_fold == 'none':
            return word
        return word.lower() if self.case_fold == 'lower' else word.upper()

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return (f'Lexicon({self.source!r}, {len(self)} words, case_fold='
                f'{self.case_fold!r}, skipped: {self.num_blank} blank, '
                f'{self.num_duplicates} duplicate, {self.num_oov} out of '
                'dictionary)')

    def word_labels(self, word: Word) -> Optional[Tuple[int, ...]]:
        """Label indexes of the folded ``word``; None if a character (or
        token) is not an ordinary dictionary entry."""
        labels = tuple(self._char2idx.get(c) for c in self.fold(word))
        return None if None in labels else labels

    @property
    def tree(self) -> BKTree:
        """The BK-tree over :attr:`codes`, built on first use.

        Words are inserted shortest first: on the 50k Hunspell lexicon a
        δ=3 search then visits ~21k nodes instead of ~29k in random order
        (benchmarks/lexicon_search.py).
        """
        if self._tree is None:
            self._tree = BKTree(items=sorted(self.codes, key=len))
        return self._tree

    def encode(self, labels: Iterable[int]) -> Union[bytes, str]:
        """The code of label indexes, as stored in the BK-tree."""
        return labels_to_code(labels, self.dictionary.num_classes)

    def search(self,
               labels: Iterable[int],
               delta: int,
               method: str = 'bktree') -> np.ndarray:
        """Lexicon ids of ``N_δ(labels)`` (paper eq. 2), ascending.

        Args:
            labels (iterable[int]): Query label indexes (e.g. the greedy
                transcription).
            delta (int): Maximal edit distance, >= 0.
            method (str): ``'bktree'`` (the paper's) or ``'scan'``: every
                word's distance with rapidfuzz's C++ ``cdist``; same result,
                see docs/lexicon.md for which is faster. Defaults to
                ``'bktree'``.

        Returns:
            np.ndarray: Sorted int64 ids into :attr:`words`, shape (K,).
        """
        delta = check_delta(delta)
        code = self.encode(labels)
        if method not in SEARCH_METHODS:
            raise ValueError(f'method must be one of {SEARCH_METHODS}, '
                             f'got {method!r}')
        if delta == 0:  # N_0 = {l'} if l' is a word
            word_id = self._code2id.get(code)
            return np.array([] if word_id is None else [word_id], np.int64)
        if method == 'scan':
            # Every word's distance is computed, none is used for pruning,
            # so the cutoff is safe: values <= delta are exact.
            dists = process.cdist([code], self.codes,
                                  scorer=Levenshtein.distance,
                                  score_cutoff=delta, dtype=np.int32,
                                  workers=1)[0]
            return np.flatnonzero(dists <= delta).astype(np.int64)
        nodes, _ = self.tree.find_nodes(code, delta)
        if self._node2id is None:  # tree node id -> lexicon id
            self._node2id = np.fromiter(
                (self._code2id[c] for c in self.tree.node_items),
                dtype=np.int64, count=len(self))
        return np.sort(self._node2id[nodes])

    def id_of(self, word: Word) -> Optional[int]:
        """Id of ``word`` (after folding), or None if it is not in here."""
        labels = self.word_labels(word)
        return None if labels is None else self._code2id.get(
            self.encode(labels))

    def label_arrays(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Padded labels ``(N, L_max)``, lengths ``(N,)`` and the fewest
        frames each word needs under CTC ``(N,)`` (length + repeats)."""
        if self._arrays is None:
            lengths = np.array([len(lab) for lab in self.labels], np.int64)
            padded = np.zeros((len(self), max(lengths, default=0)), np.int64)
            repeats = np.zeros(len(self), dtype=np.int64)
            for i, lab in enumerate(self.labels):
                padded[i, :len(lab)] = lab
                repeats[i] = sum(a == b for a, b in zip(lab, lab[1:]))
            self._arrays = (padded, lengths, lengths + repeats)
        return self._arrays

    def log_summary(self, level: int = logging.INFO) -> None:
        """Log the counts; words outside the dictionary as a warning."""
        if self.num_oov:
            print_log(
                f'{self.source}: {self.num_oov} word(s) have characters '
                f'outside the dictionary and were excluded, e.g. '
                f'{self.oov_examples}', logger='current',
                level=logging.WARNING)
        print_log(repr(self), logger='current', level=level)
