"""A config saved in or beside a checkpoint is data: never run, by any tool.

Each entry point gets a checkpoint whose ``meta.cfg`` ends with
``_x = __import__('os').system('touch MARKER')``, and a bare weights file
with such a ``<checkpoint>.py`` beside it; the marker must not appear.
Tools that read the saved config refuse it with one ``error:`` line
(status 2); tools that take the config from the command line ignore it.
"""
import os.path as osp

import pytest
import torch
from apis_helpers import write_images, write_tiny_model
from hardening_helpers import (bare_with_sibling, inject_meta_cfg, run_tool,
                               tree_state)
from tools_helpers import unique_name, write_tiny_config

from crnn_plugin.datasets import write_recog_lmdb


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """The tiny model, its tampered copies, an image and a marker path."""
    tmp = tmp_path_factory.mktemp('inject')
    config, checkpoint = write_tiny_model(str(tmp))
    marker = str(tmp / 'PWNED')
    image = write_images(str(tmp), [120])[0]
    return dict(
        tmp=tmp, config=config, ckpt=checkpoint, image=image, marker=marker,
        meta=inject_meta_cfg(checkpoint, str(tmp / 'meta.pth'), marker),
        sibling=bare_with_sibling(checkpoint, str(tmp / 'bare.pth'), marker))


def assert_refused(files, status, errors, err):
    assert not osp.exists(files['marker'])
    assert status == 2, err
    assert len(errors) == 1, err
    assert "__import__" in errors[0] and 'line' in errors[0]
    assert 'Traceback' not in err


@pytest.mark.parametrize('kind', ['meta', 'sibling'])
def test_infer_refuses(files, kind, capsys):
    status, errors, err = run_tool('tools/infer.py', [
        files['image'], '--checkpoint', files[kind], '--backend', 'torch'
    ], capsys)
    assert_refused(files, status, errors, err)


@pytest.mark.parametrize('kind', ['meta', 'sibling'])
def test_recognize_refuses(files, kind, capsys):
    status, errors, err = run_tool(
        'omr/recognize.py', [files['image'], '--checkpoint', files[kind]],
        capsys)
    assert_refused(files, status, errors, err)


@pytest.mark.parametrize('kind', ['meta', 'sibling'])
def test_test_tool_ignores_the_saved_config(files, kind, capsys, tmp_path):
    config = write_tiny_config(str(tmp_path))
    name = unique_name()
    status, errors, err = run_tool('tools/test.py', [
        config, files[kind], '--work-dir', tmp_path / 'work',
        '--cfg-options', f'experiment_name={name}', f'visualizer.name={name}'
    ], capsys)
    assert (status, errors) == (0, []), err
    assert not osp.exists(files['marker'])


def test_named_config_is_still_run(files, capsys):
    """--config names a file the user trusts: it is loaded as code (its
    ``_base_`` inheritance works) and the tampered meta.cfg is not read."""
    status, errors, err = run_tool('tools/infer.py', [
        files['image'], '--checkpoint', files['meta'], '--config',
        files['config'], '--backend', 'torch'
    ], capsys)
    assert (status, errors) == (0, []), err
    assert not osp.exists(files['marker'])


def test_export_ignores_the_saved_config(files, capsys, tmp_path):
    out = tmp_path / 'm.onnx'
    status, errors, err = run_tool('tools/export_onnx.py', [
        files['config'], files['meta'], out], capsys)
    assert (status, errors) == (0, []), err
    assert out.is_file() and not osp.exists(files['marker'])


def test_publish_does_not_carry_the_injection(files, capsys, tmp_path):
    images = write_images(str(tmp_path), [100, 140])
    lmdb = str(tmp_path / 'parity.lmdb')
    write_recog_lmdb([(p, 'ab') for p in images], lmdb, show_progress=False)
    before = tree_state(str(files['tmp']))
    out = tmp_path / 'pub.pth'
    status, errors, err = run_tool('tools/publish_checkpoint.py', [
        files['meta'], out, '--config', files['config'], '--parity-lmdb',
        lmdb, '--parity-num', '2'], capsys)
    assert (status, errors) == (0, []), err
    published = torch.load(out, weights_only=True)
    assert '__import__' not in published['meta']['cfg']
    assert not osp.exists(files['marker'])
    assert tree_state(str(files['tmp'])) == before  # inputs untouched
