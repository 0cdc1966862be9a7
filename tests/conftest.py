"""Shared test setup: MMOCR's modules and ours registered, scope 'mmocr'."""
from mmocr.utils import register_all_modules

import crnn_plugin  # noqa: F401  (registers our modules)

register_all_modules(init_default_scope=True)
