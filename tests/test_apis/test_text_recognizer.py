"""TextRecognizer: input order, backends, test-pipeline parity, errors."""
import cv2
import numpy as np
import pytest
import torch
from apis_helpers import write_images
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import DefaultScope

import crnn_plugin.apis.backends as backends_module
from crnn_plugin.apis import (ImageInputError, Recognition, TextRecognizer,
                              export_onnx, load_recognizer, pick_backend)

WIDTHS = [100, 37, 163, 100, 250, 120, 64, 310, 101, 140, 90]


@pytest.fixture(scope='module')
def images(tmp_path_factory):
    return write_images(str(tmp_path_factory.mktemp('words')), WIDTHS)


@pytest.fixture(scope='module')
def torch_rec(tiny_model):
    return TextRecognizer(*tiny_model, backend='torch', batch_size=4)


@pytest.fixture(scope='module')
def onnx_rec(tiny_model):
    pytest.importorskip('onnxruntime')
    return TextRecognizer(*tiny_model, backend='onnx', batch_size=3)


def same(a: Recognition, b: Recognition) -> bool:
    return (a.text == b.text and abs(a.confidence - b.confidence) < 1e-5
            and np.array_equal(a.frame_labels, b.frame_labels))


@pytest.mark.parametrize('backend', ['torch', 'onnx'])
def test_results_in_input_order(backend, images, request):
    rec = request.getfixturevalue(f'{backend}_rec')
    alone = [rec([path])[0] for path in images]
    assert len({r.text for r in alone}) > 3  # a mix-up would show
    assert all(
        same(a, b) for a, b in zip(rec(images), rec(images[::-1])[::-1]))
    for got, ref in zip(rec(images), alone):
        assert same(got, ref)
    # Many chunks (8 batches each) and inline decoding keep the order too.
    many = images * 5
    rec.batch_size, rec.workers = 2, 0
    try:
        out = rec(many)
    finally:
        rec.batch_size, rec.workers = (4 if backend == 'torch' else 3), 1
    assert all(same(a, b) for a, b in zip(out, alone * 5))


def test_backends_agree(torch_rec, onnx_rec, images):
    for a, b in zip(torch_rec(images), onnx_rec(images)):
        assert same(a, b)
        assert np.allclose(a.char_scores, b.char_scores, atol=1e-5)


def test_matches_mmocr_test_pipeline(tiny_model, torch_rec, onnx_rec, images):
    """Same text and scores as MMOCR's test pipeline + model.test_step."""
    cfg, model = load_recognizer(*tiny_model)
    with DefaultScope.overwrite_default_scope('mmocr'):
        pipeline = Compose(cfg.test_pipeline)
        for path, ours, ours_onnx in zip(images, torch_rec(images),
                                         onnx_rec(images)):
            data = pipeline(dict(img_path=path, instances=[dict(text='x')]))
            with torch.no_grad():
                pred = model.test_step(pseudo_collate([data]))[0].pred_text
            assert ours.text == pred.item == ours_onnx.text
            assert ours.char_scores == pytest.approx(pred.score, abs=1e-5)
            assert ours.confidence == pytest.approx(pred.word_score, abs=1e-5)


def test_input_kinds(torch_rec, images):
    path = images[2]
    gray = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    kinds = [path, open(path, 'rb').read(), gray,
             cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)]
    results = torch_rec(kinds)
    assert all(same(r, results[0]) for r in results)


def test_bad_inputs(torch_rec, images, tmp_path):
    empty = tmp_path / 'empty.png'
    empty.write_bytes(b'')
    inputs = [images[0], str(empty), str(tmp_path / 'nope.png'), images[1],
              np.zeros((1, 40000), np.uint8)]
    out = torch_rec(inputs, on_error='return')
    assert isinstance(out[0], Recognition) and isinstance(out[3], Recognition)
    assert [o.reason for o in (out[1], out[2])] == [
        'empty file', 'No such file or directory']
    assert 'too wide' in out[4].reason
    with pytest.raises(ImageInputError, match='empty file'):
        torch_rec(inputs)
    with pytest.raises(TypeError):
        torch_rec(images[0])
    with pytest.raises(ValueError):
        torch_rec(images, on_error='ignore')


def test_backend_selection(tiny_model, monkeypatch):
    pytest.importorskip('onnxruntime')
    pick = pick_backend
    assert pick('auto', 'cpu', 'm.pth', 'fp32') == 'onnx'
    assert pick('auto', 'cpu', 'm.pth', 'bf16') == 'torch'
    assert pick('auto', 'cuda', 'm.pth', 'fp32') == 'torch'
    assert pick('auto', 'cuda', 'm.onnx', 'fp32') == 'onnx'
    assert pick('onnx', 'cpu', None, 'fp32') == 'onnx'
    with pytest.raises(ValueError):
        pick('torch', 'cpu', 'm.onnx', 'fp32')
    with pytest.raises(ValueError):
        pick('onnx', 'cpu', 'm.pth', 'bf16')
    monkeypatch.setattr(backends_module, 'onnxruntime_available',
                        lambda: False)
    assert pick('auto', 'cpu', 'm.pth', 'fp32') == 'torch'
    assert TextRecognizer(*tiny_model).backend_name == 'torch'
    with pytest.raises(ValueError):
        TextRecognizer(*tiny_model, backend='tensorrt')
    with pytest.raises(ValueError):
        TextRecognizer(*tiny_model, batch_size=0)


