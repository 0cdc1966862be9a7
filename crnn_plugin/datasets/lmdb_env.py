"""Per-process cache of read-only LMDB environments.

LMDB handles must not be used across ``fork`` (dataloader workers), and
py-lmdb >= 3.0 refuses to open the same environment twice in one process
("already open in this process") - which also happens in a forked child
that inherited the parent's open handle. So environments are kept here,
one per (path, process): every dataset reading the same LMDB in a process
shares it, and a child process closes the inherited copy (only unmapping
its own address space; readers use ``lock=False``, so no lock table is
touched) before opening its own.
"""
import os
import os.path as osp
from typing import Dict, Tuple

import lmdb

_ENVS: Dict[str, Tuple[int, lmdb.Environment]] = {}


def _key(path: str) -> str:
    return osp.realpath(path)


def open_readonly_env(path: str) -> lmdb.Environment:
    """Return this process's read-only environment for ``path``.

    Args:
        path (str): LMDB directory, or its ``data.mdb`` file.

    Returns:
        lmdb.Environment: Opened with ``readonly=True, lock=False,
        readahead=False, meminit=False``; shared within the process.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
    """
    key = _key(path)
    pid = os.getpid()
    cached = _ENVS.get(key)
    if cached is not None:
        owner, env = cached
        if owner == pid:
            return env
        env.close()  # inherited through fork: drop this process's copy
        del _ENVS[key]
    if not osp.exists(path):
        raise FileNotFoundError(f'LMDB not found: {path}')
    env = lmdb.open(
        path,
        subdir=osp.isdir(path),
        readonly=True,
        lock=False,
        readahead=False,
        meminit=False)
    _ENVS[key] = (pid, env)
    return env


def close_env(path: str) -> None:
    """Close the cached environment for ``path`` (if any) in this process.

    Args:
        path (str): As given to :func:`open_readonly_env`.
    """
    cached = _ENVS.pop(_key(path), None)
    if cached is not None:
        cached[1].close()
