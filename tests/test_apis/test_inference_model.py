"""Padded batches give each image's single-image result."""
import pytest
import torch
import torch.nn as nn

from crnn_plugin.apis import CRNNInferenceModel, load_recognizer


@pytest.fixture(scope='module')
def recognizer(tiny_model):
    return load_recognizer(*tiny_model)[1]


def single(recognizer, image):
    """The recognizer's own forward on one image: probs (T, K)."""
    feat = recognizer.backbone(image[None])
    return recognizer.decoder.forward_test(feat, recognizer.encoder(feat))[0]


def test_padded_batch_equals_single_images(recognizer):
    model = CRNNInferenceModel(recognizer).eval()
    assert model.exact
    widths = [100, 37, 163, 101, 250, 100]
    torch.manual_seed(0)
    images = [torch.rand(1, 32, w) * 2 - 1 for w in widths]
    batch = torch.zeros(len(widths), 1, 32, max(widths))
    for slot, img in zip(batch, images):
        slot[..., :img.size(-1)] = img
    # Padding content must not matter either.
    batch_noisy = batch.clone()
    for slot, img in zip(batch_noisy, images):
        slot[..., img.size(-1):] = 5.
    with torch.no_grad():
        probs, lengths = model(batch, torch.tensor(widths))
        probs_noisy, _ = model(batch_noisy, torch.tensor(widths))
        plain = recognizer.decoder.forward_test(
            recognizer.backbone(batch),
            recognizer.encoder(recognizer.backbone(batch)))
        worst_plain = 0.
        for i, img in enumerate(images):
            ref = single(recognizer, img)
            assert lengths[i] == ref.size(0)
            assert torch.allclose(probs[i, :lengths[i]], ref, atol=1e-6)
            assert torch.allclose(probs_noisy[i, :lengths[i]], ref, atol=1e-6)
            worst_plain = max(worst_plain,
                              (plain[i, :ref.size(0)] - ref).abs().max())
    # Without masking and packing, padding does change the results.
    assert worst_plain > 1e-3


def test_unknown_backbone_runs_unmasked(recognizer):
    """A backbone that is not a plain Sequential falls back to MMOCR's
    convention: valid frames from the valid ratio."""

    class Wrapped(nn.Module):

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x)

    class Fake(nn.Module):
        pass

    fake = Fake()
    fake.backbone = Wrapped(recognizer.backbone)
    fake.encoder, fake.with_encoder = recognizer.encoder, True
    fake.decoder = recognizer.decoder
    model = CRNNInferenceModel(fake).eval()
    assert not model.exact
    with torch.no_grad():
        probs, lengths = model(torch.zeros(2, 1, 32, 200),
                               torch.tensor([200, 100]))
    assert probs.shape[:2] == (2, 51)
    assert lengths.tolist() == [51, 26]


def test_equal_width_fast_path(recognizer):
    """Batches of equal widths skip masking and packing, same result."""
    model = CRNNInferenceModel(recognizer).eval()
    plain = CRNNInferenceModel(recognizer, handle_padding=False).eval()
    batch = torch.rand(3, 1, 32, 120) * 2 - 1
    widths = torch.full((3, ), 120)
    with torch.no_grad():
        probs, lengths = model(batch, widths)
        probs_plain, lengths_plain = plain(batch, widths)
    assert torch.equal(lengths, lengths_plain) and lengths.tolist() == [31] * 3
    assert torch.allclose(probs, probs_plain, atol=1e-6)


def test_onnx_backend_uses_plain_graph_for_equal_widths(recognizer):
    pytest.importorskip('onnxruntime')
    from crnn_plugin.apis import OnnxBackend
    model = CRNNInferenceModel(recognizer).eval()
    backend = OnnxBackend.from_model(model)
    assert backend.uniform_session is not None and model.handle_padding
    calls = []
    for name in ('session', 'uniform_session'):
        session = getattr(backend, name)
        run = session.run
        setattr(backend, name, type('Spy', (), dict(
            run=lambda self, *a, run=run, name=name: calls.append(name) or
            run(*a)))())
    batch = torch.rand(2, 1, 32, 100).numpy()
    backend(batch, torch.tensor([100, 100]).numpy())
    backend(batch, torch.tensor([100, 60]).numpy())
    assert calls == ['uniform_session', 'session']


@pytest.mark.parametrize('act', ['ReLU', 'LeakyReLU'])
def test_exact_and_finite_for_any_activation(tiny_model, act):
    """ReLU nets pad max-pools with 0, others with -inf; either way the
    result equals the single-image one and no inf/NaN appears anywhere
    in the convolutions (their padding columns feed int8 calibration)."""
    _, rec = load_recognizer(
        tiny_model[0], cfg_options={'model.backbone.act_cfg': dict(
            type=act, negative_slope=0.2) if act == 'LeakyReLU' else dict(
                type=act)})
    model = CRNNInferenceModel(rec).eval()
    # 127 px ends one column before the batch at both (2, 1) pools: the
    # case where a pool window holds only padding.
    widths = [103, 100, 131, 127]
    torch.manual_seed(1)
    batch = torch.rand(4, 1, 32, 131) * 2 - 1
    seen = []
    hooks = [m.register_forward_hook(lambda mod, i, o: seen.append(
        bool(torch.isfinite(i[0]).all() and torch.isfinite(o).all())))
        for m in rec.backbone.layers if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        probs, lengths = model(batch, torch.tensor(widths))
        for h in hooks:
            h.remove()
        assert all(seen) and torch.isfinite(probs).all()
        for i, w in enumerate(widths):
            ref = single(rec, batch[i, :, :, :w])
            assert torch.allclose(probs[i, :lengths[i]], ref, atol=1e-6)
