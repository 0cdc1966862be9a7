"""tools/analysis/omr_error_picture.py draws readings of an LMDB."""
import importlib.util
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from PIL import Image

from crnn_plugin.datasets import write_recog_lmdb

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
spec = importlib.util.spec_from_file_location(
    'omr_error_picture',
    osp.join(ROOT, 'tools', 'analysis', 'omr_error_picture.py'))
omr_error_picture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(omr_error_picture)


@pytest.fixture
def readings(tmp_path):
    """An LMDB of 3 fragments and two readings of it (JSON lines)."""
    samples = []
    for width in (100, 150, 200):
        image = np.full((64, width), 255, np.uint8)
        image[16:48:8] = 0
        samples.append((cv2.imencode('.png', image)[1].tobytes(), 'C4 D4'))
    write_recog_lmdb(samples, str(tmp_path / 'val_aug'), show_progress=False)

    def write(name, reads):
        path = tmp_path / name
        path.write_text(''.join(json.dumps(dict(
            index=i + 1, truth='C4 D4', read=read,
            error='correct' if read == 'C4 D4' else 'length')) + '\n'
            for i, read in enumerate(reads)))
        return str(path)

    return dict(lmdb=str(tmp_path / 'val_aug'),
                aug=write('aug.jsonl', ['C4', 'C4 D4', 'D4']),
                clean=write('clean.jsonl', ['C4 D4', 'C4 D4', 'C4']))


def test_draws_wrong_readings_right_elsewhere(readings, tmp_path):
    out = str(tmp_path / 'p.png')
    chosen = omr_error_picture.main([
        readings['aug'], '--lmdb', readings['lmdb'], '--right-in',
        readings['clean'], '--out', out])
    assert chosen == [1]  # 3 is wrong in both, 2 is right
    assert Image.open(out).size[0] >= 200  # 100 px image shown 2x
    assert omr_error_picture.main([
        readings['aug'], '--lmdb', readings['lmdb'], '--out', out]) == [1, 3]


def test_explicit_indices_and_bad_ones(readings, tmp_path):
    out = str(tmp_path / 'p.png')
    assert omr_error_picture.main([
        readings['aug'], '--lmdb', readings['lmdb'], '--indices', '2,3',
        '--model-height', '32', '--out', out]) == [2, 3]
    with pytest.raises(SystemExit, match='not in the readings'):
        omr_error_picture.main([readings['aug'], '--lmdb', readings['lmdb'],
                                '--indices', '7', '--out', out])
    with pytest.raises(SystemExit, match='nothing to draw'):
        omr_error_picture.main([readings['clean'], '--lmdb',
                                readings['lmdb'], '--right-in',
                                readings['aug'], '--num', '1', '--out', out])


def test_engrave_adds_the_reading_below_each_panel(readings, tmp_path):
    plain, engraved = str(tmp_path / 'a.png'), str(tmp_path / 'b.png')
    args = [readings['aug'], '--lmdb', readings['lmdb'], '--indices', '2']
    omr_error_picture.main(args + ['--out', plain])
    omr_error_picture.main(args + ['--engrave', '--out', engraved])
    before, after = (np.asarray(Image.open(p).convert('L'))
                     for p in (plain, engraved))
    # the 64 px fragment's re-engraving is shown 128 px high: a staff of
    # five lines at least as wide as the 150 px input
    assert after.shape[0] >= before.shape[0] + 128
    assert (after < 128).sum() - (before < 128).sum() > 5 * 150
