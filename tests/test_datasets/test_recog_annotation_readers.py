"""Label-file and MMOCR-JSON readers."""
import json
import os.path as osp

from datasets_helpers import warnings_of

from crnn_plugin.datasets import read_label_file, read_mmocr_textrecog_json


def test_label_file_separators_bom_and_bad_lines(tmp_path, log_records):
    label_file = tmp_path / 'labels.txt'
    label_file.write_bytes(
        b'\xef\xbb\xbfimgs/a.png\thello world\r\n'  # BOM, TAB, CRLF
        b'imgs/b.png w0rd\n'
        b'\n'
        b'imgs/c.png\n'  # no label
        b'imgs/d.png \xff\xfe\n'  # not UTF-8
        b'/abs/e.png caf\xc3\xa9\n')
    pairs = read_label_file(str(label_file))
    root = str(tmp_path)
    assert pairs == [(osp.join(root, 'imgs/a.png'), 'hello world'),
                     (osp.join(root, 'imgs/b.png'), 'w0rd'),
                     ('/abs/e.png', 'caf\u00e9')]
    warned = warnings_of(log_records)
    assert len(warned) == 2
    assert any(':4: no label' in m for m in warned)
    assert any(':5: line not UTF-8' in m for m in warned)


def test_label_file_img_root(tmp_path):
    (tmp_path / 'l.txt').write_text('x.jpg abc\n', encoding='utf-8')
    assert read_label_file(str(tmp_path / 'l.txt'), img_root='/data') == [
        ('/data/x.jpg', 'abc')]


def test_mmocr_json(tmp_path, log_records):
    ann = dict(metainfo=dict(task_name='textrecog'), data_list=[
        dict(img_path='a.png', instances=[dict(text='abc')]),
        dict(img_path='b.png', instances=[]),
        dict(img_path='c.png', instances=[dict(text='x'), dict(text='y')]),
        dict(instances=[dict(text='nopath')]),
        dict(img_path='e.png', instances=[dict(text='')]),
    ])
    json_file = tmp_path / 'ann.json'
    json_file.write_text(json.dumps(ann), encoding='utf-8')
    pairs = read_mmocr_textrecog_json(str(json_file), img_root='/r')
    assert pairs == [('/r/a.png', 'abc'), ('/r/e.png', '')]
    assert len(warnings_of(log_records)) == 3
