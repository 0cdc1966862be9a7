"""``--save-preds`` for MMOCR's multi-dataset evaluator.

MMOCR 1.0.1's ``tools/test.py --save-preds`` turns ``test_evaluator`` into a
list ``[test_evaluator, DumpResults]``; MMEngine then builds every entry as a
*metric*, and MMOCR's own ``MultiDatasetsEvaluator`` (an evaluator, used by
all text-recognition configs) is not one -- a KeyError. Putting MMEngine's
``DumpResults`` inside the evaluator's ``metrics`` instead would let each
dataset's slice overwrite the file of the previous one, because
``MultiDatasetsEvaluator`` calls ``compute_metrics`` once per dataset.
:class:`MultiDatasetDumpResults` collects the slices and writes all
predictions, in dataset order, once the last slice has been seen.
"""
from typing import List, Optional

from mmengine.evaluator import DumpResults
from mmengine.fileio import dump
from mmengine.logging import print_log

from mmocr.registry import METRICS

__all__ = ['MultiDatasetDumpResults']


@METRICS.register_module()
class MultiDatasetDumpResults(DumpResults):
    """Dump predictions of every test set into one pickle file.

    Works inside ``MultiDatasetsEvaluator`` (one ``compute_metrics`` call per
    dataset, sizes from ``dataset_meta['cumulative_sizes']`` of MMEngine's
    ``ConcatDataset``) and inside a plain ``Evaluator`` (one call).

    Args:
        out_file_path (str): Output ``.pkl``/``.pickle`` path.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        collect_dir (str, optional): Folder for CPU result collection across
            ranks. Defaults to None.
    """

    def __init__(self,
                 out_file_path: str,
                 collect_device: str = 'cpu',
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            out_file_path=out_file_path,
            collect_device=collect_device,
            collect_dir=collect_dir)
        self._slices: List[list] = []

    def compute_metrics(self, results: list) -> dict:
        """Collect one dataset's predictions; dump after the last dataset.

        Args:
            results (list): Predictions of one dataset (or of all, outside a
                multi-dataset evaluator).

        Returns:
            dict: Empty (no metric values).
        """
        self._slices.append(results)
        meta = self.dataset_meta or {}
        num_datasets = len(meta.get('cumulative_sizes', [None]))
        if len(self._slices) >= num_datasets:
            merged = [pred for part in self._slices for pred in part]
            self._slices = []
            dump(merged, self.out_file_path)
            print_log(
                f'{len(merged)} predictions saved to {self.out_file_path}.',
                logger='current')
        return {}