def test_auto_backend_and_bf16(tiny_model, images):
    pytest.importorskip('onnxruntime')
    rec = TextRecognizer(*tiny_model)
    assert rec.backend_name == 'onnx'
    bf16 = TextRecognizer(*tiny_model, precision='bf16')
    assert bf16.backend_name == 'torch'
    assert len(bf16(images[:3])) == 3


def test_onnx_file_checkpoint(tiny_model, torch_rec, images, tmp_path):
    pytest.importorskip('onnxruntime')
    path = str(tmp_path / 'tiny.onnx')
    export_onnx(torch_rec.model, path, metadata=torch_rec.metadata())
    rec = TextRecognizer(tiny_model[0], path)
    assert rec.backend_name == 'onnx'
    assert all(same(a, b) for a, b in zip(rec(images), torch_rec(images)))
    with pytest.raises(ValueError, match='dictionary'):
        TextRecognizer(
            tiny_model[0],
            path,
            cfg_options={'dictionary.charset': 'alnum',
                         'model.decoder.dictionary.charset': 'alnum'})


def test_config_resolution(tiny_model, torch_rec, images, tmp_path):
    config, checkpoint = tiny_model
    from_meta = TextRecognizer(None, checkpoint, backend='torch')
    assert all(same(a, b)
               for a, b in zip(from_meta(images), torch_rec(images)))
    bare = str(tmp_path / 'bare.pth')
    state = torch.load(checkpoint, weights_only=True)['state_dict']
    torch.save(state, bare)
    with pytest.raises(ValueError, match='no config'):
        TextRecognizer(None, bare)
    with open(str(tmp_path / 'bare.py'), 'w') as f:  # <checkpoint>.py
        f.write(open(config).read())  # inherits: code, refused beside one
    with pytest.raises(ValueError, match=r'bare.py line 1: inheritance'):
        TextRecognizer(None, bare)
    with open(str(tmp_path / 'bare.py'), 'w') as f:  # a dumped config
        f.write(Config.fromfile(config).pretty_text)
    assert TextRecognizer(None, bare, backend='torch')(images[:1])[0].text \
        == torch_rec(images[:1])[0].text
    with pytest.raises(ValueError, match='does not fit'):
        TextRecognizer(None, bare, cfg_options={
            'model.encoder.hidden_size': 4, 'model.decoder.in_channels': 8})
    with pytest.raises(FileNotFoundError):
        TextRecognizer(config, str(tmp_path / 'missing.pth'))


def test_lexicon(tiny_model, images, tmp_path):
    words = ['hello', 'world', 'crnn', 'kl3', 'p3k']
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('\n'.join(words) + '\n')
    rec = TextRecognizer(*tiny_model, backend='torch', lexicon=str(lexicon))
    out = rec(images)
    assert {r.text for r in out} <= set(words)
    assert all(r.char_scores is None and 0 <= r.confidence <= 1 for r in out)


def test_label_char(torch_rec):
    assert torch_rec.label_char(torch_rec.blank) == ''
    assert torch_rec.label_char(0) == torch_rec.dictionary.dict[0]


def test_int8_precision(tiny_model, images):
    pytest.importorskip('onnxruntime')
    assert pick_backend('auto', 'cpu', 'm.pth', 'int8') == 'onnx'
    with pytest.raises(ValueError, match='backend "onnx"'):
        pick_backend('torch', 'cpu', 'm.pth', 'int8')
    with pytest.raises(ValueError, match='calibration'):
        TextRecognizer(*tiny_model, precision='int8')
    rec = TextRecognizer(*tiny_model, precision='int8', calibration=images)
    assert rec.backend_name == 'onnx' and rec.backend.uniform_session
    out = rec(images)
    assert len(out) == len(images) and all(
        isinstance(r, Recognition) for r in out)


def test_fp16_state_dict(tiny_model, torch_rec, images, tmp_path):
    """A bare fp16 state dict (compact storage) loads into the fp32 model."""
    state = torch.load(tiny_model[1], weights_only=True)['state_dict']
    path = str(tmp_path / 'half.pth')
    torch.save({k: v.half() if v.is_floating_point() else v
                for k, v in state.items()}, path)
    rec = TextRecognizer(tiny_model[0], path, backend='torch')
    assert next(rec.model.parameters()).dtype == torch.float32
    for a, b in zip(rec(images), torch_rec(images)):
        assert abs(a.confidence - b.confidence) < 0.05


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU')
def test_cuda_matches_cpu(tiny_model, torch_rec, images):
    gpu = TextRecognizer(*tiny_model, backend='auto', device='cuda',
                         batch_size=4)
    assert gpu.backend_name == 'torch'
    for a, b in zip(torch_rec(images), gpu(images)):
        assert a.text == b.text
        assert np.allclose(a.char_scores, b.char_scores, atol=1e-4)
