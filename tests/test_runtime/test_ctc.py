"""Best-path decoding in NumPy equals the PyTorch postprocessor."""
import doctest

import numpy as np
import torch
from mmocr.structures import TextRecogDataSample

from crnn_plugin.models import CharsetDictionary, GreedyCTCPostProcessor
from crnn_plugin.runtime import ctc
from crnn_plugin.runtime.ctc import best_path, min_ctc_frames


def test_docstring_example():
    result = doctest.testmod(ctc)
    assert result.attempted > 0 and result.failed == 0


def test_matches_greedy_postprocessor():
    dictionary = CharsetDictionary('lower_digits')
    post = GreedyCTCPostProcessor(dictionary)
    rng = np.random.default_rng(0)
    for length in (1, 5, 26, 80):
        # Peaked probabilities so runs of labels and blanks occur.
        logits = rng.normal(0, 4, (length, 37)).astype(np.float32)
        logits[rng.random(length) < 0.5, 36] += 8
        probs = torch.softmax(torch.from_numpy(logits), -1).numpy()
        sample = TextRecogDataSample()
        post(torch.from_numpy(probs[None]), [sample])
        labels, scores = best_path(probs, {dictionary.padding_idx})
        assert dictionary.idx2str(labels) == sample.pred_text.item
        assert np.allclose(scores, sample.pred_text.score)


def test_empty_and_all_blank():
    probs = np.zeros((4, 3), np.float32)
    probs[:, 2] = 1
    assert best_path(probs, {2}) == ([], [])
    assert best_path(probs[:0], {2}) == ([], [])


def test_min_ctc_frames_counts_the_blanks_between_repeats():
    labels = np.array([[0, 0, 0], [1, 1, 1], [1, 2, 3], [4, 4, 0]])
    lengths = np.array([0, 3, 3, 1])  # the last: padding repeats 4 -> 4
    assert min_ctc_frames(labels, lengths).tolist() == [0, 5, 3, 1]
