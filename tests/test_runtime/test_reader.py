"""The ONNX Runtime reader: same texts as the PyTorch recognizer, input
order, streaming by chunk, bad inputs in their slots, refused models."""
import os.path as osp
import sys

import cv2
import numpy as np
import onnx
import pytest

from crnn_plugin.apis import TextRecognizer
from crnn_plugin.runtime import (ImageInputError, Reader, ScoreReader,
                                 TextReader)

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_apis'))
from apis_helpers import word_image, write_images  # noqa: E402

WIDTHS = [100, 57, 230, 41, 330, 160, 100, 75]


@pytest.fixture(scope='module')
def images(tmp_path_factory):
    return write_images(str(tmp_path_factory.mktemp('words')), WIDTHS)


@pytest.fixture(scope='module')
def reference(tiny_onnx, images):
    recognizer = TextRecognizer(None, tiny_onnx[0], backend='torch')
    return recognizer([*images, word_image(90, 50, seed=9)])


def test_same_results_as_torch(tiny_onnx, images, reference):
    reader = TextReader(tiny_onnx[1], batch_size=3, chunk_size=5)
    results = list(reader.read([*images, word_image(90, 50, seed=9)]))
    assert [r.text for r in results] == [r.text for r in reference]
    assert len({r.text for r in results}) > 3  # a mix-up would show
    for got, want in zip(results, reference):
        assert got.confidence == pytest.approx(want.confidence, abs=1e-4)
        assert np.allclose(got.char_scores, want.char_scores, atol=1e-4)
        assert (got.frame_labels == want.frame_labels).all()


def test_call_gives_text_and_confidence(tiny_onnx, images, reference):
    encoded = cv2.imencode('.png', cv2.imread(images[1]))[1].tobytes()
    out = TextReader(tiny_onnx[1])([images[0], encoded])
    assert [text for text, _ in out] == [r.text for r in reference[:2]]
    assert all(isinstance(c, float) and 0 <= c <= 1 for _, c in out)


def test_streams_chunks_in_input_order(tiny_onnx, images, monkeypatch):
    reader = TextReader(tiny_onnx[1], batch_size=2, chunk_size=3,
                        workers=0)
    prepared = []
    monkeypatch.setattr(reader, 'prepare', lambda s: prepared.append(s) or
                        Reader.prepare(reader, s))
    stream = reader.read(images)
    first = next(stream)
    assert prepared == images[:3]  # only the first chunk was read
    assert first.text == TextReader(tiny_onnx[1])([images[0]])[0][0]
    assert len([first, *stream]) == len(images)


def test_bad_inputs(tiny_onnx, images, tmp_path):
    bad = tmp_path / 'bad.png'
    bad.write_bytes(b'not an image')
    reader = TextReader(tiny_onnx[1])
    out = list(reader.read([images[0], str(bad), images[1]],
                           on_error='return'))
    assert isinstance(out[1], ImageInputError)
    assert out[1].reason == 'not decodable'
    assert out[0].text and out[2].text
    with pytest.raises(ImageInputError, match='not decodable'):
        reader([str(bad)])
    with pytest.raises(TypeError):
        reader(images[0])


def test_refuses_wrong_kind_and_foreign_files(tiny_onnx, tmp_path):
    with pytest.raises(ValueError, match='text model'):
        ScoreReader(tiny_onnx[1])
    proto = onnx.load(tiny_onnx[1])
    del proto.metadata_props[:]
    bare = str(tmp_path / 'bare.onnx')
    onnx.save(proto, bare)
    with pytest.raises(ValueError, match='tools/export_onnx.py'):
        TextReader(bare)
    junk = tmp_path / 'junk.onnx'
    junk.write_bytes(b'junk')
    with pytest.raises(ValueError, match='not a loadable ONNX model'):
        TextReader(str(junk))
    with pytest.raises(FileNotFoundError):
        TextReader(str(tmp_path / 'missing.onnx'))
