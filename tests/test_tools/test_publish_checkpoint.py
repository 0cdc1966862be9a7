"""tools/publish_checkpoint.py: slim, fp16, safe, atomic, verified."""
import os
import os.path as osp
import sys

import cv2
import pytest
import torch

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_apis'))
from apis_helpers import word_image, write_tiny_model  # noqa: E402
from tools_helpers import load_tool  # noqa: E402

from crnn_plugin.apis import TextRecognizer, load_recognizer  # noqa: E402
from crnn_plugin.datasets.lmdb_writer import write_recog_lmdb  # noqa: E402

tool = load_tool('publish_checkpoint')


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    """Tiny config, a runner-like checkpoint (optimizer state, message hub,
    numpy in the meta) and an LMDB of 6 word images."""
    import numpy as np
    folder = str(tmp_path_factory.mktemp('publish'))
    config, plain = write_tiny_model(folder)
    state = torch.load(plain, weights_only=True)['state_dict']
    ckpt = osp.join(folder, 'iter_1500.pth')
    torch.save(
        dict(
            meta=dict(iter=1500, epoch=0, cfg='# the training config',
                      seed=np.int64(0)),
            state_dict={f'module.{k}': v for k, v in state.items()},
            optimizer=dict(state={0: dict(square_avg=torch.ones(1000))}),
            message_hub=dict(log_scalars={})), ckpt)
    samples = [(cv2.imencode('.png', word_image(w, seed=i))[1].tobytes(),
                'word') for i, w in enumerate([100, 40, 180, 260, 77, 130])]
    lmdb = osp.join(folder, 'val')
    write_recog_lmdb(samples, lmdb, show_progress=False)
    return config, ckpt, lmdb, folder


def publish(tiny, name, *extra):
    config, ckpt, lmdb, folder = tiny
    out = osp.join(folder, name)
    status = tool.main([ckpt, out, '--config', config, '--parity-lmdb', lmdb,
                        *extra])
    return out, status


@pytest.fixture(scope='module')
def published_fp16(tiny):
    return publish(tiny, 'pub16.pth', '--fp16', '--data-desc', 'six words')


def test_fp16_file_is_slim_and_safe(published_fp16, tiny):
    out, status = published_fp16
    assert status == 0
    assert torch.serialization.get_unsafe_globals_in_checkpoint(out) == []
    pub = torch.load(out, weights_only=True)
    assert sorted(pub) == ['meta', 'state_dict']
    meta = pub['meta']
    assert meta['iter'] == 1500 and meta['data'] == 'six words'
    assert meta['storage_dtype'] == 'float16'
    assert meta['source']['file'] == 'iter_1500.pth'
    assert 'CRNN' in meta['cfg']
    ref = torch.load(tiny[1], weights_only=False)['state_dict']
    for name, value in pub['state_dict'].items():
        assert not name.startswith('module.')
        source = ref['module.' + name]
        if source.is_floating_point():
            assert value.dtype == torch.float16
            torch.testing.assert_close(value.float(), source,
                                       atol=1e-3, rtol=1e-3)
        else:  # BN num_batches_tracked
            assert value.dtype == source.dtype and torch.equal(value, source)


def test_fp16_is_about_half_of_fp32(published_fp16, tiny):
    out32, status = publish(tiny, 'pub32.pth')
    assert status == 0
    ratio = osp.getsize(published_fp16[0]) / osp.getsize(out32)
    assert 0.4 < ratio < 0.75  # pickle overhead on a tiny model
    pub = torch.load(out32, weights_only=True)
    assert all(v.dtype != torch.float16 for v in pub['state_dict'].values())


