"""benchmarks/precision_accuracy.py end to end (plumbing) on a tiny model.

A randomly initialised tiny CRNN (``tests/test_apis/apis_helpers.py``) and
a tiny labelled LMDB: the four backend/precision rows appear, the fp32 rows
agree with each other and the int8 calibration never uses evaluated images.
"""
import importlib.util
import json
import os.path as osp

import cv2
import pytest

from crnn_plugin.datasets import write_recog_lmdb

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _load(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load('precision_accuracy',
              osp.join(ROOT, 'benchmarks', 'precision_accuracy.py'))
helpers = _load('precision_accuracy_apis_helpers',
                osp.join(ROOT, 'tests', 'test_apis', 'apis_helpers.py'))
WORDS = ['ab', 'cd', 'e1', '42', 'go', 'hi', 'xy', 'z9', 'ok', 'no']


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    """(checkpoint, lmdb): tiny random CRNN, 10 labelled word images."""
    folder = tmp_path_factory.mktemp('precision_accuracy')
    _, checkpoint = helpers.write_tiny_model(str(folder))
    samples = [(cv2.imencode('.png', helpers.word_image(
        40 + 12 * i, seed=i))[1].tobytes(), word)
        for i, word in enumerate(WORDS)]
    lmdb = str(folder / 'words.lmdb')
    write_recog_lmdb(samples, lmdb, show_progress=False)
    return checkpoint, lmdb


def test_four_rows_fp32_agree(tiny, tmp_path, capsys):
    checkpoint, lmdb = tiny
    out = tmp_path / 'result.json'
    record = bench.main([
        checkpoint, '--data', lmdb, '--num', '6', '--calib', lmdb,
        '--calib-num', '4', '--repeats', '2', '--json', str(out),
        '--systems', 'torch-fp32,torch-bf16,onnx-fp32,onnx-int8'
    ])
    rows = record['rows']
    assert list(rows) == ['torch fp32', 'torch bf16', 'onnx fp32',
                          'onnx int8']
    assert record['num'] == 6
    # same LMDB: calibrated on images 7-10, after the evaluated ones
    assert record['calibration']['num'] == 4
    assert 'images 7-10' in record['calibration']['source']
    ref, onnx = rows['torch fp32'], rows['onnx fp32']
    assert onnx['differ'] == 0 and onnx['delta_pp'] == 0
    assert onnx['word_acc'] == ref['word_acc']
    assert ref['differ'] == 0 and ref['speed_vs_ref'] == 1
    for row in rows.values():
        assert 0 <= row['word_acc'] <= 1 and row['images_per_s'] > 0
        assert row['differ'] >= row['right_to_wrong'] + row['wrong_to_right']
        assert row['unstable'] == 0
    assert json.loads(out.read_text())['rows'].keys() == rows.keys()
    table = capsys.readouterr().out
    for backend, precision in bench.SYSTEMS:
        assert f'| {backend} | {precision} |' in table


def test_calibration_never_uses_evaluated_images(tiny):
    checkpoint, lmdb = tiny
    with pytest.raises(SystemExit, match='no images after the first 10'):
        bench.main([checkpoint, '--data', lmdb, '--calib', lmdb])


def test_default_leaves_out_emulated_bf16(tiny, monkeypatch, capsys):
    import crnn_plugin.engine
    monkeypatch.setattr(crnn_plugin.engine, 'cpu_supports_bf16',
                        lambda: False)
    checkpoint, lmdb = tiny
    record = bench.main([checkpoint, '--data', lmdb, '--num', '6', '--calib',
                         lmdb, '--calib-num', '4', '--repeats', '1'])
    assert list(record['rows']) == ['torch fp32', 'onnx fp32', 'onnx int8']
    assert 'torch bf16 left out' in capsys.readouterr().out
    monkeypatch.setattr(crnn_plugin.engine, 'cpu_supports_bf16',
                        lambda: True)
    rows, notes = bench.select_systems(None)
    assert rows == list(bench.SYSTEMS) and notes == []


def test_systems_subset_always_runs_the_reference(tiny):
    checkpoint, lmdb = tiny
    record = bench.main([checkpoint, '--data', lmdb, '--num', '4',
                         '--repeats', '1', '--systems', 'onnx-fp32'])
    assert list(record['rows']) == ['torch fp32', 'onnx fp32']
    assert record['calibration']['num'] == 0  # no int8 row: no calibration
    with pytest.raises(SystemExit, match='unknown onnx-fp16'):
        bench.select_systems('torch-fp32,onnx-fp16')
