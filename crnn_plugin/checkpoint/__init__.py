"""Checkpoint safety: weights-only loading, saved configs read as data,
atomic file writes.

Importing this package calls :func:`register_safe_globals`, so every
MMEngine checkpoint load of a local file uses ``weights_only=True``.
"""
from .atomic_write import atomic_write_text, torch_save_to_temp
from .config_text import (TRUSTED_IMPORTS, ConfigTextError, config_from_text,
                          parse_config_text)
from .safe_loading import (CheckpointError, check_checkpoint, file_sha256,
                           history_buffer_getattr,
                           load_checkpoint_weights_only,
                           load_from_local_weights_only, read_checkpoint,
                           register_safe_globals, safe_globals)

register_safe_globals()

__all__ = [
    'atomic_write_text', 'torch_save_to_temp', 'TRUSTED_IMPORTS',
    'ConfigTextError', 'config_from_text', 'parse_config_text',
    'CheckpointError', 'check_checkpoint', 'file_sha256',
    'history_buffer_getattr', 'load_checkpoint_weights_only',
    'load_from_local_weights_only', 'read_checkpoint',
    'register_safe_globals', 'safe_globals'
]
