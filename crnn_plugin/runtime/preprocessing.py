"""The test pipeline of a config, reduced to what inference needs.

An exported model stores it in its metadata (:meth:`PipelineParams.to_dict`),
so the runtime reads images exactly as the config's test pipeline does.
"""
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

__all__ = ['PipelineParams']


@dataclass
class PipelineParams:
    """Color mode, resize rule and normalisation of a test pipeline.

    Attributes:
        color_type (str): ``'grayscale'`` or ``'color'`` (BGR).
        height (int): Input height.
        min_width (int, optional): ``RescaleToHeight.min_width``.
        max_width (int, optional): ``RescaleToHeight.max_width``.
        width_divisor (int): ``RescaleToHeight.width_divisor``.
        width_scale (float): ``StretchedRescaleToHeight.width_scale``.
        fixed_width (int, optional): Set for a ``Resize`` to a fixed
            ``(width, height)`` without keeping the ratio.
        mean (np.ndarray): Per-channel mean of the data preprocessor.
        std (np.ndarray): Per-channel std of the data preprocessor.
        bgr_to_rgb (bool): The data preprocessor flips BGR to RGB.
        staff (dict, optional): Arguments of a ``StaffNormalize`` step
            (:func:`crnn_plugin.runtime.staff.normalize_staff`), applied
            before the resize; None (models without it) reads the image as
            it is, and the key is then left out of :meth:`to_dict`, so
            such models' metadata is unchanged.
    """
    color_type: str = 'grayscale'
    height: int = 32
    min_width: Optional[int] = 100
    max_width: Optional[int] = None
    width_divisor: int = 1
    width_scale: float = 1.0
    fixed_width: Optional[int] = None
    mean: np.ndarray = field(
        default_factory=lambda: np.array([127.], np.float32))
    std: np.ndarray = field(
        default_factory=lambda: np.array([127.], np.float32))
    bgr_to_rgb: bool = False
    staff: Optional[dict] = None

    @classmethod
    def from_config(cls, cfg) -> 'PipelineParams':
        """Read ``cfg.test_pipeline`` and ``cfg.model.data_preprocessor``.

        The loader's ``color_type``, a ``StaffNormalize`` step, then
        ``RescaleToHeight`` or ``StretchedRescaleToHeight`` (or a fixed
        ``Resize(keep_ratio=False)``) are taken from the test pipeline;
        missing pieces keep the paper's values (grayscale, height 32, width
        >= 100, (x - 127) / 127).

        Args:
            cfg (mmengine.Config): A model config.

        Returns:
            PipelineParams: The parameters.
        """
        params = cls()
        for step in cfg.get('test_pipeline', None) or []:
            kind = step.get('type', '')
            if 'color_type' in step and kind.endswith('LoadImageFromFile'):
                params.color_type = step['color_type']
            elif kind in ('RescaleToHeight', 'StretchedRescaleToHeight'):
                params.height = step.get('height', 32)
                params.min_width = step.get('min_width', None)
                params.max_width = step.get('max_width', None)
                params.width_divisor = step.get('width_divisor', 1)
                params.width_scale = float(step.get('width_scale', 1.0))
            elif kind == 'Resize' and not step.get('keep_ratio', False):
                params.fixed_width, params.height = step['scale']
            elif kind == 'StaffNormalize':
                params.staff = {k: v for k, v in step.items() if k in (
                    'height', 'spaces_above', 'spaces_below', 'side_spaces')}
        if params.color_type not in ('grayscale', 'color'):
            raise ValueError('inference supports color_type "grayscale" or '
                             f'"color", got {params.color_type!r}')
        prep = cfg.model.get('data_preprocessor', None) or {}
        channels = 1 if params.color_type == 'grayscale' else 3
        mean = prep.get('mean', None)
        std = prep.get('std', None)
        params.mean = np.resize(
            np.asarray(mean if mean is not None else [0.], np.float32),
            channels)
        params.std = np.resize(
            np.asarray(std if std is not None else [1.], np.float32),
            channels)
        params.bgr_to_rgb = channels == 3 and bool(
            prep.get('bgr_to_rgb', False))
        return params

    def normalise(self, img: np.ndarray) -> np.ndarray:
        """uint8 (H, W) or (H, W, C) -> normalised float32 (C, H, W), as
        MMOCR's data preprocessor computes it: ``(x - mean) / std``."""
        x = img.astype(np.float32)
        x = x[None] if x.ndim == 2 else x.transpose(2, 0, 1)  # (C, H, W)
        if self.bgr_to_rgb:
            x = x[::-1]
        return (x - self.mean[:, None, None]) / self.std[:, None, None]

    def to_dict(self) -> dict:
        """A JSON-serialisable copy."""
        out = dict(self.__dict__)
        out['mean'], out['std'] = self.mean.tolist(), self.std.tolist()
        if out['staff'] is None:
            del out['staff']  # metadata of earlier exports, unchanged
        return out

    @classmethod
    def from_dict(cls, values: dict) -> 'PipelineParams':
        """Inverse of :meth:`to_dict` (unknown keys are refused).

        Raises:
            ValueError: For unknown keys or a color type other than
                ``'grayscale'`` and ``'color'``.
        """
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f'unknown preprocessing keys {sorted(unknown)}')
        params = cls(**values)
        if params.color_type not in ('grayscale', 'color'):
            raise ValueError('color_type must be "grayscale" or "color", '
                             f'got {params.color_type!r}')
        params.mean = np.asarray(params.mean, np.float32)
        params.std = np.asarray(params.std, np.float32)
        return params
