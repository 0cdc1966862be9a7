"""The shipped ONNX files are exports of the shipped checkpoints and read
like them: same sha256, same texts as the PyTorch path."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest

from crnn_plugin.apis import TextRecognizer
from crnn_plugin.runtime import ScoreReader, TextReader
from crnn_plugin.runtime.shipped_models import (SCORE_MODEL, SHIPPED,
                                                TEXT_MODEL)
from crnn_plugin.checkpoint import file_sha256
from demo_samples import demo_samples as demo

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def checkpoint_of(kind):
    """The shipped ``.pth`` of the text or the (pitch-mode) score model."""
    return SHIPPED[TEXT_MODEL if kind == 'text' else SCORE_MODEL][0]


def variants(paths):
    """The images at other scales and blurred: widths the model has not
    seen in one batch, and less clean pixels."""
    out = []
    for i, path in enumerate(paths):
        img = cv2.imread(path)
        scale = (0.6, 1.7, 1.0)[i % 3]
        img = cv2.resize(img, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_AREA)
        out.append(cv2.GaussianBlur(img, (3, 3), 0) if i % 2 else img)
    return out


@pytest.mark.parametrize('onnx_path', sorted(SHIPPED), ids=osp.basename)
def test_onnx_is_in_sync_with_checkpoint(onnx_path):
    checkpoint, _, kind = SHIPPED[onnx_path]
    info = (TextReader if kind == 'text' else ScoreReader)(onnx_path).info
    assert info.kind == kind
    assert info.name == osp.basename(checkpoint)
    assert info.source_sha256 == file_sha256(checkpoint), (
        f'{onnx_path} is stale: re-export it (tools/export_onnx.py, see '
        'checkpoints/README.md)')


def test_text_model_reads_like_torch():
    samples = demo('words')
    paths = [p for p, _ in samples]
    toy = sorted(glob.glob(osp.join(ROOT, 'tests', 'data', 'toy_words',
                                    'imgs', '*.png')))[:24]
    inputs = paths + toy + variants(paths)
    torch_texts = [r.text for r in TextRecognizer(
        None, checkpoint_of('text'), backend='torch')(inputs)]
    reader = TextReader()
    results = list(reader.read(inputs))
    assert [r.text for r in results] == torch_texts
    assert torch_texts[:len(samples)] == [label for _, label in samples]


def test_score_model_reads_like_torch():
    import omr.registration  # noqa: F401  (PitchDictionary)
    samples = demo('scores')
    paths = [p for p, _ in samples]
    inputs = paths + variants(paths)
    reference = TextRecognizer(None, checkpoint_of('score'),
                               backend='torch')(inputs)
    got = ScoreReader()(inputs)
    assert [tokens for tokens, _ in got] == [
        r.text.split() for r in reference]
    assert [' '.join(t) for t, _ in got[:len(samples)]] == [
        label for _, label in samples]
    for (_, scores), ref in zip(got, reference):
        assert np.allclose(scores, ref.char_scores, atol=1e-4)
