"""crnn-plugin: the CRNN of Shi, Bai & Yao (arXiv 1507.05717) for MMOCR 1.x.

Importing the package is cheap: the readers of :mod:`crnn_plugin.runtime`
(ONNX Runtime, NumPy and OpenCV only) and the subpackages are loaded on
first use, so reading words or scores never imports torch or MMOCR::

    from crnn_plugin import TextReader
    TextReader()(['word.png'])  # [('hello', 0.98)]

Training and testing need the modules registered in MMOCR's registries
(scope ``mmocr``); a config imports them with::

    custom_imports = dict(imports=['crnn_plugin.registration'],
                          allow_failed_imports=False)

``imports=['crnn_plugin']`` keeps working: imported while MMEngine is
already loaded (as by a config's ``custom_imports``), the package registers
its modules itself.
"""
import importlib
import sys
from typing import Any

from .version import __version__

__all__ = ['__version__', 'TextReader', 'ScoreReader']

# Names served lazily: attribute -> module that defines it.
_RUNTIME_NAMES = ('TextReader', 'ScoreReader')
_SUBPACKAGES = ('apis', 'checkpoint', 'cli', 'datasets', 'engine',
                'evaluation', 'lexicon', 'models', 'registration', 'runtime',
                'synth', 'utils')


if 'mmengine' in sys.modules:  # imported for a config: register modules
    importlib.import_module('.registration', __name__)


def __getattr__(name: str) -> Any:
    """Import a reader or a subpackage on first access (PEP 562)."""
    if name in _RUNTIME_NAMES:
        return getattr(importlib.import_module('.runtime', __name__), name)
    if name in _SUBPACKAGES:
        return importlib.import_module(f'.{name}', __name__)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
