"""CTC conditional probability of candidate label sequences (paper eq. 1).

``log p(l|y)`` is computed for many candidates ``l`` under one image's
per-frame log-probabilities ``y`` (T, C) at once with the CTC forward
algorithm of :func:`torch.nn.functional.ctc_loss` (``reduction='none'``,
the image's frames broadcast to every candidate without a copy). The CPU
kernel computes each candidate on its own, so a candidate's score does not
depend on which other candidates share the batch: exhaustive scoring
restricted to ``N_δ`` and scoring ``N_δ`` alone pick the same word.
"""
from typing import NamedTuple, Optional

import numpy as np
import torch
import torch.nn.functional as F

from crnn_plugin.runtime.ctc import min_ctc_frames


def probs_to_log_probs(probs: torch.Tensor) -> torch.Tensor:
    """Log of softmax outputs, clamped so that 0 maps to a finite value.

    Args:
        probs (Tensor): Probabilities, any shape.

    Returns:
        Tensor: ``log(max(probs, tiny))``, same shape and dtype.
    """
    return probs.clamp_min(torch.finfo(probs.dtype).tiny).log()


def ctc_log_likelihood(log_probs: torch.Tensor,
                       labels: np.ndarray,
                       lengths: np.ndarray,
                       blank: int,
                       chunk_size: int = 4096) -> torch.Tensor:
    """``log p(l_k | y)`` for K label sequences under one image.

    Sequences that need more frames than ``T`` have probability 0 and get
    ``-inf`` without being passed to the forward algorithm (no NaN).

    Args:
        log_probs (Tensor): Per-frame log-probabilities, shape (T, C).
        labels (np.ndarray): Padded label indexes, shape (K, L); entries
            past a sequence's length are ignored. Must not contain
            ``blank``.
        lengths (np.ndarray): Sequence lengths, shape (K,).
        blank (int): The CTC blank index (MMOCR: the dictionary's
            ``padding_idx``, the last class).
        chunk_size (int): Sequences per ``ctc_loss`` call. Defaults to 4096.

    Returns:
        Tensor: Log-likelihoods, shape (K,), dtype of ``log_probs``.

    Example:
        >>> y = torch.tensor([[0.6, 0.4], [0.6, 0.4]]).log()  # blank = 1
        >>> ctc_log_likelihood(y, np.array([[0], [0]]), np.array([1, 0]),
        ...                    blank=1).exp()
        tensor([0.8400, 0.1600])
    """
    num_frames, num_classes = log_probs.shape
    labels = np.asarray(labels, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    scores = torch.full((len(lengths), ), float('-inf'),
                        dtype=log_probs.dtype)
    if labels.size and (labels == blank).any():
        raise ValueError('candidate labels must not contain the blank')
    alignable = np.flatnonzero(min_ctc_frames(labels, lengths) <= num_frames)
    with torch.no_grad():
        for start in range(0, len(alignable), chunk_size):
            ids = alignable[start:start + chunk_size]
            width = max(1, int(lengths[ids].max()))
            targets = torch.from_numpy(labels[ids, :width])  # (k, width)
            target_lengths = torch.from_numpy(lengths[ids])  # (k,)
            # (T, C) -> (T, k, C): a stride-0 view, no copy
            batch = log_probs[:, None, :].expand(num_frames, len(ids),
                                                 num_classes)
            input_lengths = torch.full((len(ids), ), num_frames,
                                       dtype=torch.long)
            nll = F.ctc_loss(batch, targets, input_lengths, target_lengths,
                             blank=blank, reduction='none',
                             zero_infinity=False)  # (k,)
            scores[torch.from_numpy(ids)] = -nll
    return scores


class BestCandidate(NamedTuple):
    """The argmax of paper eq. 2 over scored candidates.

    Attributes:
        index (int): Position of the best candidate (the first of ties).
        log_prob (float): Its ``log p(l*|y)``.
        confidence (float): ``p(l*|y) / sum_l p(l|y)`` over the scored
            candidates: the posterior of ``l*`` within the candidate set
            (1.0 when it is the only alignable candidate).
    """
    index: int
    log_prob: float
    confidence: float


def best_candidate(log_likelihoods: torch.Tensor) -> Optional[BestCandidate]:
    """Pick ``argmax_l p(l|y)``; None if no candidate is alignable.

    Args:
        log_likelihoods (Tensor): Shape (K,), ``-inf`` for impossible ones.

    Returns:
        BestCandidate or None.

    Example:
        >>> best = best_candidate(torch.tensor([0.5, 0.3, 0.2]).log())
        >>> best  # doctest: +ELLIPSIS
        BestCandidate(index=0, log_prob=-0.693..., confidence=0.5...)
        >>> best_candidate(torch.tensor([float('-inf')])) is None
        True
    """
    if log_likelihoods.numel() == 0:
        return None
    best = int(torch.argmax(log_likelihoods))
    log_prob = float(log_likelihoods[best])
    if log_prob == float('-inf'):
        return None
    total = torch.logsumexp(log_likelihoods.double(), dim=0)
    return BestCandidate(best, log_prob, float(np.exp(log_prob - total)))
