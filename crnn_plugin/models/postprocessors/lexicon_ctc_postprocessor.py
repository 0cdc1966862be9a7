"""Lexicon-based transcription (paper §2.3.3) as an MMOCR postprocessor."""
import logging
import math
import time
from collections import Counter
from typing import Optional

import torch
from mmengine.logging import print_log
from mmengine.structures import LabelData

from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from crnn_plugin.lexicon import (LexiconCache, decode_with_lexicon,
                                 load_lexicon, load_per_image_file,
                                 probs_to_log_probs, sample_lexicon_words)
from crnn_plugin.lexicon.bk_tree import check_delta
from crnn_plugin.lexicon.lexicon import SEARCH_METHODS
from crnn_plugin.lexicon.lexicon_decoding import ON_EMPTY, check_margin
from ..common.valid_frames import valid_frames
from .greedy_ctc_postprocessor import GreedyCTCPostProcessor


@MODELS.register_module()
class LexiconCTCPostProcessor(GreedyCTCPostProcessor):
    """Transcribe with a lexicon: ``l* = argmax_{l in N_δ(l')} p(l|y)``.

    ``l'`` is the greedy (lexicon-free) transcription of
    :class:`GreedyCTCPostProcessor`; ``N_δ(l')`` holds the lexicon words
    within edit distance δ of it, found with a BK-tree; each is scored by
    its CTC probability ``p(l|y)`` (eq. 1, forward algorithm, all candidates
    in one batch). Lexicons with fewer than ``exhaustive_below`` words (e.g.
    the per-image 50/1k-word lists) are scored exhaustively, which is exact.
    Lexicon words are matched after folding them to the dictionary's case;
    the returned text keeps the lexicon's spelling.

    Each sample's ``pred_text`` gets:

    - ``item``: the lexicon word (the greedy text when none was chosen),
    - ``score`` / ``word_score``: the chosen word's posterior within the
      scored candidates, ``p(l*|y) / sum_l p(l|y)``, both floats (a
      lexicon word has no per-character scores); the greedy scores when
      no word was chosen,
    - ``log_prob``: ``log p(l*|y)``,
    - ``greedy_item`` / ``greedy_score`` / ``greedy_word_score``: the
      lexicon-free result, for side-by-side evaluation
      (:class:`LexiconFreeWordMetric`),
    - ``lexicon_method`` (``'exhaustive'``, ``'bktree'``, ``'greedy'``:
      nothing alignable found, ``'none'``: no lexicon for this image),
      ``num_candidates``, ``delta`` (final radius, -1 if exhaustive),
      ``widened`` and ``lexicon_ms`` (search + scoring time).

    Args:
        dictionary (dict or Dictionary): The model's dictionary; its padding
            token is the CTC blank.
        lexicon (str, optional): Global lexicon file (UTF-8, one word per
            line), e.g. the 50k Hunspell list. Defaults to None.
        per_image (bool): Use each sample's own lexicon (metainfo
            ``lexicon``, ``instances[0]['lexicon']`` or ``per_image_file``)
            when it has one; others use ``lexicon``. Defaults to False.
        per_image_file (str, optional): JSON ``{image_key: [words]}``;
            implies ``per_image``. Defaults to None.
        delta (int): Maximal edit distance δ. Defaults to 3 (the paper's).
        exhaustive_below (int): Lexicons with fewer words are scored
            exhaustively (exact). Defaults to 1024: the per-image 50/1k
            lists are scored exactly at <= ~10 ms per image, larger
            lexicons go through the BK-tree (measured in docs/lexicon.md).
        on_empty (str): ``'widen'`` (grow δ until an alignable candidate
            appears) or ``'greedy'`` (keep the lexicon-free text). Counted
            in :attr:`counts`. Defaults to ``'widen'``.
        max_delta (int, optional): Widening limit; None: until the whole
            lexicon is covered. Defaults to None.
        case_fold (str): ``'auto'``, ``'lower'``, ``'upper'`` or ``'none'``.
            Defaults to ``'auto'`` (the dictionary's case).
        search (str): How ``N_δ`` is found: ``'bktree'`` (the paper's) or
            ``'scan'`` (rapidfuzz's C++ ``cdist`` over all words, same
            result; on the 50k lexicon as fast as the tree at δ=3, faster
            at δ=4, slower below, see docs/lexicon.md). Defaults to
            ``'bktree'``.
        margin (float, optional): Open vocabulary: keep the greedy text
            unless the best lexicon word's log-probability is within
            ``margin`` of the greedy text's (see
            :func:`crnn_plugin.lexicon.decode_with_lexicon`; counted as
            ``'margin'``). Defaults to None: always the lexicon word.
        **kwargs: Passed to :class:`GreedyCTCPostProcessor`.
    """

    def __init__(self,
                 dictionary,
                 lexicon: Optional[str] = None,
                 per_image: bool = False,
                 per_image_file: Optional[str] = None,
                 delta: int = 3,
                 exhaustive_below: int = 1024,
                 on_empty: str = 'widen',
                 max_delta: Optional[int] = None,
                 case_fold: str = 'auto',
                 search: str = 'bktree',
                 margin: Optional[float] = None,
                 **kwargs) -> None:
        super().__init__(dictionary=dictionary, **kwargs)
        self.delta = check_delta(delta)
        if on_empty not in ON_EMPTY:
            raise ValueError(f'on_empty must be one of {ON_EMPTY}, '
                             f'got {on_empty!r}')
        self.on_empty = on_empty
        if search not in SEARCH_METHODS:
            raise ValueError(f'search must be one of {SEARCH_METHODS}, '
                             f'got {search!r}')
        self.search = search
        self.margin = check_margin(margin)
        self.exhaustive_below = exhaustive_below
        self.max_delta = max_delta
        self.per_image = per_image or per_image_file is not None
        if lexicon is None and not self.per_image:
            raise ValueError('LexiconCTCPostProcessor needs `lexicon` (a '
                             'file) and/or `per_image=True`')
        self.lexicon = None
        if lexicon is not None:
            self.lexicon = load_lexicon(lexicon, self.dictionary, case_fold)
            if len(self.lexicon) >= exhaustive_below and search == 'bktree':
                start = time.perf_counter()
                self.lexicon.tree.node_items  # build and flatten the tree
                print_log(
                    f'BK-tree of {len(self.lexicon)} words ready in '
                    f'{time.perf_counter() - start:.2f} s', logger='current')
        self.per_image_map = None if per_image_file is None else \
            load_per_image_file(per_image_file)
        self.per_image_cache = LexiconCache(self.dictionary, case_fold)
        self.counts: Counter = Counter()
        self._warned_oov = False

    def _sample_lexicon(self, data_sample: TextRecogDataSample):
        if self.per_image:
            words = sample_lexicon_words(data_sample, self.per_image_map)
            if words is not None:
                lexicon = self.per_image_cache.get(words)
                if lexicon.num_oov:
                    # words excluded from this sample's lexicon
                    self.counts['per_image_oov_words'] += lexicon.num_oov
                    if not self._warned_oov:
                        self._warned_oov = True
                        print_log(
                            'Per-image lexicon words with characters outside '
                            f'the dictionary are excluded, e.g. '
                            f'{lexicon.oov_examples} (counted in '
                            'counts["per_image_oov_words"])',
                            logger='current', level=logging.WARNING)
                return lexicon
        return self.lexicon

    def transcribe(self, probs: torch.Tensor,
                   data_sample: TextRecogDataSample) -> LabelData:
        """Transcribe one image, probabilities of shape :math:`(T, C)`."""
        greedy = super().transcribe(probs, data_sample)
        pred_text = LabelData(
            item=greedy.item, score=greedy.score,
            word_score=greedy.word_score, log_prob=-math.inf,
            greedy_item=greedy.item, greedy_score=greedy.score,
            greedy_word_score=greedy.word_score, lexicon_method='none',
            num_candidates=0, delta=-1, widened=False, lexicon_ms=0.0)
        self.counts['samples'] += 1
        lexicon = self._sample_lexicon(data_sample)
        if lexicon is None or len(lexicon) == 0:
            self.counts['none'] += 1
            return pred_text
        start = time.perf_counter()
        labels, _ = self.get_single_prediction(probs, data_sample)
        length = valid_frames(probs.size(0), data_sample)
        log_probs = probs_to_log_probs(probs[:length])  # (T', C)
        decision = decode_with_lexicon(
            log_probs, labels, lexicon, self.dictionary.padding_idx,
            delta=self.delta, exhaustive_below=self.exhaustive_below,
            on_empty=self.on_empty, max_delta=self.max_delta,
            search=self.search, margin=self.margin)
        pred_text.lexicon_ms = (time.perf_counter() - start) * 1e3
        pred_text.lexicon_method = decision.method
        pred_text.num_candidates = decision.num_candidates
        pred_text.delta = -1 if decision.delta is None else decision.delta
        pred_text.widened = decision.widened
        self.counts[decision.method] += 1
        self.counts['widened'] += int(decision.widened)
        if decision.word_id is not None:
            word = lexicon.words[decision.word_id]
            if not isinstance(word, str):  # a token sequence
                word = self.dictionary.idx2str(
                    list(lexicon.labels[decision.word_id]))
            pred_text.item = word
            pred_text.score = decision.confidence
            pred_text.word_score = decision.confidence
            pred_text.log_prob = decision.log_prob
        return pred_text

    def log_counts(self) -> None:
        """Log how the samples so far were transcribed."""
        print_log(f'{type(self).__name__}: {dict(self.counts)}',
                  logger='current')
