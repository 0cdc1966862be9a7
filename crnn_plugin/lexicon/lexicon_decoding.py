"""Lexicon-based transcription of one image (paper §2.3.3, eq. 2).

``l* = argmax_{l in N_δ(l')} p(l|y)`` with ``l'`` the lexicon-free
(greedy) transcription and ``N_δ`` found with the lexicon's BK-tree. Small
lexicons are scored exhaustively, ``l* = argmax_{l in D} p(l|y)``, which is
exact (the original Torch code scores every lexicon word this way).
"""
import math
from typing import NamedTuple, Optional, Sequence

import numpy as np
import torch

from .bk_tree import check_delta
from .ctc_scoring import best_candidate, ctc_log_likelihood
from .lexicon import Lexicon

ON_EMPTY = ('widen', 'greedy')


class LexiconDecision(NamedTuple):
    """What lexicon-based transcription chose for one image.

    Attributes:
        word_id (int or None): Id into ``lexicon.words``; None when no
            candidate could be scored and the greedy text is kept.
        log_prob (float): ``log p(l*|y)`` (``-inf`` when ``word_id`` is
            None).
        confidence (float): Posterior of ``l*`` among the scored
            candidates (see :class:`BestCandidate`); 0.0 when None.
        num_candidates (int): Candidates scored (the last search).
        delta (int or None): The search radius finally used; None for
            exhaustive scoring.
        method (str): ``'exhaustive'``, ``'bktree'``, ``'greedy'`` (no
            alignable candidate) or ``'margin'`` (the best candidate was
            less likely than the greedy text by more than ``margin``; the
            greedy text is kept, ``log_prob`` is the candidate's).
        widened (bool): Whether δ had to grow because ``N_δ`` was empty or
            held only sequences too long for the frames.
    """
    word_id: Optional[int]
    log_prob: float
    confidence: float
    num_candidates: int
    delta: Optional[int]
    method: str
    widened: bool


def score_lexicon_ids(log_probs: torch.Tensor, lexicon: Lexicon,
                      ids: np.ndarray, blank: int) -> torch.Tensor:
    """``log p(l|y)`` of the lexicon words ``ids``, shape (K,)."""
    labels, lengths, _ = lexicon.label_arrays()
    return ctc_log_likelihood(log_probs, labels[ids], lengths[ids], blank)


def check_margin(margin: Optional[float]) -> Optional[float]:
    """``margin`` if it is None or >= 0 (NaN is rejected), else ValueError."""
    if margin is not None and not margin >= 0:
        raise ValueError(f'margin must be >= 0, got {margin}')
    return margin


def decode_with_lexicon(log_probs: torch.Tensor,
                        greedy_labels: Sequence[int],
                        lexicon: Lexicon,
                        blank: int,
                        delta: int = 3,
                        exhaustive_below: int = 1024,
                        on_empty: str = 'widen',
                        max_delta: Optional[int] = None,
                        search: str = 'bktree',
                        margin: Optional[float] = None) -> LexiconDecision:
    """Choose the lexicon word with the highest CTC probability.

    Args:
        log_probs (Tensor): One image's per-frame log-probabilities (T, C).
        greedy_labels (list[int]): Its lexicon-free transcription ``l'``.
        lexicon (Lexicon): The lexicon (global or this image's).
        blank (int): CTC blank index (the dictionary's ``padding_idx``).
        delta (int): Search radius δ of eq. 2. Defaults to 3 (the paper's).
        exhaustive_below (int): Lexicons with fewer words are scored
            exhaustively (exact). Defaults to 1024.
        on_empty (str): When ``N_δ`` has no alignable candidate:
            ``'widen'`` grows δ by 1 until one appears (up to
            ``max_delta``), ``'greedy'`` keeps the lexicon-free text. If
            widening finds nothing the greedy text is kept too.
        max_delta (int, optional): Widening limit. Defaults to None: until
            ``N_δ`` is the whole lexicon.
        search (str): How ``N_δ`` is found, ``'bktree'`` or ``'scan'`` (see
            :meth:`Lexicon.search`). Defaults to ``'bktree'``.
        margin (float, optional): Open vocabulary: the best lexicon word
            replaces the greedy text only if ``log p(l*|y) >= log p(l'|y)
            - margin``, so a confident reading outside the lexicon (a
            name, a code) survives while a near-miss of a lexicon word is
            corrected; a dictionary bias like tesseract's. Defaults to None:
            always the lexicon word (the paper's closed vocabulary).

    Returns:
        LexiconDecision: The choice.
    """
    delta = check_delta(delta)
    if on_empty not in ON_EMPTY:
        raise ValueError(f'on_empty must be one of {ON_EMPTY}, '
                         f'got {on_empty!r}')
    check_margin(margin)
    decision = _closed_vocabulary(log_probs, greedy_labels, lexicon, blank,
                                  delta, exhaustive_below, on_empty,
                                  max_delta, search)
    if margin is None or decision.word_id is None:
        return decision
    greedy = np.zeros((1, max(1, len(greedy_labels))), dtype=np.int64)
    greedy[0, :len(greedy_labels)] = greedy_labels  # (1, L), L >= 1
    greedy_log_prob = float(ctc_log_likelihood(
        log_probs, greedy, np.asarray([len(greedy_labels)]), blank)[0])
    if decision.log_prob >= greedy_log_prob - margin:
        return decision
    return decision._replace(word_id=None, confidence=0.0, method='margin')


def _closed_vocabulary(log_probs: torch.Tensor, greedy_labels: Sequence[int],
                       lexicon: Lexicon, blank: int, delta: int,
                       exhaustive_below: int, on_empty: str,
                       max_delta: Optional[int],
                       search: str) -> LexiconDecision:
    """Eq. 2 without ``margin`` (see :func:`decode_with_lexicon`)."""
    if len(lexicon) < exhaustive_below:
        ids = np.arange(len(lexicon))
        scores = score_lexicon_ids(log_probs, lexicon, ids, blank)
        return _decide(scores, ids, None, 'exhaustive', False)
    if max_delta is None:
        # Beyond this radius N_δ is the whole lexicon.
        _, lengths, _ = lexicon.label_arrays()
        max_delta = max(int(lengths.max()), len(greedy_labels))
    widened = False
    while True:
        ids = lexicon.search(greedy_labels, delta, search)
        scores = score_lexicon_ids(log_probs, lexicon, ids, blank)
        decision = _decide(scores, ids, delta, 'bktree', widened)
        if decision.word_id is not None or on_empty == 'greedy' or \
                delta >= max_delta:
            return decision
        delta += 1
        widened = True


def _decide(scores: torch.Tensor, ids: np.ndarray, delta: Optional[int],
            method: str, widened: bool) -> LexiconDecision:
    best = best_candidate(scores)
    if best is None:
        return LexiconDecision(None, -math.inf, 0.0, len(ids), delta,
                               'greedy', widened)
    return LexiconDecision(int(ids[best.index]), best.log_prob,
                           best.confidence, len(ids), delta, method, widened)
