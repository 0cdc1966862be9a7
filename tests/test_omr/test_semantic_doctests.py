"""Run the docstring examples of the semantic-mode modules of omr."""
import doctest
import importlib

import pytest

pytest.importorskip('music21', reason='music21 is not installed')

MODULES = ['semantic', 'semantic_tokens', 'semantic_dictionary',
           'semantic_stream', 'metrics']


@pytest.mark.parametrize('name', MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f'omr.{name}')
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
