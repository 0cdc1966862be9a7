"""Checks that keep the command-line tools from losing data.

Every tool that writes a file or folder asks :func:`check_output_file` or
:func:`check_output_dir` first: an output may not be, or lie inside, one of
the tool's inputs, and an existing output file is not replaced, unless the
user passed ``--force``. :func:`replace_atomically` writes through a hidden
temporary file next to the target, so a failed write leaves the old file
(or nothing) behind, and the output lands exactly at the path asked (a
writer that appends its own extension cannot rename it).
"""
import contextlib
import os
import os.path as osp
import shutil
import tempfile
from typing import Iterable, Iterator, Optional

__all__ = [
    'OutputPathError', 'check_output_file', 'check_output_dir',
    'make_output_dir', 'replace_atomically', 'FORCE_HINT'
]

FORCE_HINT = 'pass --force to overwrite'


class OutputPathError(ValueError):
    """An output path that would lose data or cannot be written."""


def _real(path: str) -> str:
    return osp.realpath(osp.abspath(os.fspath(path)))


def _clash(output: str, inputs: Iterable[str]) -> Optional[str]:
    """Why ``output`` clashes with an input (None: it does not)."""
    out = _real(output)
    reals = [(item, _real(item)) for item in inputs if item is not None]
    for item, real in reals:  # the input itself first: never allowed
        if out == real:
            kind = 'input folder' if osp.isdir(real) else 'input'
            return f'is the {kind} {item}'
    for item, real in reals:
        if osp.isdir(real) and out.startswith(real.rstrip(os.sep) + os.sep):
            return f'lies inside the input folder {item}'
    return None


def check_output_file(path: str,
                      inputs: Iterable[str] = (),
                      force: bool = False,
                      what: str = 'output') -> None:
    """Refuse a file output that would overwrite data.

    Args:
        path (str): The file the tool will write.
        inputs (Iterable[str]): The tool's input files and folders.
        force (bool): ``--force``: allow overwriting an existing file and
            writing into an input folder. Defaults to False.
        what (str): Name of the output in messages (e.g. ``'--midi'``).
            Defaults to ``'output'``.

    Raises:
        OutputPathError: The output is an input (even with ``force`` when
            it is the input file itself), lies inside an input folder, is
            a folder, or exists (without ``force``); or its folder exists
            as a file.

    Example:
        >>> check_output_file('model.pth', inputs=['model.pth'], force=True)
        Traceback (most recent call last):
        ...
        crnn_plugin.runtime.output_paths.OutputPathError: output model.pth \
is the input model.pth
    """
    clash = _clash(path, inputs)
    if clash and (not force or clash.startswith('is the input ')):
        hint = '' if clash.startswith('is the input ') else f' ({FORCE_HINT})'
        raise OutputPathError(f'{what} {path} {clash}{hint}')
    if osp.isdir(path):
        raise OutputPathError(f'{what} {path} is a folder')
    if osp.lexists(path) and not force:
        raise OutputPathError(f'{what} {path} exists ({FORCE_HINT})')
    parent = osp.dirname(osp.abspath(path))
    if osp.exists(parent) and not osp.isdir(parent):
        raise OutputPathError(f'{what} {path}: {parent} is a file')


def check_output_dir(path: str,
                     inputs: Iterable[str] = (),
                     force: bool = False,
                     what: str = 'output folder') -> None:
    """Refuse an output folder that is a file or mixes with the inputs.

    Args:
        path (str): The folder the tool will write into.
        inputs (Iterable[str]): The tool's input files and folders.
        force (bool): ``--force``: allow an input folder (or one inside
            it). Defaults to False.
        what (str): Name of the output in messages (e.g. ``'--show-dir'``).
            Defaults to ``'output folder'``.

    Raises:
        OutputPathError: The path is a file, an input file, or (without
            ``force``) an input folder or inside one.
    """
    if osp.exists(path) and not osp.isdir(path):
        raise OutputPathError(f'{what} {path} is a file, not a folder')
    clash = _clash(path, [i for i in inputs if i is not None])
    if clash and not force:
        raise OutputPathError(
            f'{what} {path} {clash} (pass --force to write there anyway)')


def make_output_dir(path: str, what: str = 'output folder') -> None:
    """Create a folder (and parents) or raise :class:`OutputPathError`.

    Args:
        path (str): The folder.
        what (str): Name of the output in messages.
            Defaults to ``'output folder'``.
    """
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as err:
        raise OutputPathError(
            f'{what} {path} cannot be created: {err.strerror or err}')
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputPathError(f'{what} {path} is not writable')


@contextlib.contextmanager
def replace_atomically(path: str, suffix: str = '') -> Iterator[str]:
    """Yield a hidden temporary path; move it onto ``path`` on success.

    The temporary file lies next to ``path`` (same file system) and ends
    with ``suffix`` (e.g. ``'.musicxml'``: writers that choose the format
    by extension). On an exception it is removed and ``path`` is left as
    it was.

    Args:
        path (str): The final file.
        suffix (str): Ending of the temporary name. Defaults to ``''``.

    Yields:
        str: The path to write.

    Raises:
        OutputPathError: The folder cannot be created, or nothing was
            written to the temporary path.
    """
    folder = osp.dirname(osp.abspath(path))
    make_output_dir(folder)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.',
                               suffix=f'.tmp{suffix}', dir=folder)
    os.close(fd)
    try:
        yield tmp
        if not osp.isfile(tmp) or osp.getsize(tmp) == 0:
            raise OutputPathError(f'nothing was written for {path}')
        mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if osp.lexists(tmp):
            if osp.isdir(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                os.remove(tmp)


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
