import cv2
import numpy as np
import pytest
import torch.utils.data
from mmocr.registry import TRANSFORMS
from omr_model_helpers import staff_image

from omr.transforms import (PIPELINE_ORDER, ScoreBackground,
                            ScoreMarginJitter, ScoreRotate,
                            augment_score_image, score_augment_pipeline)
from omr.transforms.base import paper_and_ink


def run(cfg: dict, img: np.ndarray) -> np.ndarray:
    return TRANSFORMS.build(cfg)(dict(img=img.copy()))['img']


@pytest.mark.parametrize('name', PIPELINE_ORDER)
def test_each_transform_is_seeded_and_keeps_the_image_type(name):
    gray = staff_image()
    color = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    a = run(dict(type=name, seed=3), gray)
    b = run(dict(type=name, seed=3), gray)
    assert a.dtype == np.uint8 and a.ndim == 2
    np.testing.assert_array_equal(a, b)
    # other seeds give other images (some transform draws may coincide)
    others = [run(dict(type=name, seed=s), gray) for s in (4, 5, 6)]
    assert any(o.shape != a.shape or (o != a).any() for o in others)
    out = run(dict(type=name, seed=3), color)
    assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
    # prob=0 is the identity
    np.testing.assert_array_equal(run(dict(type=name, prob=0.0), gray), gray)


def test_results_keys_and_own_generator_advances():
    t = TRANSFORMS.build(dict(type='ScoreScale', seed=0))
    r = t(dict(img=staff_image()))
    assert r['img_shape'] == r['img'].shape[:2]
    second = t(dict(img=staff_image()))['img']  # next draw, new size
    assert second.shape != r['img'].shape


def test_augment_score_image_depends_only_on_image_and_seed():
    img = staff_image()
    first = [augment_score_image(img, s, p=0.7) for s in range(6)]
    again = [augment_score_image(img, s, p=0.7) for s in reversed(range(6))]
    for a, b in zip(first, reversed(again)):
        np.testing.assert_array_equal(a, b)
    assert len({a.tobytes() for a in first}) == 6
    np.testing.assert_array_equal(img, staff_image())  # input untouched


def test_seed_none_follows_numpy_global_seed_and_workers_differ(monkeypatch):
    img = staff_image()
    np.random.seed(11)
    a = run(dict(type='ScoreNoise'), img)
    np.random.seed(11)
    b = run(dict(type='ScoreNoise'), img)
    np.testing.assert_array_equal(a, b)

    class Info:
        id = 0

    main = run(dict(type='ScoreNoise', seed=1), img)
    monkeypatch.setattr(torch.utils.data, 'get_worker_info', lambda: Info)
    worker = run(dict(type='ScoreNoise', seed=1), img)
    assert (main != worker).any()  # a seeded transform differs per worker


def dark_pixels(img: np.ndarray) -> int:
    return int((img < 128).sum())


def test_margin_jitter_never_cuts_ink_and_pads_with_paper():
    # noteheads up to the image border rows: nothing there may be cut
    img = staff_image(note_rows=(4, 60))
    note_columns = int(((img < 128).sum(0) > 5).sum())  # more than 5 lines
    for seed in range(20):
        out = run(dict(type='ScoreMarginJitter', seed=seed, horizontal=0),
                  img)
        assert dark_pixels(out) == dark_pixels(img)
        # sideways, only bare staff-line columns are cropped
        out = run(dict(type='ScoreMarginJitter', seed=seed), img)
        assert int(((out < 128).sum(0) > 5).sum()) == note_columns
    # a wide empty margin is cropped at most one staff space per side
    roomy = staff_image(note_rows=(30, 32))
    heights = {
        run(dict(type='ScoreMarginJitter', seed=s), roomy).shape[0]
        for s in range(40)
    }
    assert min(heights) < 64 < max(heights)
    assert min(heights) >= 64 - 2 * 6.4 - 1 and max(heights) <= 64 + 2 * 7
    grown = ScoreMarginJitter(vertical=1, horizontal=0).apply(
        roomy, np.random.default_rng(0))
    assert set(np.unique(grown[:1])) <= {245} or set(np.unique(
        grown[-1:])) <= {245}


@pytest.mark.parametrize('name', ['ScoreRotate', 'ScorePerspective'])
def test_geometry_keeps_all_ink_on_a_paper_canvas(name):
    img = staff_image(note_rows=(4, 60))
    for seed in range(5):
        out = run(dict(type=name, seed=seed), img)
        # interpolation changes edge pixels, not the amount of ink
        assert abs(dark_pixels(out) - dark_pixels(img)) < 0.15 * \
            dark_pixels(img)
        assert out[0, 0] == 245 or out[-1, -1] == 245


def test_rotation_angle_grows_the_canvas():
    img = staff_image()
    out = ScoreRotate(max_angle=5).apply(img, np.random.default_rng(0))
    assert out.shape[0] > img.shape[0] and out.shape[1] >= img.shape[1] - 2


def test_background_keeps_ink_darker_than_paper():
    img = staff_image()
    ink = img < 128
    for seed in range(10):
        out = ScoreBackground(natural_prob=0.5).apply(
            img, np.random.default_rng(seed))
        assert out.shape == img.shape
        assert out[ink].mean() + 0.15 * 255 < out[~ink].mean()
    paper, ink_level = paper_and_ink(img)
    assert paper[0] == 245 and ink_level[0] == 15


def test_pipeline_configs():
    cfgs = score_augment_pipeline(p=0.3, seed=2)
    assert [c['type'] for c in cfgs] == list(PIPELINE_ORDER)
    assert all(c['prob'] == 0.3 and c['seed'] == 2 for c in cfgs)
    img = staff_image()
    out = augment_score_image(img, 0, p=1.0)  # every transform applied
    assert out.dtype == np.uint8 and out.ndim == img.ndim and out.std() > 0
