"""tools/test.py: metrics, --save-preds, --show-dir, --lexicon, --tta, safe
loading."""
import json
import os
import os.path as osp
import pickle

import cv2
import numpy as np
import pytest
import torch
from tools_helpers import (NUM_TEST_A, WORDS, load_tool, make_word_set,
                           per_image_lexicon, unique_name, write_config)

from crnn_plugin.checkpoint import CheckpointError

train_tool = load_tool('train')
test_tool = load_tool('test')


def run_test(config, checkpoint, work_dir, *extra):
    """Run ``tools/test.py`` in-process; returns its metrics."""
    name = unique_name()
    return test_tool.main([
        config,
        str(checkpoint), '--work-dir',
        str(work_dir), '--cfg-options', f'experiment_name={name}',
        f'visualizer.name={name}', *extra
    ])


def read_preds(path):
    """Predictions dumped by --save-preds (our own output file)."""
    with open(path, 'rb') as f:
        return pickle.load(f)


@pytest.fixture(scope='module')
def checkpoint(tiny_config, tmp_path_factory):
    """A checkpoint of the tiny model after one epoch."""
    work_dir = tmp_path_factory.mktemp('trained')
    name = unique_name()
    train_tool.main([
        tiny_config, '--work-dir',
        str(work_dir), '--cfg-options', 'train_cfg.max_epochs=1',
        f'experiment_name={name}', f'visualizer.name={name}'
    ])
    return work_dir / 'epoch_1.pth'


def test_parse_args_mmocr_flags():
    args = test_tool.parse_args([
        'cfg.py', 'x.pth', '--work-dir', 'wd', '--save-preds', '--show',
        '--wait-time', '0.5', '--tta', '--launcher', 'pytorch',
        '--cfg-options', 'a=1', '--lexicon', 'per-image', '--delta', '2'
    ])
    assert (args.config, args.checkpoint, args.work_dir, args.save_preds,
            args.show, args.wait_time, args.tta, args.launcher,
            args.cfg_options, args.lexicon,
            args.delta) == ('cfg.py', 'x.pth', 'wd', True, True, 0.5, True,
                            'pytorch', dict(a=1), 'per-image', 2)
    assert test_tool.parse_args(['c', 'k']).delta == 3
    assert test_tool.parse_args(['c', 'k']).lexicon_margin is None
    assert test_tool.parse_args(['c', 'k', '--lexicon-margin',
                                 '7']).lexicon_margin == 7.0


def test_lexicon_margin_needs_a_lexicon(tiny_config):
    args = test_tool.parse_args(
        [tiny_config, 'x.pth', '--lexicon-margin', '7'])
    with pytest.raises(ValueError, match='needs --lexicon'):
        test_tool.build_cfg(args)


def test_metrics_per_test_set_and_save_preds(tiny_config, checkpoint,
                                             tmp_path):
    metrics = run_test(tiny_config, checkpoint, tmp_path, '--save-preds')
    for prefix in ('A', 'B'):
        assert 0 <= metrics[f'{prefix}/recog/word_acc'] <= 1
        assert f'{prefix}/recog/1-N.E.D' in metrics
    preds = read_preds(tmp_path / 'epoch_1.pth_predictions.pkl')
    # All images of both test sets, in dataset order, with predictions.
    assert [osp.basename(p['img_path']) for p in preds] == [
        f'{i:03d}.png' for i in range(len(WORDS))
    ]
    assert [p['gt_text']['item'] for p in preds] == list(WORDS)
    assert all(isinstance(p['pred_text']['item'], str) for p in preds)


def test_show_dir_paints_images(tiny_config, checkpoint, tmp_path):
    show_dir = tmp_path / 'vis'
    run_test(tiny_config, checkpoint, tmp_path, '--show-dir', str(show_dir))
    painted = os.listdir(show_dir / 'vis_data' / 'vis_image')
    assert len(painted) == len(WORDS)
    with pytest.raises(ValueError, match='at the same time'):
        run_test(tiny_config, checkpoint, tmp_path, '--show', '--show-dir',
                 str(show_dir))


def test_lexicon_file_side_by_side(tiny_config, checkpoint, tmp_path):
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('\n'.join(WORDS + ('foo', )) + '\n')
    metrics = run_test(tiny_config, checkpoint, tmp_path, '--lexicon',
                       str(lexicon), '--delta', '1', '--save-preds')
    for prefix, size in (('A', NUM_TEST_A), ('B', len(WORDS) - NUM_TEST_A)):
        assert f'{prefix}/lexicon_free/word_acc' in metrics
        assert f'{prefix}/recog/word_acc' in metrics
        assert metrics[f'{prefix}/lexicon/samples'] == size
    preds = read_preds(tmp_path / 'epoch_1.pth_predictions.pkl')
    allowed = set(WORDS) | {'foo'}
    assert all(p['pred_text']['item'] in allowed for p in preds)
    assert all('greedy_item' in p['pred_text'] for p in preds)
    table = test_tool.side_by_side(metrics)
    assert 'lexicon-free  lexicon-based' in table and '\nB ' in table
    with pytest.raises(FileNotFoundError, match='per-image'):
        run_test(tiny_config, checkpoint, tmp_path, '--lexicon',
                 str(tmp_path / 'missing.txt'))


