"""Config resolution and safe checkpoint loading for inference."""
import importlib
import os.path as osp
from typing import Optional, Tuple, Union

import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import DefaultScope

__all__ = [
    'load_recognizer', 'is_onnx_file', 'config_for_checkpoint', 'model_task'
]

#: Dictionary types of models that read scores (``omr/recognize.py``).
SCORE_DICTIONARIES = ('PitchDictionary', 'SemanticDictionary')


def is_onnx_file(path: Optional[str]) -> bool:
    """Whether ``path`` names an exported ONNX model."""
    return bool(path) and str(path).lower().endswith('.onnx')


def register_custom_imports(cfg: Config) -> None:
    """Register the modules of packages a config's ``custom_imports`` name.

    ``crnn_plugin`` and ``omr`` are light packages whose MMOCR modules live
    in ``<package>.registration``; configs saved in older checkpoints
    import the bare package names, so those are upgraded here.
    """
    imports = (cfg.get('custom_imports', None) or {}).get('imports', [])
    for name in [imports] if isinstance(imports, str) else imports:
        if name in ('crnn_plugin', 'omr'):
            importlib.import_module(f'{name}.registration')


def config_for_checkpoint(config: Union[str, Config, None],
                          checkpoint: Optional[str],
                          ckpt: Optional[dict]) -> Config:
    """The given config, else the one saved in or next to the checkpoint.

    A config file named by the caller (``config``) is loaded by
    ``Config.fromfile`` (it is code the user chose to run). The config
    saved in the checkpoint (``meta.cfg``) and a ``<checkpoint>.py`` next
    to it are read as data only
    (:func:`crnn_plugin.checkpoint.config_from_text`).

    Args:
        config (str | Config, optional): Config file or object.
        checkpoint (str, optional): The checkpoint's path.
        ckpt (dict, optional): The loaded checkpoint.

    Returns:
        Config: The config.

    Raises:
        FileNotFoundError: A named config file is missing.
        ConfigTextError: A saved config that is not plain data.
        ValueError: No config anywhere.
    """
    from crnn_plugin.checkpoint.config_text import config_from_text
    if isinstance(config, Config):
        return config
    if config:
        if not osp.isfile(config):
            raise FileNotFoundError(f'config {config} not found')
        return Config.fromfile(config)
    meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    text = meta.get('cfg') if isinstance(meta, dict) else None
    if isinstance(text, str) and text.strip():
        return config_from_text(text, f'{checkpoint} (meta.cfg)')
    if checkpoint:
        sibling = osp.splitext(checkpoint)[0] + '.py'
        if osp.isfile(sibling):
            with open(sibling, encoding='utf-8', errors='replace') as f:
                return config_from_text(f.read(), sibling)
    raise ValueError(
        'no config given and none found in the checkpoint (meta.cfg) or '
        'next to it (same name, .py): pass the config file')


def model_task(cfg: Config) -> str:
    """``'omr'`` for a score (pitch) model, else ``'text'``.

    Told by the decoder's dictionary type (:data:`SCORE_DICTIONARIES`).

    Args:
        cfg (Config): A model config.

    Returns:
        str: ``'omr'`` or ``'text'``.
    """
    decoder = (cfg.get('model') or {}).get('decoder') or {}
    dictionary = decoder.get('dictionary') or {}
    kind = str(dictionary.get('type', '')).split('.')[-1]
    return 'omr' if kind in SCORE_DICTIONARIES else 'text'


def load_recognizer(
        config: Union[str, Config, None] = None,
        checkpoint: Optional[str] = None,
        cfg_options: Optional[dict] = None) -> Tuple[Config, nn.Module]:
    """Build the recognizer of a config and load its weights safely.

    Checkpoints are read with ``weights_only=True``
    (:func:`crnn_plugin.checkpoint.read_checkpoint`): a file cannot run code,
    and its saved config is read as data
    (:func:`config_for_checkpoint`). MMEngine runner checkpoints
    (``state_dict`` plus meta, the config text in ``meta.cfg``) and bare
    state dicts (also fp16 ones) are accepted; a ``module.`` prefix (DDP)
    is removed.

    Args:
        config (str | Config, optional): Config file or object; None: the
            config saved in the checkpoint, else ``<checkpoint>.py``.
        checkpoint (str, optional): Checkpoint file; None keeps the random
            initial weights (for speed measurements). An ``.onnx`` file
            needs ``config``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        tuple(Config, nn.Module): The config and the recognizer (CPU, eval).

    Raises:
        FileNotFoundError: Missing config or checkpoint.
        CheckpointError: An unusable checkpoint file (a ``ValueError``).
        ValueError: No config found, a saved config that is not data or
            builds no model, or weights that do not fit the config.
    """
    import crnn_plugin.registration  # noqa: F401
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules

    from crnn_plugin.checkpoint import read_checkpoint
    register_all_modules(init_default_scope=False)
    ckpt = None
    if checkpoint and not is_onnx_file(checkpoint):
        if not osp.exists(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} not found')
        ckpt = read_checkpoint(checkpoint, map_location='cpu')
    cfg = config_for_checkpoint(config, checkpoint, ckpt)
    register_custom_imports(cfg)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if not isinstance(cfg.get('model'), dict):
        raise ValueError('the config has no "model" dict')
    try:
        with DefaultScope.overwrite_default_scope('mmocr'):
            model = MODELS.build(cfg.model)
    except Exception as err:  # a saved config is data: any type can occur
        first = (str(err).strip().splitlines() or [''])[0][:200]
        raise ValueError(f'the config cannot build a model '
                         f'({type(err).__name__}: {first})') from None
    if ckpt is None:
        if not is_onnx_file(checkpoint):
            print_log('no checkpoint: the recognizer keeps random weights',
                      logger='current')
    else:
        state = ckpt.get('state_dict', ckpt)
        state = {
            (k[len('module.'):] if k.startswith('module.') else k): v
            for k, v in state.items()
        }
        try:
            missing, unexpected = model.load_state_dict(state, strict=False)
        except RuntimeError as err:  # shape mismatches
            raise ValueError(f'checkpoint {checkpoint} does not fit the '
                             f'config: {str(err).splitlines()[-1].strip()}')
        if missing or unexpected:
            raise ValueError(
                f'checkpoint {checkpoint} does not fit the config: missing '
                f'{sorted(missing)[:5]}, unexpected {sorted(unexpected)[:5]}')
    return cfg, model.eval()
