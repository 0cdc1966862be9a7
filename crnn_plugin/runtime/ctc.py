"""Best-path CTC decoding in NumPy (paper §2.3.2), and the frames a label
needs.

The same rule as :class:`~crnn_plugin.models.GreedyCTCPostProcessor`:
per-frame argmax, merge repeated labels, drop the blank (and other ignored
labels); a character's score is the highest probability among the frames of
its run, the word's score their mean (0 for an empty text).
"""
from typing import Collection, List, Tuple

import numpy as np

__all__ = ['best_path', 'min_ctc_frames']


def best_path(probs: np.ndarray,
              ignore: Collection[int]) -> Tuple[List[int], List[float]]:
    """Decode one image's valid frames.

    Args:
        probs (np.ndarray): Per-frame probabilities, shape (T, K).
        ignore (Collection[int]): Labels to drop (the CTC blank).

    Returns:
        tuple(list[int], list[float]): Labels and their scores.

    Example:
        >>> p = np.array([[.9, .1], [.8, .2], [.3, .7], [.6, .4]])
        >>> best_path(p, ignore={1})
        ([0, 0], [0.9, 0.6])
    """
    best = probs.argmax(-1)  # (T,)
    best_prob = probs[np.arange(len(best)), best]  # (T,)
    # A run starts where the label differs from the previous frame.
    starts = np.ones(len(best), dtype=bool)
    starts[1:] = best[1:] != best[:-1]
    run_id = np.cumsum(starts) - 1  # (T,)
    run_max = np.zeros(int(starts.sum()), dtype=probs.dtype)
    np.maximum.at(run_max, run_id, best_prob)
    kept = [(int(label), float(score))
            for label, score in zip(best[starts], run_max)
            if int(label) not in ignore]
    return [label for label, _ in kept], [score for _, score in kept]


def min_ctc_frames(labels: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Fewest frames a CTC path needs per sequence: each label takes one
    frame and a blank must separate two equal neighbours ('book' needs 5).

    Args:
        labels (np.ndarray): Padded labels, shape (K, L).
        lengths (np.ndarray): Lengths, shape (K,).

    Returns:
        np.ndarray: Shape (K,).

    Example:
        >>> min_ctc_frames(np.array([[1, 1, 2], [3, 0, 0]]), np.array([3, 1]))
        array([4, 1])
    """
    same = labels[:, 1:] == labels[:, :-1]  # (K, L - 1)
    inside = np.arange(1, labels.shape[1])[None, :] < lengths[:, None]
    return lengths + (same & inside).sum(axis=1)
