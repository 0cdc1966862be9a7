"""tools/data/synth_text.py: LMDB output, worker invariance, errors.

Runs in-process on a fake font tree and a temporary word list, so no Debian
font or word-list package is needed.
"""
import importlib.util
import itertools
import json
import os.path as osp

import lmdb
import pytest
from synth_helpers import WORDS, make_fake_font_root

from crnn_plugin.synth import HELD_OUT_FAMILIES

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
TOOL = osp.join(REPO, 'tools', 'data', 'synth_text.py')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('synth_text', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp('synth_inputs')
    make_fake_font_root(str(root / 'fonts'))
    words = WORDS + [''.join(p) for p in itertools.product('abcde', repeat=3)]
    (root / 'words.txt').write_text('\n'.join(words) + '\n')  # ~10% val
    return ['--font-root', str(root / 'fonts'), '--word-list',
            str(root / 'words.txt')]


def read_lmdb(path):
    env = lmdb.open(str(path), readonly=True, lock=False)
    with env.begin() as txn:
        items = dict(txn.cursor())
    env.close()
    return items


def test_workers_give_identical_lmdb(tool, inputs, tmp_path):
    common = ['--num', '40', '--seed', '3', '--charset', 'alnum', *inputs]
    assert tool.main([str(tmp_path / 'w1'), '--workers', '1', *common]) == 0
    assert tool.main([str(tmp_path / 'w2'), '--workers', '2', *common]) == 0
    one, two = read_lmdb(tmp_path / 'w1'), read_lmdb(tmp_path / 'w2')
    assert one == two and one[b'num-samples'] == b'40'
    assert len(one) == 81
    meta = json.loads((tmp_path / 'w1' / 'synth_meta.json').read_text())
    assert meta['num_written'] == 40 and sum(meta['families'].values()) == 40
    assert not set(meta['families']) & set(HELD_OUT_FAMILIES)
    seeded = ['--num', '40', '--seed', '4', '--charset', 'alnum', *inputs]
    assert tool.main([str(tmp_path / 's4'), *seeded]) == 0
    assert read_lmdb(tmp_path / 's4') != one


def test_readable_by_dataset_class(tool, inputs, tmp_path):
    from mmocr.registry import DATASETS
    out = tmp_path / 'val.lmdb'
    assert tool.main([str(out), '--num', '12', '--fonts', 'val', '--clean',
                      *inputs]) == 0
    labels = read_lmdb(out)
    dataset = DATASETS.build(dict(
        type='LMDBTextRecogDataset', ann_file=str(out),
        img_color_type='grayscale', pipeline=[], test_mode=True))
    assert len(dataset) == 12
    meta = json.loads((out / 'synth_meta.json').read_text())
    assert set(meta['families']) <= set(HELD_OUT_FAMILIES)
    for i in range(12):
        item = dataset[i]
        assert item['img'].ndim == 2 and item['img'].shape[0] == 32
        text = item['instances'][0]['text']
        assert text == labels[f'label-{i + 1:09d}'.encode()].decode()
        assert text == text.lower() and text.isalnum()  # lower_digits
    assert dataset.skip_counter.num_skipped == 0
    dataset.close()


def test_missing_fonts_clear_error(tool, tmp_path, capsys):
    rc = tool.main([str(tmp_path / 'x'), '--num', '2', '--font-root',
                    str(tmp_path / 'empty')])
    err = capsys.readouterr().err
    assert rc == 2 and 'apt-get install -y' in err
    assert 'fonts-urw-base35' in err and 'Traceback' not in err
    assert not (tmp_path / 'x').exists()


def test_no_words_left_clear_error(tool, tmp_path, inputs, capsys):
    (tmp_path / 'w.txt').write_text("it's\n")
    rc = tool.main([str(tmp_path / 'x'), '--num', '2', *inputs[:2],
                    '--word-list', str(tmp_path / 'w.txt')])
    assert rc == 2 and 'no words left' in capsys.readouterr().err


def test_existing_lmdb_needs_overwrite(tool, inputs, tmp_path):
    out = str(tmp_path / 'o')
    assert tool.main([out, '--num', '2', *inputs]) == 0
    with pytest.raises(FileExistsError):
        tool.main([out, '--num', '2', *inputs])
    assert tool.main([out, '--num', '3', '--overwrite', *inputs]) == 0
    assert read_lmdb(out)[b'num-samples'] == b'3'


def test_families_keep_only_the_named_ones(tool, inputs, tmp_path):
    names = sorted(HELD_OUT_FAMILIES)[:2]
    out = tmp_path / 'two'
    assert tool.main([str(out), '--num', '20', '--fonts', 'val',
                      '--families', *names, *inputs]) == 0
    meta = json.loads((out / 'synth_meta.json').read_text())
    assert set(meta['families']) == set(names)


def test_unknown_family_clear_error(tool, inputs, tmp_path, capsys):
    rc = tool.main([str(tmp_path / 'x'), '--num', '2', '--fonts', 'val',
                    '--families', 'No Such Family', *inputs])
    err = capsys.readouterr().err
    assert rc == 2 and 'No Such Family' in err and 'Traceback' not in err
    assert not (tmp_path / 'x').exists()
