"""crnn-plugin: the CRNN of Shi, Bai & Yao (arXiv 1507.05717) for MMOCR 1.x.

Importing this package registers every module in MMOCR's registries (scope
``mmocr``), so a config only needs::

    custom_imports = dict(imports=['crnn_plugin'], allow_failed_imports=False)
"""
from .version import __version__
from . import datasets, models, utils  # noqa: F401  (registers modules)

__all__ = ['__version__']
