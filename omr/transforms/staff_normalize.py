"""The crop-independent input of a score model, as an MMOCR transform."""
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log
from mmocr.registry import TRANSFORMS

from crnn_plugin.runtime.staff import StaffNotFound, normalize_staff

__all__ = ['StaffNormalize']


@TRANSFORMS.register_module()
class StaffNormalize(BaseTransform):
    """Crop and scale ``results['img']`` around its staff.

    Wraps :func:`crnn_plugin.runtime.staff.normalize_staff`: the output
    spans ``spaces_above`` staff spaces above the top line to
    ``spaces_below`` below the bottom line and the staff lines' width plus
    ``side_spaces``, scaled to ``height`` px, whatever the input's margins,
    resolution or staff size. Put it after the augmentations and before
    ``RescaleToHeight`` in the train, val and test pipelines alike; the
    ONNX export stores its arguments (``PipelineParams.staff``) so that
    ``omr/recognize.py`` and :class:`crnn_plugin.ScoreReader` apply it too.

    An image without a detectable staff is passed on unchanged (counted in
    :attr:`misses`, logged once).

    Args:
        height (int): Output height (px). Defaults to 64.
        spaces_above (float): Staff spaces above the top line.
            Defaults to 3.
        spaces_below (float): Staff spaces below the bottom line.
            Defaults to 3.
        side_spaces (float): Staff spaces left and right of the staff.
            Defaults to 1.
    """

    def __init__(self, height: int = 64, spaces_above: float = 3.0,
                 spaces_below: float = 3.0, side_spaces: float = 1.0) -> None:
        self.kwargs = dict(height=height, spaces_above=spaces_above,
                           spaces_below=spaces_below, side_spaces=side_spaces)
        self.misses = 0

    def transform(self, results: dict) -> dict:
        """Normalise ``results['img']`` (updates ``img_shape``)."""
        try:
            img = normalize_staff(results['img'], **self.kwargs)
        except StaffNotFound as err:
            self.misses += 1
            if self.misses == 1:
                print_log(f'StaffNormalize: {err} in '
                          f'{results.get("img_path", "an image")}; such '
                          'images are used as they are', logger='current')
            return results
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        args = ', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())
        return f'{type(self).__name__}({args})'
