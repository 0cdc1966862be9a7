"""Fixtures of the inference tests (helpers live in ``apis_helpers.py``)."""
import pytest
from apis_helpers import write_tiny_model


@pytest.fixture(scope='session')
def tiny_model(tmp_path_factory):
    """``(config, checkpoint)`` of a tiny CRNN with amplified weights."""
    return write_tiny_model(str(tmp_path_factory.mktemp('tiny_model')))
