"""Pitch-sequence metrics of score fragments (paper §3.4, Table 4), and
symbol metrics of semantic readings."""
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmocr.registry import METRICS
from rapidfuzz.distance import Levenshtein

from .pitch_dictionary import strip_accidental
from .semantic import pitches_of
from .semantic_tokens import join_symbols

__all__ = ['OMRFragmentMetric', 'fragment_tokens']


def fragment_tokens(text: str, mode: str = 'pitch') -> List[str]:
    """Tokens of a label or prediction; paper mode strips accidentals,
    semantic mode joins a note's pitch and duration into one symbol.

    >>> fragment_tokens(' C#5  Bb4 ', 'paper')
    ['C5', 'B4']
    >>> fragment_tokens('clef-G2 note-C5 _half rest-quarter', 'semantic')
    ['clef-G2', 'note-C5_half', 'rest-quarter']
    """
    tokens = text.split()
    if mode == 'paper':
        return [strip_accidental(t) for t in tokens]
    if mode == 'semantic':
        return join_symbols(tokens)[0]
    return tokens


@METRICS.register_module()
class OMRFragmentMetric(BaseMetric):
    """Fragment accuracy, average edit distance and token accuracy.

    Predictions and ground truths are whitespace-separated pitch tokens
    (one per notehead); both are tokenized the same way, so a pitch-mode
    model can be scored in both modes. Per fragment ``i`` with ground truth
    ``g_i`` (``|g_i|`` tokens) and prediction ``p_i``, and ``d_i`` the
    token-level Levenshtein distance (insertions, deletions and
    substitutions of whole tokens; rapidfuzz on token lists):

    - ``fragment_accuracy`` = mean of ``[p_i == g_i]`` (Table 4 "accuracy");
    - ``avg_edit_distance`` = mean of ``d_i`` (Table 4 "average edit
      distance", the paper's 0.30-0.37);
    - ``token_accuracy`` = ``max(0, 1 - sum(d_i) / sum(|g_i|))``, one minus
      the token error rate over the whole set (like a word error rate; a
      wrong token costs 1, a missed or extra one too).

    Semantic mode (labels and readings of :mod:`omr.semantic`: clef, key,
    meter, notes with durations, rests, ties, barlines) scores *symbols*, a
    note with its duration being one symbol (model tokens are joined
    first, :func:`omr.semantic_tokens.join_symbols`), and reports instead
    of ``token_accuracy``:

    - ``symbol_error_rate`` = ``sum(d_i) / sum(|g_i|)`` over symbols (the
      SER of PrIMuS-style OMR; may exceed 1);
    - ``pitch_fragment_accuracy`` and ``pitch_token_accuracy``: the two
      pitch-mode figures of the pitches within the symbols
      (:func:`omr.semantic.pitches_of`), which equal the pitch labels of
      the score engine, so a semantic and a pitch model compare on the
      same fragments.

    In a :class:`mmocr.evaluation.MultiDatasetsEvaluator` the results are
    computed per dataset and named ``<dataset_prefix>/<prefix>/<key>``.

    Args:
        mode (str): ``'pitch'`` (spelled pitches as given), ``'paper'``
            (accidentals stripped from ground truth and prediction: staff
            positions only) or ``'semantic'`` (semantic symbols).
            Defaults to ``'pitch'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Metric name prefix. Defaults to None:
            ``'omr_<mode>'``, so both modes can run side by side.

    Example:
        >>> m = OMRFragmentMetric(mode='paper')
        >>> m.process(None, [dict(pred_text=dict(item='C5 D5'),
        ...                       gt_text=dict(item='C#5 D5'))])
        >>> m.compute_metrics(m.results)['fragment_accuracy']
        1.0
    """
    MODES = ('pitch', 'paper', 'semantic')

    def __init__(self,
                 mode: str = 'pitch',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        if mode not in self.MODES:
            raise ValueError(f'mode must be one of {self.MODES}, got {mode!r}')
        super().__init__(collect_device, prefix or f'omr_{mode}')
        self.mode = mode

    def process(self, data_batch: Optional[Sequence[Dict]],
                data_samples: Sequence[Dict]) -> None:
        """Score one batch of samples (dicts with ``pred_text.item`` and
        ``gt_text.item``); keeps ``(edits, gt_tokens)`` per sample."""
        for sample in data_samples:
            pred = fragment_tokens(sample['pred_text']['item'], self.mode)
            gt = fragment_tokens(sample['gt_text']['item'], self.mode)
            result = dict(edits=Levenshtein.distance(pred, gt),
                          length=len(gt))
            if self.mode == 'semantic':
                pred, gt = pitches_of(pred), pitches_of(gt)
                result.update(pitch_edits=Levenshtein.distance(pred, gt),
                              pitch_length=len(gt))
            self.results.append(result)

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Aggregate the per-sample results (see the class docstring).

        Returns:
            dict: ``fragment_accuracy``, ``avg_edit_distance``,
            ``token_accuracy`` (0 for an empty list) and ``num_fragments``;
            in semantic mode ``symbol_error_rate``,
            ``pitch_fragment_accuracy`` and ``pitch_token_accuracy``
            instead of ``token_accuracy``.
        """
        n = len(results)
        edits = [r['edits'] for r in results]
        tokens = sum(r['length'] for r in results)
        out = dict(
            fragment_accuracy=sum(e == 0 for e in edits) / n if n else 0.0,
            avg_edit_distance=sum(edits) / n if n else 0.0)
        if self.mode != 'semantic':
            out['token_accuracy'] = max(0.0, 1 - sum(edits) / tokens) \
                if tokens else 0.0
        else:
            pitch_edits = [r['pitch_edits'] for r in results]
            pitches = sum(r['pitch_length'] for r in results)
            out.update(
                symbol_error_rate=sum(edits) / tokens if tokens else 0.0,
                pitch_fragment_accuracy=sum(e == 0 for e in pitch_edits) /
                n if n else 0.0,
                pitch_token_accuracy=max(0.0, 1 - sum(pitch_edits) / pitches)
                if pitches else 0.0)
        out['num_fragments'] = n
        return out
