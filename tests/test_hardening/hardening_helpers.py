"""Helpers for the hardening tests: run a tool in-process, tamper files.

The tools are imported from their files (they are scripts) and their
``main`` is called in this process (importing MMOCR again in a subprocess
costs seconds); :func:`run_tool` returns the exit status and the ``error:``
lines the tool printed, as a user would see them.
"""
import importlib.util
import os
import os.path as osp
import sys

import torch

from crnn_plugin.cli import run_main

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

_TOOLS = {}


def load_script(relpath: str):
    """Import a script of the repository (e.g. ``tools/infer.py``) once."""
    if relpath not in _TOOLS:
        name = 'hardening_' + relpath.replace('/', '_').replace('.', '_')
        spec = importlib.util.spec_from_file_location(
            name, osp.join(ROOT, relpath))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _TOOLS[relpath] = module
    return _TOOLS[relpath]


def run_tool(relpath: str, argv, capsys):
    """Run a tool's ``main`` as its ``__main__`` block does.

    Returns:
        tuple(int, list[str], str): Exit status, the ``error:`` lines of
        stderr, and all it printed (stderr, then stdout).
    """
    capsys.readouterr()
    _log_to_captured_stderr()
    try:
        status = run_main(load_script(relpath).main, [str(a) for a in argv])
    except SystemExit as exit_:  # argparse
        status = exit_.code
    out, err = capsys.readouterr()
    return status, [ln for ln in err.splitlines()
                    if ln.startswith('error:')], err + out


def _log_to_captured_stderr() -> None:
    """Point MMEngine's log handlers at this test's captured stderr: a
    logger made during an earlier test still writes to that test's
    (closed) capture stream, which logging reports with a traceback."""
    import logging

    from mmengine.logging import MMLogger
    for name in list(MMLogger._instance_dict):
        for handler in MMLogger.get_instance(name).handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(
                    handler, logging.FileHandler):
                handler.stream = sys.stderr  # setStream flushes the old


def injection(marker: str) -> str:
    """A config line that creates ``marker`` if the config is run."""
    return f"\n_x = __import__('os').system('touch {marker}')\n"


def inject_meta_cfg(checkpoint: str, out: str, marker: str) -> str:
    """Copy ``checkpoint`` with :func:`injection` appended to meta.cfg."""
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True)
    ckpt['meta']['cfg'] += injection(marker)
    torch.save(ckpt, out)
    return out


def bare_with_sibling(checkpoint: str, out: str, marker: str) -> str:
    """Save the weights of ``checkpoint`` bare to ``out`` with a
    ``<out>.py`` beside: its saved config plus :func:`injection`."""
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True)
    torch.save(ckpt['state_dict'], out)
    with open(osp.splitext(out)[0] + '.py', 'w') as f:
        f.write(ckpt['meta']['cfg'] + injection(marker))
    return out


def tree_state(folder: str) -> dict:
    """``{relative path: (size, mtime_ns)}`` of every file under
    ``folder``, to show what a run changed."""
    state = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = osp.join(root, name)
            st = os.stat(path)
            state[osp.relpath(path, folder)] = (st.st_size, st.st_mtime_ns)
    return state
