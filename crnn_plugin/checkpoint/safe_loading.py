"""Safe (``weights_only``) loading of MMEngine checkpoints.

MMEngine 0.10.7 loads checkpoints with ``torch.load(filename,
map_location=...)`` and leaves ``weights_only`` to torch's default. Since
torch 2.6 that default is ``True``, which refuses every global that is not
allowlisted -- and a checkpoint written by MMEngine's own runner holds a few:

* ``message_hub.log_scalars`` stores :class:`mmengine.logging.HistoryBuffer`
  objects whose ``__getstate__`` adds its statistic methods, pickled as
  ``builtins.getattr(HistoryBuffer, 'mean')`` (and ``min``/``max``/
  ``current``);
* the buffers hold numpy arrays, numpy scalars and dtypes.

Found empirically with ``torch.serialization.get_unsafe_globals_in_checkpoint``
on a checkpoint of our runner: ``HistoryBuffer``, ``builtins.getattr``,
``numpy.dtype``, ``numpy.core.multiarray._reconstruct``,
``numpy.core.multiarray.scalar`` and ``numpy.ndarray`` -- plus the dtype
classes (``numpy.dtypes.Float64DType``...) that unpickling a dtype builds.

:func:`register_safe_globals` allowlists exactly those. ``builtins.getattr``
itself would let a pickle reach any attribute (and through ``__globals__``
any function, e.g. ``os.system``), so the name ``builtins.getattr`` is
bound to :func:`history_buffer_getattr`, which only resolves the statistic
methods of ``HistoryBuffer`` and raises for anything else.

:func:`load_from_local_weights_only` replaces MMEngine's loader for local
paths and passes ``weights_only=True`` explicitly, so neither an older torch
default nor ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` turns arbitrary pickle
execution back on for a user's file.
"""
import hashlib
import os.path as osp
import pickle
import warnings
from typing import Any, Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

__all__ = [
    'history_buffer_getattr', 'safe_globals', 'register_safe_globals',
    'load_from_local_weights_only', 'load_checkpoint_weights_only',
    'file_sha256', 'CheckpointError', 'read_checkpoint', 'check_checkpoint'
]

# Statistic methods HistoryBuffer registers by default (mmengine 0.10.7,
# ``HistoryBuffer._set_default_statistics``).
_HISTORY_BUFFER_METHODS = ('min', 'max', 'current', 'mean')
# numpy scalar types whose dtypes may appear in logged values.
_NUMERIC_TYPES = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                  np.uint16, np.uint32, np.uint64, np.float16, np.float32,
                  np.float64, np.longdouble, np.complex64, np.complex128)


