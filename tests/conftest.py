"""Shared test setup: MMOCR's modules and ours registered, scope 'mmocr'."""
import torch
from mmocr.utils import register_all_modules

import crnn_plugin  # noqa: F401  (registers our modules)

register_all_modules(init_default_scope=True)
# One intra-op thread: on a loaded 2-core machine torch's default thread
# pool oversubscribes the CPU and tiny models run 100x slower.
torch.set_num_threads(1)
