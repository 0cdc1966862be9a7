"""Staff normalisation: the same fragment, however cropped, gives the same
normalised input (committed samples of demo/scores)."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
from demo_samples import demo_labels

from crnn_plugin.runtime import (PipelineParams, StaffNotFound,
                                 find_staff_lines, load_resized,
                                 normalize_staff, target_width)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SAMPLES = sorted(glob.glob(osp.join(ROOT, 'demo', 'scores', '*.png')))


def variants(img):
    """Other crops of the same fragment: margins (paper-coloured),
    resolution, tightness."""
    h = img.shape[0]
    paper = int(np.median(np.concatenate([img[:, 0], img[:, -1]])))
    return dict(
        wide=cv2.copyMakeBorder(img, 40, 15, 30, 90, cv2.BORDER_CONSTANT,
                                value=paper),
        hires=cv2.resize(img, None, fx=2.5, fy=2.5,
                         interpolation=cv2.INTER_CUBIC),
        lowres=cv2.resize(img, None, fx=0.7, fy=0.7,
                          interpolation=cv2.INTER_AREA),
        tight=img[int(h * 0.25):int(h * 0.75) + 1],
        hires_wide=cv2.copyMakeBorder(
            cv2.resize(img, None, fx=1.8, fy=1.8,
                       interpolation=cv2.INTER_CUBIC), 100, 10, 5, 5,
            cv2.BORDER_CONSTANT, value=paper))


@pytest.mark.parametrize('path', SAMPLES, ids=osp.basename)
def test_same_crop_whatever_margins_and_resolution(path):
    img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    ref = normalize_staff(img, height=64)
    # staff +- 3 spaces in 64 px: lines at 64 * 3 / 10 and 64 * 7 / 10
    staff = find_staff_lines(ref)
    assert staff.top == pytest.approx(19.2, abs=1.0)
    assert staff.bottom == pytest.approx(44.8, abs=1.0)
    for name, img2 in variants(img).items():
        out = normalize_staff(img2, height=64)
        assert out.shape[0] == 64, name
        # photo-like (uneven light): the staff's ends, i.e. the side
        # margins, are found less precisely
        slack = 0.03 if 'clean' in path else 0.2
        assert abs(out.shape[1] - ref.shape[1]) <= 3 + slack * ref.shape[1], \
            name
        found = find_staff_lines(out)
        assert abs(found.top - staff.top) < 1.0, name
        assert abs(found.bottom - staff.bottom) < 1.0, name


def test_clean_samples_match_pixel_for_pixel_with_margins():
    for path in SAMPLES:
        if 'clean' not in path:
            continue
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        ref = normalize_staff(img).astype(int)
        out = normalize_staff(variants(img)['wide']).astype(int)
        assert out.shape == ref.shape
        assert np.abs(out - ref).mean() < 2  # gray levels of 255


def test_colour_input_and_staff_space_scaling():
    img = cv2.imread(SAMPLES[-1], cv2.IMREAD_COLOR)
    out = normalize_staff(img, height=96, spaces_above=4, spaces_below=2)
    assert out.shape[0] == 96 and out.ndim == 3
    staff = find_staff_lines(out)
    space = 96 / 10
    assert staff.top == pytest.approx(4 * space, abs=1.5)
    assert staff.bottom == pytest.approx(8 * space, abs=1.5)


def test_rotation_is_undone():
    img = cv2.imread(SAMPLES[-1], cv2.IMREAD_GRAYSCALE)
    h, w = img.shape
    img = cv2.copyMakeBorder(img, 30, 30, 0, 0, cv2.BORDER_CONSTANT,
                             value=255)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2 + 30), 2.0, 1.0)
    rotated = cv2.warpAffine(img, matrix, (w, h + 60), borderValue=255)
    staff = find_staff_lines(rotated)
    assert staff.angle == pytest.approx(-2.0, abs=0.5)
    found = find_staff_lines(normalize_staff(rotated))
    assert found.top == pytest.approx(19.2, abs=1.5)


def test_no_staff():
    with pytest.raises(StaffNotFound):
        find_staff_lines(np.full((40, 100), 255, np.uint8))
    text = np.full((40, 200), 255, np.uint8)
    cv2.putText(text, 'hello', (5, 30), cv2.FONT_HERSHEY_SIMPLEX, 1, 0, 2)
    with pytest.raises(StaffNotFound):
        find_staff_lines(text)


def test_pipeline_params_apply_it_only_when_the_model_says_so():
    img = cv2.imread(SAMPLES[-1], cv2.IMREAD_GRAYSCALE)
    wide = variants(img)['wide']
    plain = PipelineParams()
    assert 'staff' not in plain.to_dict()  # older exports unchanged
    as_is = cv2.resize(wide, (target_width(*wide.shape), 32),
                       interpolation=cv2.INTER_LINEAR)
    assert np.array_equal(load_resized(wide, plain), as_is)  # min width
    staffed = PipelineParams.from_dict(dict(plain.to_dict(), staff=dict(
        height=64)))
    assert PipelineParams.from_dict(staffed.to_dict()).staff == dict(
        height=64)
    want = cv2.resize(normalize_staff(img, height=64), None, fx=0.5,
                      fy=0.5, interpolation=cv2.INTER_LINEAR)
    got = load_resized(wide, staffed)
    assert got.shape[0] == 32
    assert abs(got.shape[1] - want.shape[1]) <= 1
    # no staff: read as it is
    blank = np.full((40, 300), 255, np.uint8)
    assert load_resized(blank, staffed).shape == (32, 240)


def test_shipped_score_model_reads_every_crop_alike():
    """The shipped model crops to the staff itself: the committed samples
    read as labelled with other margins, resolutions and staff sizes too
    (``tight`` cuts notes off and is left out)."""
    from crnn_plugin.runtime import ScoreReader
    reader = ScoreReader()
    assert reader.info.preprocessing.staff == dict(
        height=64, spaces_above=3, spaces_below=3, side_spaces=1)
    labels = demo_labels('scores')
    for path in SAMPLES:
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        others = {k: v for k, v in variants(img).items() if k != 'tight'}
        readings = reader([img] + list(others.values()))
        truth = labels[osp.basename(path)].split()
        for name, (tokens, _) in zip(['as committed', *others], readings):
            assert tokens == truth, (osp.basename(path), name)


def photo_like(img, angle, seed=0):
    """A phone-photo-like copy: tilted on a grown canvas, uneven light
    (a dark side), camera noise."""
    h, w = img.shape
    pad = int(w * np.sin(np.deg2rad(abs(angle))) / 2) + 10
    img = cv2.copyMakeBorder(img, pad, pad, 10, 10, cv2.BORDER_CONSTANT,
                             value=255)
    h, w = img.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, matrix, (w, h), borderValue=255)
    gain = np.linspace(1.0, 0.55, w, dtype=np.float32)[None]
    rng = np.random.default_rng(seed)
    noisy = img * gain + rng.normal(0, 20, img.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


@pytest.mark.parametrize('angle', [-2.3, 1.7, 2.8])
def test_photo_like_tilt_light_and_noise(angle):
    """Uneven light and noise must not pull the angle to 0 (a tilted
    staff then has no five straight lines) nor hide the staff's ends."""
    img = cv2.imread(osp.join(ROOT, 'demo', 'scores', 'clean_12.png'),
                     cv2.IMREAD_GRAYSCALE)
    ref = find_staff_lines(img)
    photo = photo_like(img, angle)
    staff = find_staff_lines(photo)
    assert staff.angle == pytest.approx(-angle, abs=0.15)
    assert staff.space == pytest.approx(ref.space, rel=0.05)
    # the staff's length (rotation keeps it): ends found on the dim side
    assert staff.right - staff.left == pytest.approx(
        ref.right - ref.left, abs=2 * ref.space)
    found = find_staff_lines(normalize_staff(photo))
    assert found.top == pytest.approx(19.2, abs=1.0)
    assert found.bottom == pytest.approx(44.8, abs=1.0)
