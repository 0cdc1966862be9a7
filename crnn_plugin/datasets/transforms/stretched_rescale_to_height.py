"""RescaleToHeight with the width scaled by a constant factor.

Subclasses MMOCR 1.0.1 :class:`mmocr.datasets.transforms.RescaleToHeight`
(``mmocr/datasets/transforms/textrecog_transforms.py``).
"""
from typing import Dict, Optional

from mmocr.datasets.transforms import RescaleToHeight
from mmocr.registry import TRANSFORMS

from crnn_plugin.runtime.image_input import target_width


@TRANSFORMS.register_module()
class StretchedRescaleToHeight(RescaleToHeight):
    """Resize to ``height`` and ``width_scale`` times the ratio-kept width.

    With ``width_scale=2``, a 64 x 488 score fragment becomes 32 x 488 (not
    32 x 244): narrow glyphs (accidentals, key signatures) span twice the
    CNN frames, each frame still 4 input columns wide. ``min_width``,
    ``max_width`` and ``width_divisor`` apply to the stretched width, as in
    :class:`RescaleToHeight` (``width_scale=1`` is exactly that transform).
    Inference (:class:`crnn_plugin.apis.PipelineParams`) reads the same
    rule from the test pipeline.

    Args:
        height (int): Output height.
        width_scale (float): Factor on the width. Defaults to 1.
        min_width (int, optional): Minimum output width. Defaults to None.
        max_width (int, optional): Maximum output width. Defaults to None.
        width_divisor (int): The width is rounded to a multiple of it.
            Defaults to 1.
        **kwargs: ``resize_type`` and its arguments, as for
            :class:`RescaleToHeight`.
    """

    def __init__(self,
                 height: int,
                 width_scale: float = 1.0,
                 min_width: Optional[int] = None,
                 max_width: Optional[int] = None,
                 width_divisor: int = 1,
                 **kwargs) -> None:
        super().__init__(height, min_width, max_width, width_divisor,
                         **kwargs)
        if width_scale <= 0:
            raise ValueError(f'width_scale must be > 0, got {width_scale}')
        self.width_scale = float(width_scale)

    def transform(self, results: Dict) -> Dict:
        """Resize ``results['img']`` (and what MMOCR's Resize updates)."""
        ori_height, ori_width = results['img'].shape[:2]
        width = target_width(ori_height, ori_width, self.height,
                             self.min_width, self.max_width,
                             self.width_divisor, self.width_scale)
        self.resize.scale = (width, self.height)
        return self.resize(results)

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f', width_scale={self.width_scale})'
