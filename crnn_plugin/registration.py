"""Register every crnn-plugin module in MMOCR's registries (scope ``mmocr``).

Configs import this module (the package itself stays light)::

    custom_imports = dict(imports=['crnn_plugin.registration'],
                          allow_failed_imports=False)
"""
from . import datasets, models, utils  # noqa: F401  (registers modules)
