"""The committed toy word set and its generator."""
import json
import os.path as osp
import subprocess
import sys

from PIL import Image

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
TOY = osp.join(REPO, 'tests', 'data', 'toy_words')
CHARSET = set('abcdefghijklmnopqrstuvwxyz0123456789')


def load_labels(root):
    with open(osp.join(root, 'labels.json'), encoding='utf-8') as f:
        return json.load(f)['data_list']


def test_committed_toy_set_is_small_and_clean():
    data_list = load_labels(TOY)
    words = [d['instances'][0]['text'] for d in data_list]
    assert len(words) == 64 and len(set(words)) == 64
    assert all(3 <= len(w) <= 8 and set(w) <= CHARSET for w in words)
    total = osp.getsize(osp.join(TOY, 'labels.json')) + osp.getsize(
        osp.join(TOY, 'lmdb', 'data.mdb'))
    for d in data_list:
        path = osp.join(TOY, d['img_path'])
        total += osp.getsize(path)
        with Image.open(path) as img:
            assert img.mode == 'L' and img.height == 32
    assert total < 512 * 1024


def test_generator_reproduces_labels(tmp_path):
    tool = osp.join(REPO, 'tools', 'data', 'make_toy_dataset.py')
    subprocess.run([sys.executable, tool, str(tmp_path), '--no-lmdb'],
                   check=True, capture_output=True, timeout=120)
    assert load_labels(tmp_path) == load_labels(TOY)
    with Image.open(tmp_path / 'imgs' / 'word_000.png') as img:
        assert img.height == 32
