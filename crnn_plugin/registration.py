"""Register every crnn-plugin module in MMOCR's registries (scope ``mmocr``).

Configs import this module (the package itself stays light)::

    custom_imports = dict(imports=['crnn_plugin.registration'],
                          allow_failed_imports=False)
"""
# Importing them registers the modules; importing ``checkpoint`` makes
# MMEngine load local checkpoints with ``weights_only=True``.
from . import checkpoint, datasets, engine, evaluation, models  # noqa: F401
from .lexicon import lexicon_metrics  # noqa: F401
