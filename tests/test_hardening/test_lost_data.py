"""No tool overwrites its inputs or existing outputs without --force, and
outputs land exactly where asked (or nowhere, on failure)."""
import os
import os.path as osp

import lmdb
import pytest
import torch
from apis_helpers import write_images, write_tiny_model
from hardening_helpers import ROOT, run_tool, tree_state
from mmengine.config import Config
from mmocr.registry import MODELS

from crnn_plugin.datasets import write_recog_lmdb

OMR_CONFIG = osp.join(ROOT, 'configs', 'omr', 'crnn_omr_reduced.py')


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """Tiny text model, a random OMR model (bare weights), images."""
    tmp = tmp_path_factory.mktemp('lost')
    config, ckpt = write_tiny_model(str(tmp))
    torch.manual_seed(0)
    omr = str(tmp / 'omr.pth')
    torch.save(MODELS.build(Config.fromfile(OMR_CONFIG).model).state_dict(),
               omr)
    imgs = tmp / 'imgs'
    imgs.mkdir()
    images = write_images(str(imgs), [100, 150])
    return dict(tmp=tmp, config=config, ckpt=ckpt, omr=omr, imgs=str(imgs),
                images=images)


def recognize(files, *args, capsys):
    return run_tool('omr/recognize.py',
                    [files['images'][0], '--checkpoint', files['omr'],
                     *args], capsys)


@pytest.mark.parametrize('flag', ['--render', '--musicxml', '--midi'])
def test_recognize_never_writes_over_its_input(files, flag, capsys):
    before = tree_state(str(files['tmp']))
    for target in (files['images'][0], files['omr']):
        status, errors, err = recognize(files, flag, target, '--force',
                                        capsys=capsys)
        assert status == 2 and len(errors) == 1, err
        assert 'is the input' in errors[0]
    assert tree_state(str(files['tmp'])) == before


def test_recognize_keeps_existing_outputs(files, tmp_path, capsys):
    out = tmp_path / 'old.mid'
    out.write_bytes(b'keep me')
    status, errors, _ = recognize(files, '--midi', out, capsys=capsys)
    assert status == 2 and 'exists' in errors[0] and len(errors) == 1
    assert out.read_bytes() == b'keep me'
    status, errors, err = recognize(files, '--midi', out, '--force',
                                    capsys=capsys)
    assert (status, errors) == (0, []), err
    assert out.read_bytes().startswith(b'MThd')
    status, errors, _ = recognize(files, '--midi', tmp_path / 'a',
                                  '--render', tmp_path / 'a', capsys=capsys)
    assert status == 2 and len(errors) == 1
    assert not (tmp_path / 'a').exists()


def test_recognize_writes_exactly_the_named_files(files, tmp_path, capsys):
    status, errors, err = recognize(
        files, '--musicxml', tmp_path / 'score', '--midi', tmp_path / 'tune',
        '--render', tmp_path / 'pic', capsys=capsys)
    assert (status, errors) == (0, []), err
    assert sorted(os.listdir(tmp_path)) == ['pic', 'score', 'tune']
    assert b'<score-partwise' in (tmp_path / 'score').read_bytes()
    assert (tmp_path / 'tune').read_bytes().startswith(b'MThd')
    assert (tmp_path / 'pic').read_bytes().startswith(b'\x89PNG')


def infer(files, *args, capsys):
    return run_tool('tools/infer.py', [
        *args, '--checkpoint', files['ckpt'], '--backend', 'torch'], capsys)


def test_infer_show_dir_not_into_the_input_folder(files, tmp_path, capsys):
    before = tree_state(files['imgs'])
    for show_dir in (files['imgs'], osp.join(files['imgs'], 'vis')):
        for source in (files['imgs'], osp.join(files['imgs'], '*.png')):
            status, errors, err = infer(files, source, '--show-dir',
                                        show_dir, capsys=capsys)
            assert status == 2 and len(errors) == 1, err
            assert 'input folder' in errors[0]
    assert tree_state(files['imgs']) == before


def test_infer_show_dir_file_or_uncreatable(files, tmp_path, capsys):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    for show_dir, reason in ((blocker, 'is a file'),
                             (blocker / 'sub', 'cannot be created')):
        status, errors, err = infer(files, files['images'][0], '--show-dir',
                                    show_dir, capsys=capsys)
        assert status == 2 and len(errors) == 1, err
        assert reason in errors[0]
    assert blocker.read_text() == 'x'


