"""Metrics that report lexicon-free and lexicon-based results in one pass.

With :class:`LexiconCTCPostProcessor` a sample's ``pred_text.item`` is the
lexicon word and ``pred_text.greedy_item`` the lexicon-free text. MMOCR's
``WordMetric`` scores the former, :class:`LexiconFreeWordMetric` the latter,
and :class:`LexiconStatsMetric` reports how the words were found (method
counts, candidates, time per sample).
"""
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmocr.evaluation.metrics import WordMetric
from mmocr.registry import METRICS


@METRICS.register_module()
class LexiconFreeWordMetric(WordMetric):
    """MMOCR's ``WordMetric`` on ``pred_text.greedy_item``.

    Falls back to ``pred_text.item`` when a sample has no ``greedy_item``
    (i.e. it was decoded without a lexicon), so it also works with
    :class:`GreedyCTCPostProcessor`.

    Args:
        prefix (str, optional): Metric name prefix. Defaults to None:
            ``'lexicon_free'``.
        **kwargs: ``mode``, ``valid_symbol``, ``collect_device`` of
            ``WordMetric``.
    """
    default_prefix: Optional[str] = 'lexicon_free'

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Score the lexicon-free text of a batch of (dict) samples."""
        greedy_samples = []
        for sample in data_samples:
            pred = sample.get('pred_text')
            item = pred.get('greedy_item', pred.get('item'))
            greedy_samples.append(
                dict(pred_text=dict(item=item), gt_text=sample['gt_text']))
        super().process(data_batch, greedy_samples)


@METRICS.register_module()
class LexiconStatsMetric(BaseMetric):
    """Counts and timings of lexicon-based transcription.

    Reports ``samples``, one ``method_<m>`` count per method
    (``exhaustive``, ``bktree``, ``greedy``: nothing alignable, kept the
    lexicon-free text, ``none``: no lexicon), ``widened`` (δ grown),
    ``candidates_mean``/``candidates_max`` and ``ms_mean``/``ms_median``/
    ``ms_p95`` (search + CTC scoring per sample, from ``lexicon_ms``).

    Args:
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to None: ``'lexicon'``.
    """
    default_prefix: Optional[str] = 'lexicon'

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Collect each sample's lexicon fields."""
        for sample in data_samples:
            pred = sample.get('pred_text')
            self.results.append(
                dict(
                    method=pred.get('lexicon_method', 'none'),
                    candidates=pred.get('num_candidates', 0),
                    widened=bool(pred.get('widened', False)),
                    ms=pred.get('lexicon_ms', 0.0)))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Aggregate the collected fields."""
        metrics: Dict[str, float] = dict(samples=len(results))
        if not results:
            return metrics
        for method in ('exhaustive', 'bktree', 'greedy', 'none'):
            metrics[f'method_{method}'] = sum(r['method'] == method
                                              for r in results)
        metrics['widened'] = sum(r['widened'] for r in results)
        searched = [r for r in results if r['method'] != 'none']
        if searched:
            candidates = np.array([r['candidates'] for r in searched])
            ms = np.array([r['ms'] for r in searched])
            metrics.update(
                candidates_mean=float(candidates.mean()),
                candidates_max=int(candidates.max()),
                ms_mean=float(ms.mean()),
                ms_median=float(np.median(ms)),
                ms_p95=float(np.percentile(ms, 95)))
        return metrics
