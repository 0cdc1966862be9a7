"""Run the docstring examples of crnn_plugin.datasets."""
import doctest
import importlib

import pytest

MODULES = ['skip_counter']


@pytest.mark.parametrize('name', MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f'crnn_plugin.datasets.{name}')
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
