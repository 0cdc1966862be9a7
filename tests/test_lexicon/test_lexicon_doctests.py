"""Run the docstring examples of crnn_plugin.lexicon."""
import doctest
import importlib

import pytest

MODULES = ['bk_tree', 'ctc_scoring', 'lexicon', 'per_image_lexicon']


@pytest.mark.parametrize('name', MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f'crnn_plugin.lexicon.{name}')
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
