"""CPUAmpOptimWrapper: bfloat16 autocast on CPU for ``--amp``."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from crnn_plugin.engine import CPUAmpOptimWrapper
from mmocr.registry import OPTIM_WRAPPERS


def test_forward_in_bfloat16_params_and_state_in_float32():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    wrapper = OPTIM_WRAPPERS.build(
        dict(
            type='CPUAmpOptimWrapper',
            optimizer=torch.optim.Adadelta(model.parameters(), lr=1.0)))
    assert isinstance(wrapper, CPUAmpOptimWrapper)
    before = [p.detach().clone() for p in model.parameters()]
    with wrapper.optim_context(model):
        assert torch.is_autocast_enabled('cpu')
        logits = model(torch.randn(5, 4))  # (N, classes)
        assert logits.dtype == torch.bfloat16
        # CTC runs in float32 under autocast (log-softmax input is bf16).
        log_probs = logits.log_softmax(-1).unsqueeze(1).expand(5, 2, 3)
        loss = F.ctc_loss(log_probs, torch.tensor([[1], [2]]),
                          torch.tensor([5, 5]), torch.tensor([1, 1]))
        assert loss.dtype == torch.float32
    assert not torch.is_autocast_enabled('cpu')
    wrapper.update_params(loss)
    for old, new in zip(before, model.parameters()):
        assert new.dtype == torch.float32
        assert not torch.equal(old, new)
    state = wrapper.state_dict()['state']
    assert all(v.dtype == torch.float32 for s in state.values()
               for k, v in s.items() if k != 'step')


def test_only_bfloat16():
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    with pytest.raises(ValueError, match='bfloat16'):
        CPUAmpOptimWrapper(dtype='float16', optimizer=optimizer)
    assert CPUAmpOptimWrapper(
        dtype=torch.bfloat16, optimizer=optimizer).cast_dtype is torch.bfloat16
