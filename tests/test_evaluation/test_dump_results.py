"""MultiDatasetDumpResults: --save-preds with several test sets."""
import pickle

from crnn_plugin.evaluation import MultiDatasetDumpResults


def read(path):
    with open(path, 'rb') as f:
        return pickle.load(f)


def test_dumps_all_slices_once_in_order(tmp_path):
    out = tmp_path / 'preds.pkl'
    metric = MultiDatasetDumpResults(out_file_path=str(out))
    metric.dataset_meta = dict(cumulative_sizes=[2, 5, 6])
    assert metric.compute_metrics([{'i': 0}, {'i': 1}]) == {}
    metric.compute_metrics([{'i': 2}, {'i': 3}, {'i': 4}])
    assert not out.exists()  # waits for the last test set
    metric.compute_metrics([{'i': 5}])
    assert [r['i'] for r in read(out)] == list(range(6))
    # The next evaluation starts afresh.
    for part in ([{'i': 7}, {'i': 8}], [], [{'i': 9}]):
        metric.compute_metrics(part)
    assert [r['i'] for r in read(out)] == [7, 8, 9]


def test_single_dataset_dumps_immediately(tmp_path):
    out = tmp_path / 'preds.pkl'
    metric = MultiDatasetDumpResults(out_file_path=str(out))
    metric.dataset_meta = dict(classes=None)
    metric.compute_metrics([{'i': 0}])
    assert [r['i'] for r in read(out)] == [0]
