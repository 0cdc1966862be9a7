"""Pictures of readings (omr/error_picture.py)."""
import numpy as np
import pytest

from omr.error_picture import GAP, align_tokens, draw_readings


@pytest.mark.parametrize('truth,read,expected', [
    ('C4 D4 E4', 'C4 D4 E4', [('C4', 'C4'), ('D4', 'D4'), ('E4', 'E4')]),
    # a missed notehead leaves a gap, the later tokens stay paired
    ('C4 D4 E4 F4', 'C4 E4 F4',
     [('C4', 'C4'), ('D4', GAP), ('E4', 'E4'), ('F4', 'F4')]),
    # an extra one
    ('C4 E4', 'C4 D4 E4', [('C4', 'C4'), (GAP, 'D4'), ('E4', 'E4')]),
    ('C4 D4', 'C#4 D4', [('C4', 'C#4'), ('D4', 'D4')]),
    ('', 'A4', [(GAP, 'A4')]),
])
def test_align_tokens(truth, read, expected):
    columns = align_tokens(truth.split(), read.split())
    assert columns == expected
    assert [t for t, _ in columns if t != GAP] == truth.split()
    assert [r for _, r in columns if r != GAP] == read.split()


def _staff(width=120, height=64):
    image = np.full((height, width), 255, np.uint8)
    image[16:48:8] = 0  # staff lines
    return image


def _red_pixels(picture):
    rgb = np.asarray(picture).astype(int)
    return int(((rgb[..., 0] > 150) & (rgb[..., 1] < 60)
                & (rgb[..., 2] < 60)).sum())


def test_wrong_tokens_are_red_and_right_ones_are_not():
    right = draw_readings([dict(image=_staff(), truth=['C4', 'D4'],
                                read=['C4', 'D4'], caption='val #1')])
    wrong = draw_readings([dict(image=_staff(), truth=['C4', 'D4'],
                                read=['C4', 'D#4'], caption='val #1')])
    assert right.mode == 'RGB' and right.size == wrong.size
    assert _red_pixels(right) == 0
    assert _red_pixels(wrong) > 20


def test_panels_stack_and_model_view_adds_rows():
    one = draw_readings([dict(image=_staff(), truth=['C4'], read=['C4'])])
    two = draw_readings([dict(image=_staff(), truth=['C4'], read=['C4'])] * 2,
                        title='two fragments')
    view = draw_readings([dict(image=_staff(), truth=['C4'], read=['C4'])],
                         model_height=32)
    assert two.size[1] > 2 * one.size[1] - 40
    # 64 px shown 2x is 240 wide; the 32 px view is shown 4x (240 wide too)
    assert view.size[1] == one.size[1] + 32 * 4 + 4
    assert one.size[0] >= 2 * 120
    # the wide config's view: 32 px high, twice the aspect-kept width
    wide = draw_readings([dict(image=_staff(), truth=['C4'], read=['C4'])],
                         model_height=32, model_width_scale=2)
    assert wide.size == (view.size[0] + 120 * 4 // 2, view.size[1])
