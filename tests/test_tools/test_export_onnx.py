"""tools/export_onnx.py: export, parity check, exit codes, shapes."""
import json
import os.path as osp
import sys

import numpy as np
import pytest

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_apis'))
from apis_helpers import write_images, write_tiny_model  # noqa: E402
from tools_helpers import load_tool  # noqa: E402

onnx = pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')

from crnn_plugin.apis import (OnnxBackend, TextRecognizer,  # noqa: E402
                              pad_batch)


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp('export')
    config, checkpoint = write_tiny_model(str(folder))
    images = folder / 'imgs'
    images.mkdir()
    write_images(str(images), [100, 40, 180, 260])
    (images / 'broken.png').write_bytes(b'nope')  # skipped with a note
    return config, checkpoint, str(images)


@pytest.fixture(scope='module')
def exported(tiny, tmp_path_factory):
    """Export once with --check-images; return (path, stdout, status)."""
    out = str(tmp_path_factory.mktemp('onnx') / 'tiny.onnx')
    tool = load_tool('export_onnx')
    status = tool.main([tiny[0], tiny[1], out, '--check-images', tiny[2]])
    return out, status


def test_export_passes_parity(exported, capsys):
    path, status = exported
    assert status == 0 and osp.getsize(path) > 0
    model = onnx.load(path)
    inputs = [i.name for i in model.graph.input]
    assert inputs == ['images', 'widths']
    meta = {p.key: json.loads(p.value) for p in model.metadata_props}
    assert meta['crnn_dictionary'][-1] == '<PAD>'
    assert meta['crnn_blank'] == len(meta['crnn_dictionary']) - 1
    assert meta['crnn_pipeline']['min_width'] == 100


@pytest.mark.parametrize('shape', [(1, 100), (2, 37), (5, 160), (3, 333),
                                   (7, 101)])
def test_onnx_matches_torch_on_shapes(exported, tiny, shape):
    rec = TextRecognizer(tiny[0], tiny[1], backend='torch')
    session = OnnxBackend(exported[0])
    num, width = shape
    rng = np.random.default_rng(num * width)
    # Mixed widths inside the batch, the widest filling it.
    widths = [width] + list(rng.integers(max(8, width // 3), width + 1,
                                         num - 1))
    batch, widths = pad_batch([
        rng.uniform(-1, 1, (1, 32, int(w))).astype(np.float32)
        for w in widths
    ])
    ref_probs, ref_len = rec.backend(batch, widths)
    probs, lengths = session(batch, widths)
    assert np.array_equal(ref_len, lengths)
    for i in range(num):
        assert np.abs(probs[i, :lengths[i]] -
                      ref_probs[i, :lengths[i]]).max() < 1e-5
        assert rec.decode(probs[i, :lengths[i]]).text == \
            rec.decode(ref_probs[i, :lengths[i]]).text


def test_failing_parity_exits_1(tiny, tmp_path, capsys):
    tool = load_tool('export_onnx')
    out = str(tmp_path / 'x.onnx')
    assert tool.main([tiny[0], tiny[1], out, '--atol', '-1',
                      '--opset', '14']) == 1
    assert 'parity check FAILED' in capsys.readouterr().err
    assert osp.isfile(out)  # kept for inspection


def test_usage_errors(tiny, tmp_path, capsys):
    tool = load_tool('export_onnx')
    out = str(tmp_path / 'x.onnx')
    assert tool.main([tiny[0], str(tmp_path / 'none.pth'), out]) == 2
    assert tool.main([tiny[0], tiny[1], out, '--check-images',
                      str(tmp_path / 'nodir')]) == 2
    err = capsys.readouterr().err
    assert 'not found' in err and 'not a folder' in err
    assert not osp.exists(out)


def test_int8_export(tiny, tmp_path, capsys):
    """--int8 writes a quantized graph the engine runs; the agreement with
    PyTorch fp32 is reported and checked against --min-agreement."""
    tool = load_tool('export_onnx')
    out = str(tmp_path / 'int8.onnx')
    assert tool.main([tiny[0], tiny[1], out, '--int8', '--calib-images',
                      tiny[2], '--min-agreement', '0']) == 0
    printed = capsys.readouterr().out
    assert 'int8: ' in printed and 'agreement check passed' in printed
    ops = {node.op_type for node in onnx.load(out).graph.node}
    assert 'QuantizeLinear' in ops and 'DequantizeLinear' in ops
    rec = TextRecognizer(tiny[0], out)
    assert len(rec([osp.join(tiny[2], 'img_00_100.png')])) == 1
    assert tool.main([tiny[0], tiny[1], out, '--int8', '--calib-images',
                      tiny[2], '--min-agreement', '1.01']) == 2  # exists
    assert tool.main([tiny[0], tiny[1], out, '--int8', '--calib-images',
                      tiny[2], '--min-agreement', '1.01', '--force']) == 1
    assert tool.main([tiny[0], tiny[1], out, '--int8', '--force']) == 2
