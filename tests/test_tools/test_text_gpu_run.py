"""tools/text_gpu_run.py: a traced bundle trains without MMOCR and unpacks
into a checkpoint of the config's model."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest
import torch

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_apis'))
sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_synth'))
from apis_helpers import word_image, write_tiny_model  # noqa: E402
from synth_helpers import builtin_font_bytes, make_fake_font_root  # noqa
from tools_helpers import ROOT, load_tool  # noqa: E402

from crnn_plugin.apis import TextRecognizer, load_recognizer  # noqa: E402
from crnn_plugin.datasets.lmdb_writer import write_recog_lmdb  # noqa: E402
from crnn_plugin.synth import families_of_split  # noqa: E402
from crnn_plugin.synth.glyph_coverage import font_coverage  # noqa: E402

tool = load_tool('text_gpu_run')

# Runs `train` with MMOCR, MMCV and MMEngine made unimportable.
NO_MM = """\
import importlib.abc, runpy, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('mmocr', 'mmcv', 'mmdet', 'mmengine'):
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
"""


@pytest.fixture(scope='module')
def bundle(tmp_path_factory):
    """A bundle of the tiny model: traced net, two fake training families,
    a small word list."""
    folder = str(tmp_path_factory.mktemp('gpu_run'))
    config, checkpoint = write_tiny_model(folder)
    out = osp.join(folder, 'bundle')
    os.makedirs(osp.join(out, 'words'))
    meta = tool.pack_network(config, checkpoint, out)
    families = [f.name for f in families_of_split('train')[:2]]
    make_fake_font_root(out, families)
    with open(osp.join(out, 'words', 'list.txt'), 'w') as f:
        f.write('\n'.join(['hello', 'world', 'paper', 'image', 'model',
                           'train', 'glyph', 'frame', 'seven', 'night']))
    val = osp.join(folder, 'val_lmdb')
    write_recog_lmdb(
        [(cv2.imencode('.png', word_image(w, seed=i))[1].tobytes(), word)
         for i, (w, word) in enumerate([(100, 'ab'), (160, 'cd'),
                                        (70, 'e1')])],
        val, show_progress=False)
    assert tool.pack_val(val, out, 'tiny_val') == 3
    meta.update(input_size=tool.INPUT_SIZE, mean=127.0, std=127.0,
                word_lists=['words/list.txt'], val_sets=['tiny_val'])
    with open(osp.join(out, 'meta.json'), 'w') as f:
        json.dump(meta, f)
    return dict(config=config, checkpoint=checkpoint, out=out,
                folder=folder, val=val)


def test_traced_net_matches_model_and_follows_weights(bundle):
    net = torch.jit.load(osp.join(bundle['out'], 'net.pt')).float()
    _, model = load_recognizer(bundle['config'], bundle['checkpoint'])
    # float16 storage of the checkpoint's weights, names unchanged
    state = model.state_dict()
    for k, v in net.state_dict().items():
        torch.testing.assert_close(v, state[k].to(v.dtype), atol=2e-3,
                                   rtol=2e-3)
    x = torch.randn(3, 1, 32, 100)
    # the LSTM zero state takes the weights' dtype (and device): float64
    assert net.double()(x.double()).dtype == torch.float64
    reference = tool.LogitsNet(model).train()(x)
    torch.testing.assert_close(net.float()(x), reference, atol=2e-2,
                               rtol=2e-2)


def test_eval_method_reads_any_width_like_the_recognizer(bundle):
    """The eval-mode method (running BatchNorm statistics) reads a packed
    held-out image of any width as the recognizer does."""
    net = torch.jit.load(osp.join(bundle['out'], 'net.pt')).float()
    meta = json.load(open(osp.join(bundle['out'], 'meta.json')))
    images, labels = tool.load_val(bundle['out'], 'tiny_val')
    assert labels == ['ab', 'cd', 'e1']
    assert [img.shape[1] for img in images] == [100, 160, 70]
    texts = []
    for img in images:
        width = max(100, -(-32 * img.shape[1] // img.shape[0]))
        x = cv2.resize(img, (width, 32), interpolation=cv2.INTER_LINEAR)
        x = (torch.from_numpy(x).float()[None, None] - 127) / 127
        texts += tool.greedy_texts(net.forward_eval(x), meta['charset'],
                                   meta['blank'])
    reference = TextRecognizer(bundle['config'], bundle['checkpoint'],
                               backend='torch')(images)
    assert texts == [r.text for r in reference]
    expected = sum(t == label for t, label in zip(texts, labels)) / 3
    assert tool.word_accuracy(net.forward_eval, images, labels, meta,
                              torch.device('cpu')) == expected


def test_load_val_skips_unreadable_images(bundle, tmp_path, capsys):
    import shutil
    out = str(tmp_path / 'b')
    shutil.copytree(osp.join(bundle['out'], 'val'), osp.join(out, 'val'))
    with open(osp.join(out, 'val', 'tiny_val', '000002.png'), 'wb') as f:
        f.write(b'not an image')
    images, labels = tool.load_val(out, 'tiny_val')
    assert labels == ['ab', 'e1'] and len(images) == 2
    assert 'tiny_val: 1 unreadable images skipped' in capsys.readouterr().out


def test_greedy_texts_collapse_repeats_and_drop_blanks():
    charset = ['a', 'b', '<PAD>']
    logits = torch.full((1, 7, 3), -5.0)
    for t, k in enumerate([0, 0, 2, 0, 1, 1, 2]):  # a a - a b b -
        logits[0, t, k] = 5.0
    assert tool.greedy_texts(logits, charset, blank=2) == ['aab']


def test_follow_weights_refuses_unknown_cpu_constants(tmp_path):
    class Net(torch.nn.Module):
        def forward(self, x):
            return x + torch.ones(1, device='cpu')

    path = str(tmp_path / 'net.pt')
    torch.jit.trace(Net(), torch.zeros(2)).save(path)
    assert tool.follow_weights(path) is False


def test_subset_font_keeps_ascii_and_shrinks(tmp_path):
    src = tmp_path / 'src.ttf'
    src.write_bytes(builtin_font_bytes())
    dst = str(tmp_path / 'sub' / 'font.ttf')
    assert tool.subset_font(str(src), dst)
    assert os.path.getsize(dst) < os.path.getsize(src)
    assert set('abcxyz0129ABZ') <= font_coverage(dst, 'abcxyz0129ABZ')


def test_train_without_mmocr_then_unpack(bundle, tmp_path):
    out = str(tmp_path / 'out')
    run = subprocess.run(
        [sys.executable, '-c', NO_MM, osp.join(ROOT, 'tools',
                                               'text_gpu_run.py'),
         'train', '--bundle', bundle['out'], '--out', out, '--max-steps',
         '3', '--workers', '0', '--batch-size', '4', '--log-every', '1',
         '--save-every', '0'],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env=dict(os.environ, PYTHONPATH=ROOT))
    assert run.returncode == 0, run.stderr[-2000:]
    assert 'done: 3 steps, 12 samples' in run.stdout
    log = open(osp.join(out, 'train_log.tsv')).read().splitlines()
    assert [line.split('\t')[0] for line in log] == ['1', '2', '3']
    # the last column: the share of the time spent waiting for batches
    assert all(0 <= float(line.split('\t')[7]) <= 1 for line in log)
    # a snapshot after every step, each read by the last and EMA weights,
    # and a final one
    val = [line.split('\t') for line in
           open(osp.join(out, 'val_log.tsv')).read().splitlines()]
    assert [(v[0], v[1], v[2]) for v in val] == [
        (str(step), kind, 'tiny_val') for step in (1, 2, 3, 3)
        for kind in ('last', 'ema')]
    assert all(0 <= float(v[3]) <= 1 for v in val)
    snap = torch.load(osp.join(out, 'last.pth'), weights_only=True)
    assert snap['step'] == 3
    before = torch.jit.load(osp.join(bundle['out'], 'net.pt')).state_dict()
    assert any(not torch.equal(snap['state_dict'][k], v)
               for k, v in before.items() if v.is_floating_point())

    ckpt = str(tmp_path / 'unpacked.pth')
    assert tool.main(['unpack', osp.join(out, 'last.pth'), bundle['config'],
                      '--checkpoint', bundle['checkpoint'],
                      '--out', ckpt]) == 0
    _, model = load_recognizer(bundle['config'], ckpt)
    state = model.state_dict()
    for k, v in snap['state_dict'].items():
        torch.testing.assert_close(state[k], v.to(state[k].dtype))
