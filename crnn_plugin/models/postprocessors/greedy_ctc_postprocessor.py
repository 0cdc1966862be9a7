"""Lexicon-free transcription: best-path CTC decoding (paper §2.3.2)."""
from typing import Optional, Sequence, Tuple

import torch
from mmengine.structures import LabelData

from mmocr.models.textrecog.postprocessors.base import \
    BaseTextRecogPostprocessor
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from ..common.valid_frames import valid_frames


@MODELS.register_module()
class GreedyCTCPostProcessor(BaseTextRecogPostprocessor):
    """Best-path decoding: per-frame argmax, merge repeats, drop blanks.

    ``l* ≈ B(argmax_π p(π|y))`` (§2.3.2). For each sample it sets
    ``pred_text.item`` (the text), ``pred_text.score`` (one confidence per
    character: the highest probability among the frames of that
    character's run) and ``pred_text.word_score`` (their mean, 0 for an
    empty prediction; the convention of PaddleOCR). Frames beyond the
    image's ``valid_ratio`` (batch padding) are ignored.

    Subclasses (e.g. lexicon-based transcription) override
    :meth:`transcribe` and reuse :meth:`get_single_prediction`.

    Args:
        dictionary (dict or :obj:`Dictionary`): Dictionary config/instance;
            its padding token is the CTC blank.
        ignore_chars (list[str], optional): Characters/keywords dropped
            from the output. Defaults to ``['padding']`` (the blank).
        **kwargs: Passed to :class:`BaseTextRecogPostprocessor`.
    """

    def __init__(self,
                 dictionary,
                 ignore_chars: Optional[Sequence[str]] = None,
                 **kwargs) -> None:
        super().__init__(
            dictionary=dictionary,
            ignore_chars=list(ignore_chars or ['padding']),
            **kwargs)
        self.blank = self.dictionary.padding_idx

    def get_single_prediction(
        self,
        probs: torch.Tensor,
        data_sample: Optional[TextRecogDataSample] = None
    ) -> Tuple[Sequence[int], Sequence[float]]:
        """Best-path decode one image.

        Args:
            probs (Tensor): Per-frame probabilities of shape :math:`(T, K)`.
            data_sample (TextRecogDataSample, optional): Supplies
                ``valid_ratio``.

        Returns:
            tuple(list[int], list[float]): Label indexes and per-label
            confidences.
        """
        length = valid_frames(probs.size(0), data_sample)
        best_prob, best = probs[:length].max(dim=-1)
        # A run starts where the label differs from the previous frame.
        starts = torch.ones_like(best, dtype=torch.bool)
        starts[1:] = best[1:] != best[:-1]
        run_id = starts.cumsum(0) - 1
        run_max = torch.zeros(int(starts.sum()), dtype=best_prob.dtype)
        run_max = run_max.scatter_reduce(0, run_id, best_prob, 'amax')
        labels = best[starts].tolist()
        scores = run_max.tolist()
        ignore = set(self.ignore_indexes)
        kept = [(i, s) for i, s in zip(labels, scores) if i not in ignore]
        return [i for i, _ in kept], [s for _, s in kept]

    def transcribe(self, probs: torch.Tensor,
                   data_sample: TextRecogDataSample) -> LabelData:
        """Turn one image's probabilities :math:`(T, K)` into ``pred_text``.

        This is the place where lexicon-based transcription plugs in.
        """
        index, score = self.get_single_prediction(probs, data_sample)
        pred_text = LabelData()
        pred_text.item = self.dictionary.idx2str(index)
        pred_text.score = score
        pred_text.word_score = sum(score) / len(score) if score else 0.0
        return pred_text

    def __call__(
        self, probs: torch.Tensor,
        data_samples: Sequence[TextRecogDataSample]
    ) -> Sequence[TextRecogDataSample]:
        """Decode a batch.

        Args:
            probs (Tensor): Softmax output of shape :math:`(N, T, K)`.
            data_samples (list[TextRecogDataSample]): One per image.

        Returns:
            list[TextRecogDataSample]: The samples with ``pred_text`` set.
        """
        probs = probs.detach().float().cpu()
        for prob, sample in zip(probs, data_samples):
            sample.pred_text = self.transcribe(prob, sample)
        return data_samples
