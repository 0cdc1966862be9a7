"""Fixtures of the runtime tests: a tiny model exported to ONNX."""
import os.path as osp
import sys

import pytest

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_apis'))
from apis_helpers import write_tiny_model  # noqa: E402


@pytest.fixture(scope='session')
def tiny_onnx(tmp_path_factory):
    """``(checkpoint, onnx path)`` of a tiny CRNN and its export."""
    from crnn_plugin.apis import TextRecognizer, export_onnx
    folder = tmp_path_factory.mktemp('tiny_onnx')
    _, checkpoint = write_tiny_model(str(folder))
    recognizer = TextRecognizer(None, checkpoint, backend='torch')
    path = str(folder / 'tiny.onnx')
    export_onnx(recognizer.model, path, metadata=recognizer.metadata())
    return checkpoint, path