def history_buffer_getattr(obj: Any, name: str) -> Callable:
    """A ``getattr`` limited to the statistic methods of ``HistoryBuffer``.

    Bound to the pickle name ``builtins.getattr`` while unpickling, so a
    checkpoint can restore ``HistoryBuffer._statistics_methods`` but cannot
    reach any other attribute.

    Args:
        obj (Any): Must be the class :class:`mmengine.logging.HistoryBuffer`.
        name (str): A statistic method name (``min``, ``max``, ``current``,
            ``mean`` or one registered with
            ``HistoryBuffer.register_statistics`` that is a method of it).

    Returns:
        Callable: The plain function ``HistoryBuffer.<name>``.

    Raises:
        pickle.UnpicklingError: For any other object or attribute.
    """
    allowed = set(_HISTORY_BUFFER_METHODS) | set(
        HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and isinstance(name, str) and name in allowed:
        attr = HistoryBuffer.__dict__.get(name)
        if callable(attr):
            return attr
    raise pickle.UnpicklingError(
        f'Refusing getattr({obj!r}, {name!r}) while loading a checkpoint: '
        'only the statistic methods of mmengine HistoryBuffer are allowed.')


def _numpy_function(name: str) -> Optional[Callable]:
    """Return ``numpy.core.multiarray.<name>`` (numpy 1.x or 2.x)."""
    try:
        from numpy.core import multiarray
    except ImportError:  # pragma: no cover - numpy 2 without the alias
        from numpy._core import multiarray  # type: ignore
    return getattr(multiarray, name, None)


def safe_globals() -> List[Union[Callable, Tuple[Callable, str]]]:
    """The allowlist needed by MMEngine checkpoints of our runner.

    numpy functions are listed under both module names (``numpy.core`` in
    numpy 1.x, ``numpy._core`` in 2.x) so checkpoints written with either
    numpy version load.

    Returns:
        list: Entries for :func:`torch.serialization.add_safe_globals`:
        classes/functions, or ``(object, 'module.qualname')`` tuples.
    """
    entries: List[Union[Callable, Tuple[Callable, str]]] = [
        HistoryBuffer,
        (history_buffer_getattr, 'builtins.getattr'),
        (np.ndarray, 'numpy.ndarray'),
        (np.dtype, 'numpy.dtype'),
    ]
    # Unpickling a dtype BUILDs an instance of its class, e.g.
    # ``numpy.dtypes.Float64DType`` (numpy >= 1.25); allow the numeric ones.
    for scalar_type in _NUMERIC_TYPES:
        dtype_cls = type(np.dtype(scalar_type))
        if dtype_cls is not np.dtype:
            entries.append(dtype_cls)
    for name in ('_reconstruct', 'scalar'):
        func = _numpy_function(name)
        if func is not None:
            for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
                entries.append((func, f'{module}.{name}'))
    return entries


def load_from_local_weights_only(filename: str,
                                 map_location: Any = None) -> Any:
    """Load a local checkpoint with ``weights_only=True`` (never pickle code).

    Registered for MMEngine's local-path scheme by
    :func:`register_safe_globals`; replaces
    ``mmengine.runner.checkpoint.load_from_local``.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (Any): Same as in :func:`torch.load`. Defaults to None.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: If ``filename`` is not a file.
        pickle.UnpicklingError: If the file needs a global that is not
            allowlisted (e.g. a crafted pickle that calls ``os.system``).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=True)


def load_checkpoint_weights_only(filename: str,
                                 map_location: Any = None) -> Any:
    """Load a local checkpoint safely, registering the allowlist first.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (Any): Same as in :func:`torch.load`. Defaults to None.

    Returns:
        dict: The loaded checkpoint.
    """
    register_safe_globals()
    return load_from_local_weights_only(filename, map_location)


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used, with a one-line reason.

    Args:
        path (str): The file.
        reason (str): Why, e.g. ``'not a PyTorch checkpoint'``.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f'checkpoint {path}: {reason}')
        self.path, self.reason = path, reason


def _load_failure(err: BaseException) -> str:
    """One line on why ``torch.load`` failed."""
    text = str(err)
    if isinstance(err, EOFError):
        return 'truncated (ends early)'
    if 'GLOBAL' in text:  # weights_only refused a global: code in the file
        line = next(ln for ln in text.splitlines() if 'GLOBAL' in ln)
        return ('refused: it needs a Python object that could run code ('
                + line.strip().rstrip('.')[:120] + ')')
    if isinstance(err, RuntimeError) and 'zip archive' in text:
        return 'not a PyTorch checkpoint (corrupt or truncated zip)'
    if isinstance(err, PermissionError):
        return 'cannot be read (permission denied)'
    if isinstance(err, OSError):  # a seek past the end of a cut zip
        return ('not a PyTorch checkpoint (corrupt or truncated: '
                f'{err.strerror or err})')
    if isinstance(err, (pickle.UnpicklingError, UnicodeDecodeError,
                        ValueError, IndexError, KeyError, TypeError)):
        # what the legacy unpickler raises on random bytes varies with them
        return 'not a PyTorch checkpoint (unreadable data)'
    first = text.strip().splitlines()[0][:160] if text.strip() else ''
    return f'cannot be read ({type(err).__name__}: {first})'


def read_checkpoint(path: str, map_location: Any = 'cpu') -> dict:
    """Load a local checkpoint safely; every failure is one clear error.

    Args:
        path (str): A ``.pth`` file: an MMEngine checkpoint (``state_dict``
            and ``meta``) or a bare state dict.
        map_location (Any): Same as in :func:`torch.load`. Defaults to
            ``'cpu'``.

    Returns:
        dict: The checkpoint; ``state_dict`` (or the dict itself) maps
        names to tensors.

    Raises:
        CheckpointError: Missing, a folder, empty, random bytes, truncated,
            holding pickled code, or not a dict of tensors.
    """
    if osp.isdir(path):
        raise CheckpointError(path, 'is a folder, not a file')
    if not osp.isfile(path):
        raise CheckpointError(path, 'not found')
    if osp.getsize(path) == 0:
        raise CheckpointError(path, 'empty file')
    try:
        with warnings.catch_warnings():  # e.g. pickle protocol notes
            warnings.simplefilter('ignore')
            ckpt = load_checkpoint_weights_only(path, map_location)
    except Exception as err:
        raise CheckpointError(path, _load_failure(err)) from None
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state or not all(
            isinstance(k, str) and torch.is_tensor(v)
            for k, v in state.items()):
        raise CheckpointError(path, 'holds no state_dict of tensors')
    meta = ckpt.get('meta', {}) if 'state_dict' in ckpt else {}
    if not isinstance(meta, dict):
        raise CheckpointError(path, 'its "meta" is not a dict')
    return ckpt


def check_checkpoint(path: str) -> None:
    """Raise :class:`CheckpointError` unless ``path`` is a usable
    checkpoint (see :func:`read_checkpoint`); for tools that let MMEngine
    load it later, so a bad file fails before the runner is built."""
    read_checkpoint(path, map_location='cpu')


def register_safe_globals() -> None:
    """Allowlist MMEngine's checkpoint globals; force ``weights_only=True``.

    Idempotent. Called when :mod:`crnn_plugin.checkpoint` is imported. It

    1. adds :func:`safe_globals` to torch's weights-only allowlist, and
    2. registers :func:`load_from_local_weights_only` for MMEngine's local
       path scheme (prefix ``''``), so ``load_from``, ``resume`` and
       ``tools/test.py CHECKPOINT`` all load with ``weights_only=True``.
    """
    torch.serialization.add_safe_globals(safe_globals())
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_weights_only, force=True)


def file_sha256(path: str) -> str:
    """SHA-256 hex digest of a file (read in 1 MiB blocks), for provenance.

    Args:
        path (str): The file.

    Returns:
        str: 64 hex digits.
    """
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()
