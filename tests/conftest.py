"""Shared test setup: MMOCR's modules and ours registered, scope 'mmocr'.

Two session-wide speed-ups that leave what the tests see unchanged (the
tests build a few dozen MMEngine runners in one process):

* after collection every live object is moved to the permanent generation
  (``gc.freeze``), so MMEngine's ``gc.collect()`` after serializing each
  dataset only walks objects made since, not the ~0.5 M objects of torch,
  MMOCR and the test modules;
* MMEngine's yapf formatting of a config, a pure function of the text that
  a runner asks for 3-4 times (log, work-dir dump, visualizer dump, each
  checkpoint's meta), is computed once per distinct text.
"""
import functools
import gc
import logging
import os

# One intra-op thread, also for the tools the tests start as subprocesses:
# on a loaded 2-core machine torch's default thread pool oversubscribes the
# CPU and tiny models run 100x slower.
os.environ.setdefault('OMP_NUM_THREADS', '1')

import mmengine.config.config as mmengine_config  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402
from mmocr.utils import register_all_modules  # noqa: E402

import crnn_plugin.registration  # noqa: E402,F401

register_all_modules(init_default_scope=True)
torch.set_num_threads(1)


def _memoize_format_code(format_code):
    """Wrap yapf's ``FormatCode`` with a cache keyed by text and style."""

    @functools.lru_cache(maxsize=32)
    def cached(text, style_items):
        return format_code(text, style_config=dict(style_items))

    @functools.wraps(format_code)
    def wrapper(text, style_config=None, **kwargs):
        if kwargs or not isinstance(style_config, dict):
            return format_code(text, style_config=style_config, **kwargs)
        return cached(text, tuple(sorted(style_config.items())))

    return wrapper


mmengine_config.FormatCode = _memoize_format_code(mmengine_config.FormatCode)


def pytest_collection_finish(session):
    """Freeze the objects of the imports and test modules (see above)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _drop_closed_log_streams():
    """After each test, drop the MMEngine logger handlers whose stream was
    a capture the test closed (a logger made under ``capsys`` keeps it):
    else a later test's log messages print 'Logging error' tracebacks into
    that test's captured stderr, depending on which tests ran before."""
    yield
    for logger in list(MMLogger._instance_dict.values()):
        for handler in list(logger.handlers):
            stream = getattr(handler, 'stream', None)
            if isinstance(handler, logging.StreamHandler) and \
                    getattr(stream, 'closed', False):
                logger.removeHandler(handler)
