import json
import os.path as osp
import sys

import numpy as np
import pytest

pytest.importorskip('music21', reason='music21 is not installed')
pytest.importorskip('verovio', reason='verovio is not installed')
pytest.importorskip('cairosvg', reason='cairosvg is not installed')

from crnn_plugin.datasets import LMDBTextRecogDataset  # noqa: E402
from omr import fragments as F  # noqa: E402
from omr.pitch_dictionary import PitchDictionary  # noqa: E402

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', 'tools',
                            'data'))
import omr_synth  # noqa: E402


def test_end_to_end_small(tmp_path):
    bach = [f for f in F.corpus_files() if f.startswith('bach/bwv')]
    val = [f for f in bach if F.split_of(f) == 'val'][:2]
    train = [f for f in bach if F.split_of(f) == 'train'][:2]
    out = tmp_path / 'omr'
    omr_synth.main([
        '--out', str(out), '--train', '8', '--val', '4', '--workers', '1',
        '--files', *val, *train, '--preview', str(tmp_path / 'p.png')
    ])
    meta = json.loads((out / 'meta.json').read_text())
    assert meta['splits']['train']['written'] == 8
    assert meta['splits']['val']['written'] == 4
    assert not (set(meta['splits']['train']['piece_ids'])
                & set(meta['splits']['val']['piece_ids']))
    assert all(p.split('#')[0] in val
               for p in meta['splits']['val']['piece_ids'])
    assert (tmp_path / 'p.png').exists()
    d = PitchDictionary()
    for name, n in (('train', 8), ('val', 4), ('val_aug', 4)):
        ds = LMDBTextRecogDataset(
            ann_file=str(out / name), img_color_type='grayscale',
            pipeline=[], test_mode=True)
        assert len(ds) == n
        for i in range(n):
            item = ds[i]
            img = item['img']
            assert img.ndim == 2 and img.dtype == np.uint8
            label = item['instances'][0]['text']
            tokens = label.split()
            assert 3 <= len(tokens) <= 20
            assert all(d.contains(t) for t in tokens)
            if name != 'val_aug':
                assert img.shape[0] == 64 and (img < 128).any()
    # A transposed training split written beside the others: the same
    # fragments (same seed and files), moved to other key signatures.
    omr_synth.main([
        '--out', str(out), '--splits', 'train', '--train-name', 'train_tr',
        '--transpose', '--train', '8', '--workers', '1', '--files', *val,
        *train
    ])
    added = json.loads((out / 'meta.json').read_text())
    assert added['splits']['val'] == meta['splits']['val']
    assert added['splits']['train'] == meta['splits']['train']
    assert added['splits']['train_tr']['transpose'] is True
    assert not (out / 'preview.png').exists()  # given path; no val split
    # the run's time adds up (each figure rounded to 0.1 s)
    assert added['seconds'] >= meta['seconds'] + added['splits'][
        'train_tr']['seconds'] - 0.1
    assert meta['splits']['train']['transpose'] is False
    plain, moved = (LMDBTextRecogDataset(
        ann_file=str(out / name), pipeline=[], img_color_type='grayscale',
        test_mode=True) for name in ('train', 'train_tr'))
    pairs = [(plain[i]['instances'][0]['text'].split(),
              moved[i]['instances'][0]['text'].split()) for i in range(8)]
    assert all(len(a) == len(b) for a, b in pairs)
    assert all(d.contains(t) for _, b in pairs for t in b)
    assert sum(a != b for a, b in pairs) >= 4
    # Altered accidentals: the same fragments and notes, other signs.
    omr_synth.main([
        '--out', str(out), '--splits', 'train', '--train-name', 'train_alt',
        '--alter', '0.5', '--train', '8', '--workers', '1', '--files', *val,
        *train
    ])
    assert json.loads((out / 'meta.json').read_text())['splits'][
        'train_alt']['alter'] == 0.5
    altered = LMDBTextRecogDataset(
        ann_file=str(out / 'train_alt'), pipeline=[],
        img_color_type='grayscale', test_mode=True)
    pairs = [(plain[i]['instances'][0]['text'].split(),
              altered[i]['instances'][0]['text'].split()) for i in range(8)]
    assert all(len(a) == len(b) for a, b in pairs)
    assert all(d.contains(t) for _, b in pairs for t in b)
    assert sum(x != y for a, b in pairs for x, y in zip(a, b)) >= 8
    assert all(x[0] == y[0] for a, b in pairs for x, y in zip(a, b))
    # Same seed -> same data; val_aug labels = val labels.
    again = tmp_path / 'again'
    omr_synth.main([
        '--out', str(again), '--train', '8', '--val', '4', '--workers', '2',
        '--files', *val, *train, '--no-aug'
    ])
    assert (again / 'preview.png').exists()  # default: under --out
    for name in ('train', 'val'):
        a = LMDBTextRecogDataset(ann_file=str(out / name), pipeline=[],
                                 img_color_type='grayscale', test_mode=True)
        b = LMDBTextRecogDataset(ann_file=str(again / name), pipeline=[],
                                 img_color_type='grayscale', test_mode=True)
        for i in range(len(a)):
            assert a[i]['instances'] == b[i]['instances']
            assert np.array_equal(a[i]['img'], b[i]['img'])


@pytest.mark.parametrize('rate', ['-0.1', '1.5'])
def test_engine_refuses_a_share_outside_0_1(rate, capsys):
    with pytest.raises(SystemExit):
        omr_synth.parse_args(['--alter', rate])
    assert 'share of notes in [0, 1]' in capsys.readouterr().err
