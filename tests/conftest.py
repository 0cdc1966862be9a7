"""Shared test setup: MMOCR's modules and ours registered, scope 'mmocr'."""
import os

# One intra-op thread, also for the tools the tests start as subprocesses:
# on a loaded 2-core machine torch's default thread pool oversubscribes the
# CPU and tiny models run 100x slower.
os.environ.setdefault('OMP_NUM_THREADS', '1')

import torch  # noqa: E402
from mmocr.utils import register_all_modules  # noqa: E402

import crnn_plugin.registration  # noqa: E402,F401

register_all_modules(init_default_scope=True)
torch.set_num_threads(1)
