"""Files that readers see whole or not at all: write a hidden sibling,
fsync, then ``os.replace`` it onto the final name (atomic on POSIX and
Windows)."""
import os
import os.path as osp
import re
import uuid

import torch

__all__ = ['TMP_NAME', 'temp_sibling', 'atomic_write_text',
           'torch_save_to_temp', 'fsync_file']

# Temporary names written below: '.<name>.<pid>[.<8 hex>].tmp'.
TMP_NAME = re.compile(r'^\..+\.\d+(\.[0-9a-f]{8})?\.tmp$')


def temp_sibling(path: str) -> str:
    """A unique hidden name next to ``path`` (matches ``TMP_NAME``; open it
    with mode ``'x'``, which honours the umask, unlike ``mkstemp``)."""
    return osp.join(
        osp.dirname(osp.abspath(path)),
        f'.{osp.basename(path)}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp')


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new content.

    Args:
        path (str): Destination file.
        text (str): Content to write.
    """
    tmp = temp_sibling(path)
    try:
        with open(tmp, 'x') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def torch_save_to_temp(obj: dict, output: str) -> str:
    """``torch.save`` into a hidden sibling of ``output``, fsynced.

    The caller checks the file and then ``os.replace``-s it onto ``output``
    (or removes it).

    Args:
        obj (dict): What to save.
        output (str): The final path (its folder is created).

    Returns:
        str: The temporary file's path.
    """
    os.makedirs(osp.dirname(osp.abspath(output)), exist_ok=True)
    tmp = temp_sibling(output)
    with open(tmp, 'xb') as f:
        torch.save(obj, f)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def fsync_file(path: str) -> None:
    """Flush ``path`` to disk so a rename never exposes an empty file."""
    with open(path, 'rb+') as f:
        os.fsync(f.fileno())