def test_infer_keeps_existing_pictures(files, tmp_path, capsys):
    name = osp.splitext(osp.basename(files['images'][0]))[0] + '.png'
    (tmp_path / name).write_bytes(b'old')
    status, errors, err = infer(files, *files['images'], '--show-dir',
                                tmp_path, capsys=capsys)
    assert status == 1 and len(errors) == 1 and 'exists' in errors[0], err
    assert (tmp_path / name).read_bytes() == b'old'
    assert len(os.listdir(tmp_path)) == 2  # the other picture is written
    status, errors, err = infer(files, *files['images'], '--show-dir',
                                tmp_path, '--force', capsys=capsys)
    assert (status, errors) == (0, []), err
    assert (tmp_path / name).read_bytes().startswith(b'\x89PNG')


def test_export_never_replaces_the_checkpoint(files, capsys):
    before = tree_state(str(files['tmp']))
    status, errors, err = run_tool('tools/export_onnx.py', [
        files['config'], files['ckpt'], files['ckpt'], '--force'], capsys)
    assert status == 2 and len(errors) == 1 and 'is the input' in errors[0]
    assert tree_state(str(files['tmp'])) == before


def test_publish_and_average_refuse_their_inputs(files, tmp_path, capsys):
    before = tree_state(str(files['tmp']))
    status, errors, _ = run_tool('tools/publish_checkpoint.py', [
        files['ckpt'], files['ckpt'], '--config', files['config']], capsys)
    assert status == 2 and 'is the input' in errors[0] and len(errors) == 1
    status, errors, _ = run_tool('tools/average_checkpoints.py', [
        files['ckpt'], files['ckpt'], '-o', files['ckpt'], '--force'],
        capsys)
    assert status == 2 and 'is the input' in errors[0] and len(errors) == 1
    assert tree_state(str(files['tmp'])) == before
    old = tmp_path / 'old.pth'
    old.write_bytes(b'release')
    status, errors, _ = run_tool('tools/publish_checkpoint.py', [
        files['ckpt'], old, '--config', files['config']], capsys)
    assert status == 2 and 'exists' in errors[0]
    assert old.read_bytes() == b'release'


def read_lmdb(path):
    env = lmdb.open(str(path), readonly=True, lock=False)
    with env.begin() as txn:
        items = {bytes(k): bytes(v) for k, v in txn.cursor()}
    env.close()
    return items


def test_failed_overwrite_keeps_the_old_lmdb(files, tmp_path):
    out = tmp_path / 'out.lmdb'
    write_recog_lmdb([(files['images'][0], 'old')], str(out),
                     show_progress=False)
    (out / 'notes.txt').write_text('mine')
    old = read_lmdb(out)

    def samples():
        yield files['images'][1], 'new'
        raise OSError('disk gone')

    with pytest.raises(OSError, match='disk gone'):
        write_recog_lmdb(samples(), str(out), overwrite=True,
                         show_progress=False)
    assert read_lmdb(out) == old
    assert sorted(os.listdir(tmp_path)) == ['out.lmdb']  # no temp left
    write_recog_lmdb([(files['images'][1], 'new')], str(out), overwrite=True,
                     show_progress=False)
    assert read_lmdb(out)[b'label-000000001'] == b'new'
    assert (out / 'notes.txt').read_text() == 'mine'


def test_convert_to_lmdb_errors_and_empty_labels(files, tmp_path, capsys):
    labels = tmp_path / 'labels.txt'
    a, b = (osp.basename(p) for p in files['images'])
    labels.write_text(f'{a}\tab\n{b}\t\n{b}  \n', encoding='utf-8')
    tool = 'tools/data/convert_to_lmdb.py'
    out = tmp_path / 'o.lmdb'
    status, errors, printed = run_tool(
        tool, [labels, out, '--img-root', files['imgs']], capsys)
    assert (status, errors) == (0, [])
    assert '2 skipped (empty label: 2)' in printed
    items = read_lmdb(out)
    assert items[b'num-samples'] == b'1'
    assert items[b'label-000000001'] == b'ab'
    cases = [([labels, out], 'exists'),
             ([tmp_path / 'missing.txt', tmp_path / 'n'], 'No such file'),
             ([labels, labels], 'is a file')]
    for argv, reason in cases:
        status, errors, err = run_tool(tool, argv, capsys)
        assert status == 2 and len(errors) == 1 and reason in errors[0], err
    assert read_lmdb(out) == items
