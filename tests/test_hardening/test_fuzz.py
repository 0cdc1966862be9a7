"""Property tests: random or damaged inputs never give a traceback, and a
run changes no file besides its named outputs.

Inputs: image bytes (random, and a valid PNG/JPEG cut or with bytes
changed), label files, lexicon files and checkpoint files (damaged bytes,
and well-formed files whose saved config or weights are random data).
Tools run in-process, few examples each, to keep the suite fast.
"""
import os
import os.path as osp
import tempfile

import cv2
import numpy as np
import pytest
import torch
from apis_helpers import write_images, write_tiny_model
from hardening_helpers import run_tool, tree_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crnn_plugin.apis import ImageInputError, TextRecognizer, load_recognizer
from crnn_plugin.datasets import BadImageError, decode_image_bytes
from crnn_plugin.lexicon.lexicon_file import read_word_file

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
FUZZ_CLI = settings(FUZZ, max_examples=8)

PNG = cv2.imencode('.png', np.random.default_rng(0).integers(
    0, 255, (16, 40), dtype=np.uint8))[1].tobytes()
JPEG = cv2.imencode('.jpg', np.full((16, 40, 3), 99, np.uint8))[1].tobytes()


@st.composite
def damaged(draw, data: bytes):
    """``data`` cut short, with a few bytes changed, or with bytes added."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) + draw(st.binary(max_size=16))


image_bytes = st.one_of(st.binary(max_size=256), damaged(PNG),
                        damaged(JPEG))


@pytest.fixture(scope='module')
def model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('fuzz')
    config, ckpt = write_tiny_model(str(tmp))
    return dict(tmp=tmp, config=config, ckpt=ckpt,
                rec=TextRecognizer(config, ckpt, backend='torch', workers=0))


@FUZZ
@given(data=image_bytes)
def test_image_bytes_decode_or_one_reason(data):
    try:
        img = decode_image_bytes(data, 'grayscale')
    except BadImageError as err:
        assert err.reason and '\n' not in err.reason
    else:
        assert img.dtype == np.uint8 and img.ndim == 2


@FUZZ
@given(data=image_bytes)
def test_recognizer_returns_a_result_or_an_error(model, data):
    result = model['rec']([data], on_error='return')[0]
    if isinstance(result, ImageInputError):
        assert result.reason and '\n' not in result.reason
    else:
        assert isinstance(result.text, str) and 0 <= result.confidence <= 1


@FUZZ_CLI
@given(data=image_bytes)
def test_infer_cli_on_damaged_files(model, data, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'x.png')
        with open(path, 'wb') as f:
            f.write(data)
        before = tree_state(tmp)
        status, errors, printed = run_tool('tools/infer.py', [
            path, '--checkpoint', model['ckpt'], '--backend', 'torch'],
            capsys)
        assert 'Traceback' not in printed
        assert (status, len(errors)) in ((0, 0), (1, 1)), printed
        assert all(e.startswith(f'error: {path}: ') for e in errors)
        assert tree_state(tmp) == before


@FUZZ_CLI
@given(labels=st.one_of(
    st.binary(max_size=200),
    st.lists(st.tuples(st.sampled_from(['a.png', 'b.png', 'c.png', '',
                                        '../a.png', 'a.png\x00']),
                       st.sampled_from(['\t', ' ', '']),
                       st.text(max_size=8)),
             max_size=6).map(lambda rows: '\n'.join(
                 ''.join(r) for r in rows).encode('utf-8', 'replace'))))
def test_convert_to_lmdb_on_random_label_files(labels, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        write_images(tmp, [50])
        os.rename(osp.join(tmp, 'img_00_50.png'), osp.join(tmp, 'a.png'))
        with open(osp.join(tmp, 'b.png'), 'wb') as f:
            f.write(b'not an image')
        label_file = osp.join(tmp, 'labels.txt')
        with open(label_file, 'wb') as f:
            f.write(labels)
        before = tree_state(tmp)
        out = osp.join(tmp, 'out.lmdb')
        status, errors, printed = run_tool(
            'tools/data/convert_to_lmdb.py', [label_file, out], capsys)
        assert 'Traceback' not in printed
        assert status in (0, 1) and not errors, printed
        after = tree_state(tmp)
        assert {k: v for k, v in after.items()
                if not k.startswith('out.lmdb' + os.sep)} == before
        assert sorted(os.listdir(tmp)) == sorted(
            ['a.png', 'b.png', 'labels.txt', 'out.lmdb'])


@FUZZ
@given(content=st.one_of(
    st.binary(max_size=200),
    st.lists(st.text(max_size=10), max_size=8).map(
        lambda words: '\n'.join(words).encode('utf-8', 'surrogatepass'))))
def test_lexicon_files_read_or_one_error(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'words.txt')
        with open(path, 'wb') as f:
            f.write(content)
        try:
            words = read_word_file(path)
        except ValueError as err:
            assert '\n' not in str(err)
        else:
            assert any(words)


@FUZZ_CLI
@given(content=st.binary(max_size=120))
def test_infer_cli_on_random_lexicons(model, content, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'words.txt')
        with open(path, 'wb') as f:
            f.write(content)
        image = write_images(tmp, [80])[0]
        before = tree_state(tmp)
        status, errors, printed = run_tool('tools/infer.py', [
            image, '--checkpoint', model['ckpt'], '--backend', 'torch',
            '--lexicon', path], capsys)
        assert 'Traceback' not in printed
        assert (status, len(errors)) in ((0, 0), (2, 1)), printed
        assert tree_state(tmp) == before


LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-5, 300),
                   st.floats(allow_nan=False), st.text(max_size=6))
KEYS = st.sampled_from(['model', 'type', 'backbone', 'decoder', 'dictionary',
                        'in_channels', 'test_pipeline', 'custom_imports',
                        'imports', 'data_preprocessor', 'x'])
CONFIG_DATA = st.recursive(
    LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                    st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12)


@st.composite
def checkpoint_files(draw, model):
    """Bytes of a checkpoint: damaged, or well-formed with random parts."""
    ckpt = torch.load(model['ckpt'], weights_only=True)
    kind = draw(st.sampled_from(['bytes', 'cfg_text', 'cfg_data', 'state']))
    if kind == 'bytes':
        with open(model['ckpt'], 'rb') as f:
            return draw(damaged(f.read()))
    if kind == 'cfg_text':  # the saved config with lines dropped/changed
        lines = ckpt['meta']['cfg'].splitlines()
        drop = draw(st.sets(st.integers(0, len(lines) - 1), max_size=6))
        lines = [ln for i, ln in enumerate(lines) if i not in drop]
        ckpt['meta']['cfg'] = '\n'.join(lines) + draw(st.text(max_size=12))
    elif kind == 'cfg_data':  # a config of random data
        data = draw(st.dictionaries(KEYS, CONFIG_DATA, max_size=4))
        ckpt['meta']['cfg'] = '\n'.join(f'{k} = {v!r}'
                                        for k, v in data.items())
    else:  # random tensors under real and made-up names
        names = list(ckpt['state_dict']) + ['junk']
        ckpt['state_dict'] = {
            name: torch.zeros(draw(st.lists(st.integers(0, 3), max_size=3)))
            for name in draw(st.lists(st.sampled_from(names), min_size=1,
                                      max_size=4))
        }
    path = osp.join(tempfile.gettempdir(), f'fuzz_{os.getpid()}.pth')
    torch.save(ckpt, path)
    with open(path, 'rb') as f:
        data = f.read()
    os.remove(path)
    return data


@FUZZ
@given(data=st.data())
def test_checkpoint_files_load_or_one_error(model, data):
    content = data.draw(checkpoint_files(model))
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'm.pth')
        with open(path, 'wb') as f:
            f.write(content)
        before = tree_state(tmp)
        try:
            load_recognizer(None, path)
        except (OSError, ValueError, KeyError, ImportError) as err:
            assert str(err)
        assert tree_state(tmp) == before


@FUZZ_CLI
@given(data=st.data())
def test_recognize_cli_on_random_checkpoints(model, data, capsys):
    content = data.draw(checkpoint_files(model))
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'm.pth')
        with open(path, 'wb') as f:
            f.write(content)
        image = write_images(tmp, [80])[0]
        before = tree_state(tmp)
        status, errors, printed = run_tool(
            'omr/recognize.py', [image, '--checkpoint', path], capsys)
        assert 'Traceback' not in printed
        assert (status, len(errors)) in ((0, 0), (2, 1)), printed
        assert tree_state(tmp) == before