def test_lexicon_per_image(tiny_config, checkpoint, tmp_path):
    run_test(tiny_config, checkpoint, tmp_path, '--lexicon', 'per-image',
             '--save-preds')
    preds = read_preds(tmp_path / 'epoch_1.pth_predictions.pkl')
    for pred in preds:
        word = pred['gt_text']['item']
        assert pred['pred_text']['item'] in per_image_lexicon(word)


def test_lexicon_per_image_json_file(tiny_config, checkpoint, tmp_path):
    side_file = tmp_path / 'lexicons.json'
    side_file.write_text(
        json.dumps({
            f'{i:03d}.png': per_image_lexicon(word)
            for i, word in enumerate(WORDS)
        }))
    run_test(tiny_config, checkpoint, tmp_path, '--lexicon', str(side_file),
             '--save-preds')
    preds = read_preds(tmp_path / 'epoch_1.pth_predictions.pkl')
    for pred in preds:
        word = pred['gt_text']['item']
        assert pred['pred_text']['item'] in per_image_lexicon(word)


def test_lexicon_per_image_missing_in_annotation(tiny_config, checkpoint,
                                                 tmp_path):
    data = make_word_set(str(tmp_path / 'words'), with_lexicon=False)
    config = write_config(
        str(tmp_path / 'nolex.py'), tiny_config,
        'test_dataloader = dict(dataset=dict(datasets=['
        f'dict(_base_.tiny_test_a, data_root={data!r}), '
        f'dict(_base_.tiny_test_b, data_root={data!r})]))\n')
    with pytest.raises(KeyError, match='no "lexicon" list'):
        run_test(config, checkpoint, tmp_path, '--lexicon', 'per-image')


class _Exploit:
    """Pickles to ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


@pytest.mark.parametrize('force_no_weights_only', [False, True])
def test_malicious_checkpoint_is_rejected(tiny_config, tmp_path, monkeypatch,
                                          force_no_weights_only):
    if force_no_weights_only:
        # Even the env override of torch's default does not re-enable pickle.
        monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    marker = tmp_path / 'pwned'
    bad = tmp_path / 'bad.pth'
    torch.save({'state_dict': {}, 'meta': _Exploit(marker)}, bad)
    with pytest.raises(CheckpointError, match='posix.system'):
        run_test(tiny_config, bad, tmp_path / 'work')
    assert not marker.exists()


TTA = """
tta_model = dict(type='EncoderDecoderRecognizerTTAModel')
tta_pipeline = [
    dict(type='SafeLoadImageFromFile', color_type='grayscale'),
    dict(type='TestTimeAug', transforms=[
        [dict(type='RescaleToHeight', height=32, min_width=w, max_width=None)
         for w in (100, 128)],
        [dict(type='LoadOCRAnnotations', with_text=True)],
        [dict(type='PackTextRecogInputs',
              meta_keys=('img_path', 'ori_shape', 'img_shape',
                         'valid_ratio'))]])
]
"""


def test_tta(tiny_config, checkpoint, tmp_path):
    with pytest.raises(ValueError, match='tta_pipeline'):
        run_test(tiny_config, checkpoint, tmp_path, '--tta')
    config = write_config(str(tmp_path / 'tta.py'), tiny_config, TTA)
    metrics = run_test(config, checkpoint, tmp_path, '--tta')
    assert 0 <= metrics['A/recog/word_acc'] <= 1


def test_padded_batches_give_the_batch_size_one_metrics(tiny_config,
                                                        checkpoint, tmp_path):
    """Images of different widths (padded in a batch of 4) get the
    predictions, scores and metrics they get one at a time."""
    data = tmp_path / 'wide'
    os.makedirs(data / 'imgs')
    rng = np.random.default_rng(3)
    entries = []
    for i, word in enumerate(WORDS):
        width = 100 + 23 * i  # 100..261 px: every batch is padded
        cv2.imwrite(str(data / 'imgs' / f'{i:03d}.png'),
                    rng.integers(0, 256, (32, width), dtype=np.uint8))
        entries.append(dict(img_path=f'imgs/{i:03d}.png',
                            instances=[dict(text=word)]))
    meta = dict(dataset_type='TextRecogDataset', task_name='textrecog')
    for name, part in (('labels_a', entries[:NUM_TEST_A]),
                       ('labels_b', entries[NUM_TEST_A:])):
        with open(data / f'{name}.json', 'w') as f:
            json.dump(dict(metainfo=meta, data_list=part), f)
    roots = [f'test_dataloader.dataset.datasets.{i}.data_root={data}'
             for i in (0, 1)]

    def read(batch_size, *options):
        work = tmp_path / f'bs{batch_size}{len(options)}'
        metrics = run_test(tiny_config, checkpoint, work, '--save-preds',
                           '--cfg-options', *roots,
                           f'test_dataloader.batch_size={batch_size}',
                           *options)
        preds = read_preds(work / 'epoch_1.pth_predictions.pkl')
        return metrics, [(p['pred_text']['item'], p['pred_text']['score'])
                         for p in preds]

    single, single_preds = read(1)
    batched, batched_preds = read(4)
    assert batched == pytest.approx(single, abs=1e-9)
    for (text, scores), (ref_text, ref_scores) in zip(batched_preds,
                                                      single_preds):
        assert text == ref_text
        assert scores == pytest.approx(ref_scores, abs=1e-5)
    # MMOCR's recognizer on the same batches: padding changes the scores
    _, plain_preds = read(4, 'model.type=CRNN')
    assert any(scores != pytest.approx(ref_scores, abs=1e-5)
               for (_, scores), (_, ref_scores) in zip(plain_preds,
                                                       single_preds))