def test_loading_upcasts_to_fp32(published_fp16):
    """Our loader and MMEngine's load_checkpoint copy into fp32 params."""
    from mmengine.runner import load_checkpoint
    out = published_fp16[0]
    half = torch.load(out, weights_only=True)['state_dict']
    _, model = load_recognizer(None, out)  # config from meta.cfg
    _, fresh = load_recognizer(None, out)
    load_checkpoint(fresh, out, map_location='cpu', strict=True)
    for m in (model, fresh):
        for name, param in m.state_dict().items():
            if half[name].is_floating_point():
                assert param.dtype == torch.float32
                assert torch.equal(param, half[name].float())


def test_published_reads_like_the_source(published_fp16, tiny, capsys):
    """fp16 release == the source with fp16-rounded weights, exactly (the
    tiny random net has near-ties, so texts vs raw fp32 may differ; the
    tool's own check on the LMDB images covers that); fp32 == source."""
    out = published_fp16[0]
    images = [word_image(w, seed=i) for i, w in enumerate([90, 150, 210])]
    ref = TextRecognizer(tiny[0], tiny[1], backend='torch')
    pub = TextRecognizer(None, out, backend='torch')
    with torch.no_grad():
        for param in ref.model.parameters():
            param.copy_(param.half().float())
    for a, b in zip(pub(images), ref(images)):
        assert a.text == b.text and a.confidence == b.confidence
    out32, _ = publish(tiny, 'pub32b.pth')
    exact = TextRecognizer(None, out32, backend='torch')
    source = TextRecognizer(tiny[0], tiny[1], backend='torch')
    for a, b in zip(exact(images), source(images)):
        assert a.text == b.text and a.confidence == b.confidence
    status = tool.main([tiny[1], out + '.again', '--config', tiny[0],
                        '--parity-lmdb', tiny[2], '--fp16'])
    printed = capsys.readouterr().out
    assert status == 0
    assert 'parity on 6 images' in printed and 'greedy texts identical' in \
        printed and 'all float32' in printed and 'MB' in printed


def test_too_large_publishes_nothing(tiny, capsys):
    folder = tiny[3]
    out, status = publish(tiny, 'big.pth', '--max-mb', '0.001')
    assert status == 1 and not osp.exists(out)
    assert 'MB >' in capsys.readouterr().err
    assert not [n for n in os.listdir(folder) if n.endswith('.tmp.pth')]


def test_failed_parity_keeps_the_old_file(tiny, monkeypatch):
    out = osp.join(tiny[3], 'kept.pth')
    with open(out, 'wb') as f:
        f.write(b'previous release')
    monkeypatch.setattr(tool, 'parity',
                        lambda *a: (False, 0.5, 3, []))
    _, status = publish(tiny, 'kept.pth', '--fp16')
    assert status == 2  # exists: refused without --force
    _, status = publish(tiny, 'kept.pth', '--fp16', '--force')
    assert status == 1
    with open(out, 'rb') as f:
        assert f.read() == b'previous release'


def test_bad_inputs(tiny, tmp_path, capsys):
    config, _, lmdb, _ = tiny
    out = str(tmp_path / 'x.pth')
    assert tool.main([str(tmp_path / 'missing.pth'), out, '--config',
                      config]) == 2
    weird = str(tmp_path / 'weird.pth')
    torch.save(dict(state_dict=dict(a=1)), weird)
    assert tool.main([weird, out, '--config', config, '--parity-lmdb',
                      lmdb]) == 2
    assert 'no state_dict' in capsys.readouterr().err
    assert not osp.exists(out)


def test_averaged_checkpoint_keeps_its_provenance(tiny):
    config, ckpt, lmdb, folder = tiny
    avg = osp.join(folder, 'avg.pth')
    assert load_tool('average_checkpoints').main([ckpt, ckpt, '-o', avg]) == 0
    out = osp.join(folder, 'pub_avg.pth')
    assert tool.main([avg, out, '--config', config, '--parity-lmdb', lmdb,
                      '--fp16']) == 0
    meta = torch.load(out, weights_only=True)['meta']
    assert meta['iter'] == 1500
    assert [s['file'] for s in meta['averaged_from']] == ['iter_1500.pth'] * 2
