"""tools/omr_gpu_run.py: a score bundle packs small, trains through the
recipe's augmentations without MMOCR and unpacks into a checkpoint."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from rapidfuzz.distance import Levenshtein

from test_text_gpu_run import NO_MM
from tools_helpers import ROOT
from tools_helpers import SEMANTIC_LABELS as LABELS
from tools_helpers import (load_tool, write_semantic_lmdb,
                           write_tiny_semantic_model)

from crnn_plugin.apis import load_recognizer
from crnn_plugin.runtime.staff import find_staff_lines
from omr_model_helpers import staff_image  # (tests/test_omr: tools_helpers)

tool = load_tool('omr_gpu_run')
traced = load_tool('traced_training')


@pytest.fixture(scope='module')
def bundle(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp('omr_gpu_run'))
    config, checkpoint = write_tiny_semantic_model(folder)
    _, model = load_recognizer(config, checkpoint)
    lmdb_path = write_semantic_lmdb(folder)
    out = osp.join(folder, 'bundle')
    assert tool.main([
        'pack', config, checkpoint, '--out', out, '--train', lmdb_path,
        '--label-prefix', 'semantic', '--val', lmdb_path, '--val-limit', '4',
        '--workers', '1'
    ]) == 0
    return dict(config=config, checkpoint=checkpoint, out=out,
                dictionary=model.decoder.dictionary, lmdb=lmdb_path)


@pytest.fixture(scope='module')
def part(bundle, tmp_path_factory):
    """A second part of the training data: the fragments after the 2nd."""
    out = str(tmp_path_factory.mktemp('omr_gpu_run_part') / 'part')
    assert tool.main([
        'pack', bundle['config'], bundle['checkpoint'], '--out', out,
        '--train', bundle['lmdb'], '--label-prefix', 'semantic',
        '--train-only', '--skip', '2', '--workers', '1'
    ]) == 0
    return osp.join(out, 'train')


def test_shrink_fragment_caps_the_staff_space_and_grey_levels():
    big = staff_image(height=200, width=500)  # 20 px a space
    png = tool.shrink_fragment(cv2.imencode('.png', big)[1].tobytes(), 6.5)
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert find_staff_lines(img).space == pytest.approx(6.5, abs=0.4)
    assert len(np.unique(img)) <= tool.GREY_LEVELS
    small = staff_image(height=50, width=300)  # 5 px a space: kept
    png = tool.shrink_fragment(cv2.imencode('.png', small)[1].tobytes(), 6.5)
    assert cv2.imdecode(np.frombuffer(png, np.uint8), 0).shape == (50, 300)
    assert tool.shrink_fragment(b'not an image', 6.5) is None


def test_pack_writes_label_ids_pipeline_and_augmentations(bundle):
    meta = json.load(open(osp.join(bundle['out'], 'meta.json')))
    assert meta['mode'] == 'semantic'
    assert meta['train']['written'] == len(LABELS)
    assert meta['pipeline']['staff']['height'] == 64
    assert meta['pipeline']['width_scale'] == 2.0
    assert [name for name, _ in meta['augment']] == [
        'ScoreMarginJitter', 'ScoreScale', 'ScoreRotate', 'ScorePerspective',
        'ScoreBackground', 'ScoreIllumination', 'ScoreBlur', 'ScoreNoise',
        'ScoreJPEG']
    rows = tool.read_labels(osp.join(bundle['out'], 'train'))
    assert [[int(i) for i in ids.split()] for _, ids in rows] == [
        bundle['dictionary'].str2idx(label) for label in LABELS]
    val = tool.read_labels(osp.join(bundle['out'], 'val', meta['val_sets'][0]))
    assert [label for _, label in val] == LABELS[:4]


def test_augmented_fragments_are_staff_crops_reproducible_per_seed(bundle):
    meta = json.load(open(osp.join(bundle['out'], 'meta.json')))
    data = tool.AugmentedFragments(bundle['out'], meta, seed=3)
    img, ids = data[7]
    assert img.dtype == np.uint8 and img.shape[0] == 32
    again = tool.AugmentedFragments(bundle['out'], meta, seed=3)[7]
    np.testing.assert_array_equal(again[0], img)
    assert torch.equal(again[1], ids)
    # one epoch visits every fragment once
    firsts = {tuple(data[i][1].tolist()) for i in range(len(LABELS))}
    assert len(firsts) == len(LABELS)


def test_undecodable_fragment_is_skipped_not_fatal(bundle, capsys):
    meta = json.load(open(osp.join(bundle['out'], 'meta.json')))
    data = tool.AugmentedFragments(bundle['out'], meta, seed=3)
    blob, offset, _ = data.spans[2]
    data.spans[2] = (blob, offset, 8)  # a PNG cut after its signature
    read = [tuple(data[i][1].tolist()) for i in range(len(LABELS))]
    assert 'fragment 2: undecodable, skipped' in capsys.readouterr().out
    ids = [tuple(i.tolist()) for i in data.ids]
    assert ids[2] not in read and read.count(ids[3]) == 2


def test_training_data_in_parts(bundle, part):
    meta = json.load(open(osp.join(bundle['out'], 'meta.json')))
    assert meta['train']['read'] == len(LABELS)  # the next part's --skip
    assert sorted(os.listdir(osp.dirname(part))) == ['train']
    rows = tool.read_labels(part)
    assert [[int(i) for i in ids.split()] for _, ids in rows] == [
        bundle['dictionary'].str2idx(label) for label in LABELS[2:]]
    data = tool.AugmentedFragments(bundle['out'], meta, seed=1, more=[part])
    n = 2 * len(LABELS) - 2
    assert len(data.spans) == n
    # one epoch visits every fragment of both parts once
    seen = sorted(tuple(data[i][1].tolist()) for i in range(n))
    assert seen == sorted(tuple(i.tolist()) for i in data.ids)
    assert seen.count(tuple(bundle['dictionary'].str2idx(LABELS[3]))) == 2


def test_net_only_retraces_into_the_bundle(bundle, tmp_path, capsys):
    import shutil
    out = str(tmp_path / 'bundle')
    shutil.copytree(bundle['out'], out)
    state = torch.load(bundle['checkpoint'], weights_only=True)
    for v in state['state_dict'].values():
        if v.is_floating_point():
            v.add_(0.5)
    other = str(tmp_path / 'other.pth')
    torch.save(state, other)
    assert tool.main(['pack', bundle['config'], other, '--out', out,
                      '--net-only']) == 0
    meta = json.load(open(osp.join(out, 'meta.json')))
    assert meta['checkpoint'] == other
    assert meta['train'] == json.load(open(osp.join(
        bundle['out'], 'meta.json')))['train']
    net = traced.load_traced(out, torch.device('cpu'))
    weights = dict(net.named_parameters())
    name, value = next(iter(weights.items()))
    old = dict(traced.load_traced(bundle['out'],
                                  torch.device('cpu')).named_parameters())
    # (net.pt stores float16 weights)
    torch.testing.assert_close(value, old[name] + 0.5, atol=2e-3, rtol=0)
    # without training data and without --net-only: a usage error
    with pytest.raises(SystemExit):
        tool.main(['pack', bundle['config'], other, '--out', out])
    assert 'needs --train' in capsys.readouterr().err


def test_held_out_set_names_are_unique():
    paths = ['data/omr_heldout/verovio_Leland/val',
             'data/omr_heldout_seed8/verovio_Leland/val',
             'data/omr_diverse/val']
    assert [tool.val_name(p, paths) for p in paths] == [
        'omr_heldout_verovio_Leland_val',
        'omr_heldout_seed8_verovio_Leland_val', 'omr_diverse_val']


def test_interleaved_takes_the_streams_in_turn():
    assert list(tool.interleaved([iter('ab'), iter('cde'), iter('')])) == [
        'a', 'c', 'b', 'd', 'e']


def test_width_sorted_batches_pad_with_paper_white():
    pool = [(np.zeros((32, w), np.uint8), torch.tensor([i]))
            for i, w in enumerate([300, 200, 250, 210])]
    batches = list(tool.width_sorted_batches([pool], 2, seed=0))
    widths = sorted(b[2].tolist() for b in batches)
    assert widths == [[200, 210], [250, 300]]
    for images, targets, w in batches:
        assert images.shape[-1] == max(w)
        narrow = int(w.argmin())
        assert (images[narrow, 0, :, w[narrow]:] == 255).all()
        assert (images[narrow, 0, :, :w[narrow]] == 0).all()


def test_levenshtein_fallback_equals_rapidfuzz():
    rng = np.random.default_rng(0)
    for _ in range(50):
        a = list(rng.choice(list('abcd'), rng.integers(0, 8)))
        b = list(rng.choice(list('abcd'), rng.integers(0, 8)))
        assert tool.levenshtein(a, b) == Levenshtein.distance(a, b)


def test_reading_tokens_join_pitch_and_duration(bundle):
    d = bundle['dictionary']
    ids = d.str2idx('clef-G2 note-C5_quarter rest-half')
    frames = np.full((2 * len(ids), d.num_classes), -5.0, np.float32)
    for t, k in enumerate(ids):
        frames[2 * t, k] = 5.0
        frames[2 * t + 1, d.padding_idx] = 5.0
    assert tool.reading_tokens(frames, d.dict, d.padding_idx,
                               'semantic') == [
                                   'clef-G2', 'note-C5_quarter', 'rest-half']


def test_ctc_batch_loss_gives_each_image_its_own_frames():
    logits = torch.zeros(2, 10, 5, requires_grad=True)
    targets = [torch.tensor([1, 2, 3]), torch.tensor([1, 1, 1])]
    # the second image is 20 of 100 px wide: 2 frames, too few for 1 1 1
    loss, left_out = traced.ctc_batch_loss(logits, targets,
                                           torch.tensor([100, 20]), 100, 4)
    assert left_out == 1 and torch.isfinite(loss)
    loss, left_out = traced.ctc_batch_loss(logits, targets, None, 100, 4)
    assert left_out == 0


def test_train_without_mmocr_then_unpack(bundle, part, tmp_path):
    out = str(tmp_path / 'out')
    run = subprocess.run(
        [sys.executable, '-c', NO_MM, osp.join(ROOT, 'tools',
                                               'omr_gpu_run.py'),
         'train', '--bundle', bundle['out'], '--out', out, '--max-steps',
         '3', '--workers', '0', '--batch-size', '2', '--pool', '2',
         '--log-every', '1', '--save-every', '0', '--more-train', part],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env=dict(os.environ, PYTHONPATH=ROOT))
    assert run.returncode == 0, run.stderr[-2000:]
    assert 'done: 3 steps, 6 samples' in run.stdout
    assert f'{2 * len(LABELS) - 2} training fragments' in run.stdout
    val = [line.split('\t') for line in
           open(osp.join(out, 'val_log.tsv')).read().splitlines()]
    name = 'lmdb'
    assert [(v[0], v[1], v[2]) for v in val] == [
        (str(step), kind, val[0][2]) for step in (1, 2, 3, 3)
        for kind in ('last', 'ema')]
    assert name in val[0][2]
    assert all(float(v[3]) >= 0 and 0 <= float(v[4]) <= 1 for v in val)

    ckpt = str(tmp_path / 'unpacked.pth')
    assert tool.main(['unpack', osp.join(out, 'last.pth'), bundle['config'],
                      '--checkpoint', bundle['checkpoint'], '--out',
                      ckpt]) == 0
    snap = torch.load(osp.join(out, 'last.pth'), weights_only=True)
    _, model = load_recognizer(None, ckpt)  # the config travels inside
    state = model.state_dict()
    for k, v in snap['state_dict'].items():
        torch.testing.assert_close(state[k], v.to(state[k].dtype))
