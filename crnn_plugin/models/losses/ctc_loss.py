"""CTC loss (paper §2.3, §2.4) that skips samples it cannot align."""
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.logging import print_log

from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.module_losses.base import BaseTextRecogModuleLoss
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from crnn_plugin.runtime.ctc import min_ctc_frames

from ..common.valid_frames import valid_frames


@MODELS.register_module()
class CRNNCTCLoss(BaseTextRecogModuleLoss):
    """CTC loss via :func:`torch.nn.functional.ctc_loss`, blank = padding.

    Characters outside the dictionary are dropped from the label (or mapped
    to the unknown token if the dictionary has one). A sample is skipped,
    and counted, when it cannot be aligned: its label is longer than the
    frames allow (:func:`crnn_plugin.runtime.ctc.min_ctc_frames`) or it
    consisted only of unknown characters. Skipped samples never produce
    NaN/inf; the number skipped in a batch is returned as
    ``skipped_samples`` (logged by MMEngine, not added to the loss) and a
    running total is logged as a warning. An originally empty label is a
    valid target (all blanks).

    Args:
        dictionary (dict or :obj:`Dictionary`): Dictionary config/instance.
        letter_case (str): ``'unchanged'``, ``'upper'`` or ``'lower'``
            applied to labels before lookup. Defaults to ``'unchanged'``.
        reduction (str): ``'mean'`` (each loss divided by its label length,
            then averaged, as :class:`torch.nn.CTCLoss`), ``'batch_mean'``
            (sum over samples / batch size, as the original CRNN code) or
            ``'sum'``. Defaults to ``'mean'``.
        **kwargs: Passed to :class:`BaseTextRecogModuleLoss`.
    """

    REDUCTIONS = ('mean', 'batch_mean', 'sum')

    def __init__(self,
                 dictionary: Union[Dict, Dictionary],
                 letter_case: str = 'unchanged',
                 reduction: str = 'mean',
                 **kwargs) -> None:
        kwargs.setdefault('pad_with', 'padding')
        super().__init__(
            dictionary=dictionary, letter_case=letter_case, **kwargs)
        if reduction not in self.REDUCTIONS:
            raise ValueError(f'reduction must be one of {self.REDUCTIONS}')
        self.reduction = reduction
        self.blank = self.dictionary.padding_idx
        self.total_skipped = 0
        self._next_report = 1

    def get_targets(
        self, data_samples: Optional[Sequence[TextRecogDataSample]]
    ) -> Optional[Sequence[TextRecogDataSample]]:
        """Set ``gt_text.indexes`` (LongTensor) from ``gt_text.item``.

        Args:
            data_samples (list[TextRecogDataSample]): Samples with
                ``gt_text.item``.

        Returns:
            list[TextRecogDataSample]: The same samples, with ``indexes``
            and ``num_dropped`` (characters not in the dictionary). None
            when given None (a forward pass without labels).
        """
        if data_samples is None:
            return None
        for sample in data_samples:
            text = sample.gt_text.item
            if self.letter_case != 'unchanged':
                text = getattr(text, self.letter_case)()
            # Token dictionaries (e.g. OMR pitches) split labels themselves.
            tokens = getattr(self.dictionary, 'tokenize', list)(text)
            indexes = [
                self.dictionary.char2idx(t, strict=False) for t in tokens
            ]
            kept = [i for i in indexes if i is not None]
            sample.gt_text.indexes = torch.LongTensor(kept)
            sample.gt_text.num_dropped = len(indexes) - len(kept)
        return data_samples

    def _input_lengths(self, data_samples: Sequence[TextRecogDataSample],
                       seq_len: int) -> List[int]:
        """Frames covered by each image (padding excluded via valid_ratio)."""
        return [valid_frames(seq_len, s) for s in data_samples]

    def forward(self, outputs: torch.Tensor,
                data_samples: Sequence[TextRecogDataSample]) -> Dict:
        """Compute the CTC loss.

        Args:
            outputs (Tensor): Raw logits of shape :math:`(N, T, K)`.
            data_samples (list[TextRecogDataSample]): Samples processed by
                :meth:`get_targets`.

        Returns:
            dict: ``loss_ctc`` (scalar tensor) and ``skipped_samples``.
        """
        seq_len = outputs.size(1)
        lengths = self._input_lengths(data_samples, seq_len)
        keep = []
        for i, sample in enumerate(data_samples):
            target = sample.gt_text.indexes.tolist()
            only_unknown = not target and len(sample.gt_text.item) > 0
            needed = min_ctc_frames(np.array([target], dtype=np.int64),
                                    np.array([len(target)]))[0]
            if not only_unknown and needed <= lengths[i]:
                keep.append(i)
        skipped = len(data_samples) - len(keep)
        self._count_skips(skipped)
        if not keep:
            # Nothing to learn from: a zero that still reaches every weight.
            loss = outputs.sum() * 0.0
        else:
            loss = self._ctc(outputs, data_samples, lengths, keep)
        return dict(
            loss_ctc=loss,
            skipped_samples=torch.tensor(float(skipped), device=loss.device))

    def _ctc(self, outputs: torch.Tensor,
             data_samples: Sequence[TextRecogDataSample],
             lengths: List[int], keep: List[int]) -> torch.Tensor:
        """CTC over the alignable samples ``keep``."""
        # CTC in fp32 even under bf16/fp16 autocast.
        log_probs = outputs[keep].float().log_softmax(dim=-1)
        log_probs = log_probs.transpose(0, 1)  # (N, T, K) -> (T, N, K)
        targets = [data_samples[i].gt_text.indexes for i in keep]
        target_lengths = torch.tensor([len(t) for t in targets])
        losses = F.ctc_loss(
            log_probs,
            torch.cat(targets).to(outputs.device),
            torch.tensor([lengths[i] for i in keep]),
            target_lengths,
            blank=self.blank,
            reduction='none',
            zero_infinity=True)
        if self.reduction == 'mean':
            losses = losses / target_lengths.clamp(min=1).to(losses)
            return losses.mean()
        if self.reduction == 'batch_mean':
            return losses.sum() / len(data_samples)
        return losses.sum()

    def _count_skips(self, skipped: int) -> None:
        """Accumulate skips; warn at 1, 2, 4, 8, ... skipped samples."""
        if not skipped:
            return
        self.total_skipped += skipped
        if self.total_skipped >= self._next_report:
            print_log(
                f'CRNNCTCLoss: {self.total_skipped} training samples '
                'skipped so far (label longer than the frames allow, or '
                'made only of characters outside the dictionary)',
                logger='current',
                level=30)
            while self._next_report <= self.total_skipped:
                self._next_report *= 2
