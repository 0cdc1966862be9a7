"""Test-config adjustments of ``tools/test.py``: extra metrics, lexicons.

``--save-preds`` in MMOCR 1.0.1's tool turns ``test_evaluator`` into
``[test_evaluator, DumpResults]``, which MMEngine cannot build when the
evaluator is MMOCR's ``MultiDatasetsEvaluator`` (an evaluator, not a metric).
:func:`add_test_metrics` appends to the evaluator's own ``metrics`` instead.
"""
import os.path as osp
from typing import List, Optional

from mmengine.config import Config

__all__ = [
    'add_test_metrics', 'add_dump_metric', 'use_lexicon', 'side_by_side'
]


def add_test_metrics(cfg: Config, metrics: List[dict]) -> None:
    """Append metric configs to ``cfg.test_evaluator``.

    Args:
        cfg (Config): The config (modified in place).
        metrics (list[dict]): Metric configs to add.
    """
    evaluator = cfg.test_evaluator
    if isinstance(evaluator, (list, tuple)):
        cfg.test_evaluator = list(evaluator) + metrics
    elif 'metrics' in evaluator:  # an evaluator, e.g. MultiDatasetsEvaluator
        current = evaluator.metrics
        if not isinstance(current, (list, tuple)):
            current = [current]
        evaluator.metrics = list(current) + metrics
    else:  # a single metric
        cfg.test_evaluator = [evaluator] + metrics


def add_dump_metric(cfg: Config, out_file_path: str) -> None:
    """Make the test evaluator also dump the predictions (``--save-preds``).

    Uses :class:`MultiDatasetDumpResults`, which writes the predictions of
    all test sets of MMOCR's ``MultiDatasetsEvaluator`` into one file.

    Args:
        cfg (Config): The config (modified in place).
        out_file_path (str): The ``.pkl`` file to write.
    """
    add_test_metrics(
        cfg,
        [dict(type='MultiDatasetDumpResults', out_file_path=out_file_path)])


def _pack_meta_key(dataset_cfg: dict, key: str) -> None:
    """Add ``key`` to every ``PackTextRecogInputs.meta_keys`` of a dataset
    config (its own pipeline and those of wrapped datasets)."""
    for transform in dataset_cfg.get('pipeline') or []:
        if transform.get('type') == 'PackTextRecogInputs':
            meta_keys = tuple(transform.get('meta_keys', ()))
            if key not in meta_keys:
                transform['meta_keys'] = meta_keys + (key, )
    for child in dataset_cfg.get('datasets') or []:
        _pack_meta_key(child, key)
    if dataset_cfg.get('dataset') is not None:
        _pack_meta_key(dataset_cfg['dataset'], key)


def use_lexicon(cfg: Config,
                lexicon: str,
                delta: int,
                margin: Optional[float] = None) -> None:
    """Decode with a lexicon and report lexicon-free metrics next to it.

    The decoder's postprocessor becomes ``LexiconCTCPostProcessor`` (it keeps
    the greedy text in ``pred_text.greedy_item``); the evaluator gets
    ``LexiconFreeWordMetric`` (prefix ``lexicon_free``) and
    ``LexiconStatsMetric`` (prefix ``lexicon``), so one pass over the test
    sets gives ``<set>/lexicon_free/word_acc`` (lexicon-free) beside
    ``<set>/recog/word_acc`` (lexicon-based).

    Args:
        cfg (Config): The config (modified in place).
        lexicon (str): A word file (one word per line); a ``.json`` side
            file ``{image_key: [words]}``; or ``'per-image'``: each
            annotation entry's ``"lexicon"`` list (added to the packed
            meta keys, so every test image must have one).
        delta (int): Max edit distance δ of the candidates.
        margin (float, optional): Open vocabulary: the best lexicon word
            replaces the greedy text only if its log-probability is within
            ``margin`` of the greedy text's. None (default) keeps the
            postprocessor's setting (from the config or ``--cfg-options``;
            unset: always the lexicon word).
    """
    # Keep options given with --cfg-options (e.g. ...postprocessor.search).
    postprocessor = dict(cfg.model.decoder.get('postprocessor') or {})
    postprocessor.update(type='LexiconCTCPostProcessor', delta=delta)
    if margin is not None:
        postprocessor['margin'] = margin
    if lexicon == 'per-image':
        postprocessor['per_image'] = True
        _pack_meta_key(cfg.test_dataloader.dataset, 'lexicon')
    elif not osp.isfile(lexicon):
        raise FileNotFoundError(
            f'--lexicon {lexicon}: no such file (or use "per-image")')
    elif lexicon.endswith('.json'):
        postprocessor['per_image_file'] = lexicon
    else:
        postprocessor['lexicon'] = lexicon
    cfg.model.decoder.postprocessor = postprocessor
    add_test_metrics(cfg, [
        dict(
            type='LexiconFreeWordMetric',
            mode=['exact', 'ignore_case', 'ignore_case_symbol']),
        dict(type='LexiconStatsMetric')
    ])


def side_by_side(metrics: dict) -> str:
    """Format lexicon-free vs lexicon-based word accuracy per test set.

    Args:
        metrics (dict): Output of ``runner.test()`` with ``--lexicon``.

    Returns:
        str: A small text table.
    """
    rows = ['test set        lexicon-free  lexicon-based']
    for key, value in metrics.items():
        if key.endswith('lexicon_free/word_acc'):
            name = key[:-len('lexicon_free/word_acc')].rstrip('/') or 'all'
            based = metrics.get(key.replace('lexicon_free/', 'recog/'))
            based = 'n/a' if based is None else f'{based:.4f}'
            rows.append(f'{name:<15} {value:>12.4f}  {based:>13}')
    return '\n'.join(rows)
