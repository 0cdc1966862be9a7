"""Fixtures for the tool tests (helpers live in ``tools_helpers.py``)."""
import pytest
import torch
from tools_helpers import write_tiny_config


@pytest.fixture(scope='module', autouse=True)
def single_thread():
    """One intra-op thread: on a shared 2-core machine torch's default
    (2 OpenMP threads) makes a tiny LSTM step ~400x slower under load."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope='module')
def tiny_config(tmp_path_factory) -> str:
    """Path of a shrunk ``crnn_mini-vgg_toy.py`` on 8 generated images."""
    return write_tiny_config(str(tmp_path_factory.mktemp('tiny')))
