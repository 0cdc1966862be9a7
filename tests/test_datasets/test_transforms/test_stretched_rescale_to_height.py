"""StretchedRescaleToHeight: RescaleToHeight with a width factor, the same
rule at training (transform) and inference (PipelineParams)."""
import numpy as np
import pytest
from mmengine import Config
from mmocr.datasets.transforms import RescaleToHeight

from crnn_plugin.apis import PipelineParams
from crnn_plugin.runtime.image_input import load_resized
from crnn_plugin.datasets.transforms import StretchedRescaleToHeight

OPTIONS = [
    dict(min_width=100),
    dict(min_width=32, width_divisor=16),
    dict(min_width=None, max_width=128),
]


def image(shape):
    return np.random.default_rng(1).integers(0, 256, shape, np.uint8)


@pytest.mark.parametrize('shape', [(32, 100), (64, 300), (10, 17), (45, 451)])
@pytest.mark.parametrize('options', OPTIONS)
def test_scale_one_is_rescale_to_height(shape, options):
    img = image(shape)
    expected = RescaleToHeight(height=32, **options)(dict(img=img))['img']
    out = StretchedRescaleToHeight(height=32, **options)(dict(img=img))
    assert np.array_equal(out['img'], expected)


@pytest.mark.parametrize('shape,options,width', [
    ((64, 488), {}, 488),  # height halved, width kept
    ((64, 60), dict(min_width=100), 100),  # 60 stretched, then the minimum
    ((64, 300), dict(max_width=256), 256),
    ((64, 301), dict(width_divisor=4), 300),
    ((32, 10), {}, 20),
])
def test_width_doubled_before_the_limits(shape, options, width):
    out = StretchedRescaleToHeight(height=32, width_scale=2,
                                   **options)(dict(img=image(shape)))
    assert out['img'].shape == (32, width)
    assert out['img_shape'] == (32, width)
    assert 'width_scale=2.0' in repr(StretchedRescaleToHeight(32, 2))


@pytest.mark.parametrize('shape', [(64, 488), (64, 60), (100, 250), (7, 90)])
def test_inference_resizes_like_the_transform(shape):
    step = dict(type='StretchedRescaleToHeight', height=32, width_scale=2.0,
                min_width=100)
    params = PipelineParams.from_config(Config(dict(
        test_pipeline=[step], model=dict(data_preprocessor=dict()))))
    assert params.width_scale == 2.0 and params.min_width == 100
    img = image(shape)
    kwargs = {k: v for k, v in step.items() if k != 'type'}
    expected = StretchedRescaleToHeight(**kwargs)(dict(img=img))['img']
    assert np.array_equal(load_resized(img, params), expected)


def test_bad_scale():
    with pytest.raises(ValueError, match='width_scale'):
        StretchedRescaleToHeight(height=32, width_scale=0)
