"""StaffNormalize: the training/test transform of the staff crop."""
import glob
import os.path as osp

import cv2
import numpy as np
from mmengine.config import Config

import omr.registration  # noqa: F401
from crnn_plugin.runtime import PipelineParams, normalize_staff
from omr.transforms import StaffNormalize

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SAMPLE = sorted(glob.glob(osp.join(ROOT, 'demo', 'scores', 'clean_*.png')))[0]


def test_transform_equals_the_runtime_function():
    img = cv2.imread(SAMPLE, cv2.IMREAD_GRAYSCALE)
    wide = cv2.copyMakeBorder(img, 30, 30, 40, 40, cv2.BORDER_CONSTANT,
                              value=255)
    out = StaffNormalize(height=48)(dict(img=wide, img_shape=wide.shape))
    assert np.array_equal(out['img'], normalize_staff(wide, height=48))
    assert out['img_shape'] == out['img'].shape[:2]


def test_image_without_staff_passes_unchanged():
    t = StaffNormalize()
    blank = np.full((20, 50), 255, np.uint8)
    out = t(dict(img=blank, img_shape=blank.shape))
    assert out['img'] is blank and t.misses == 1


def test_pipeline_params_read_it_from_the_test_pipeline():
    cfg = Config(dict(
        model=dict(data_preprocessor=dict(mean=[127], std=[127])),
        test_pipeline=[
            dict(type='StaffNormalize', height=64, spaces_above=3),
            dict(type='RescaleToHeight', height=32, min_width=100)]))
    params = PipelineParams.from_config(cfg)
    assert params.staff == dict(height=64, spaces_above=3)
    assert PipelineParams.from_dict(params.to_dict()).staff == params.staff
