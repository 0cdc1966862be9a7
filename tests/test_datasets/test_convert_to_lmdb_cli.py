"""tools/data/convert_to_lmdb.py on a tiny folder and on an MMOCR JSON."""
import importlib.util
import json
import logging
import os.path as osp

import lmdb
import pytest
from mmengine.logging import MMLogger
from datasets_helpers import encode_image

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
TOOL = osp.join(REPO, 'tools', 'data', 'convert_to_lmdb.py')


@pytest.fixture(scope='module')
def tool():
    """The CLI module, to call ``main(argv)`` in-process (fast)."""
    spec = importlib.util.spec_from_file_location('convert_to_lmdb', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_all(path):
    env = lmdb.open(str(path), readonly=True, lock=False)
    with env.begin() as txn:
        items = {bytes(k): bytes(v) for k, v in txn.cursor()}
    env.close()
    return items


@pytest.fixture
def folder(tmp_path):
    imgs = tmp_path / 'imgs'
    imgs.mkdir()
    for i in range(3):
        (imgs / f'{i}.jpg').write_bytes(encode_image(i, ext='.jpg'))
    (imgs / 'broken.jpg').write_bytes(b'\xff\xd8 not really a jpeg')
    return imgs


def test_help(tool, capsys):
    with pytest.raises(SystemExit) as info:
        tool.main(['--help'])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert '--img-root' in out and 'num-samples' in out


def test_label_file_with_broken_image(tool, folder, tmp_path, capsys):
    labels = tmp_path / 'labels.txt'
    labels.write_text('0.jpg\tfoo bar\n1.jpg baz\nbroken.jpg bad\n'
                      '2.jpg qux\n', encoding='utf-8')
    out = tmp_path / 'out.lmdb'
    # the warnings go to MMEngine's current logger (whose stream may be one
    # an earlier test captured): collect its records instead
    logged = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        assert tool.main([str(labels), str(out), '--img-root', str(folder),
                          '--batch-size', '2']) == 0
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    printed = capsys.readouterr().out
    assert 'Wrote 3 samples' in printed
    assert '1 skipped (truncated: 1)' in printed
    assert any('broken.jpg: truncated' in line for line in logged), logged
    items = read_all(out)
    assert items[b'num-samples'] == b'3'
    assert [items[f'label-{i:09d}'.encode()] for i in (1, 2, 3)] == [
        b'foo bar', b'baz', b'qux']
    assert items[b'image-000000003'] == (folder / '2.jpg').read_bytes()


def test_overwrite_only_when_asked(tool, folder, tmp_path):
    labels = tmp_path / 'labels.txt'
    labels.write_text('0.jpg a\n', encoding='utf-8')
    argv = [str(labels), str(tmp_path / 'o'), '--img-root', str(folder)]
    assert tool.main(argv) == 0
    with pytest.raises(FileExistsError):
        tool.main(argv)
    assert tool.main(argv + ['--overwrite']) == 0


def test_mmocr_json(tool, folder, tmp_path, capsys):
    ann = dict(metainfo=dict(task_name='textrecog'), data_list=[
        dict(img_path='imgs/0.jpg', instances=[dict(text='h\u00e9llo')]),
        dict(img_path='imgs/broken.jpg', instances=[dict(text='bad')]),
        dict(img_path='imgs/2.jpg', instances=[dict(text='w0rld')]),
    ])
    json_file = tmp_path / 'textrecog_train.json'
    json_file.write_text(json.dumps(ann), encoding='utf-8')
    assert tool.main([str(json_file), str(tmp_path / 'j.lmdb')]) == 0
    out = capsys.readouterr().out
    assert 'Wrote 2 samples' in out and '1 skipped (truncated: 1)' in out
    items = read_all(tmp_path / 'j.lmdb')
    assert items[b'label-000000001'].decode('utf-8') == 'h\u00e9llo'
    assert items[b'label-000000002'] == b'w0rld'


def test_nothing_written_fails(tool, tmp_path, folder, capsys):
    labels = tmp_path / 'l.txt'
    labels.write_text('broken.jpg bad\n', encoding='utf-8')
    assert tool.main([str(labels), str(tmp_path / 'o'), '--img-root',
                      str(folder)]) == 1
    assert 'Wrote 0 samples' in capsys.readouterr().out
