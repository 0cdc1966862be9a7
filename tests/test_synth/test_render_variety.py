"""Rendering variety: jitter, bent baselines, neighbours, lines, emboss,
motion/defocus blur and uneven light each change the image as described."""
from dataclasses import replace

import numpy as np
import pytest
from synth_helpers import BUILTIN

from crnn_plugin.synth import CLEAN_STYLE, MJSYNTH_STYLE, render_word
from crnn_plugin.synth.degrade import defocus, motion_blur, uneven_light
from crnn_plugin.synth.glyph_coverage import load_font
from crnn_plugin.synth.text_layer import bend_masks, draw_text_masks

FONT = BUILTIN[0].path
NEW_KNOBS = ('char_jitter_prob', 'curve_prob', 'elastic_prob', 'line_prob',
             'neighbour_prob', 'emboss_prob', 'motion_blur_prob',
             'defocus_prob', 'light_prob')


def _render(style, text='Hello', seed=3):
    return render_word(text, FONT, np.random.default_rng(seed), style)[0]


def test_clean_style_switches_every_new_step_off():
    for knob in NEW_KNOBS:
        assert getattr(CLEAN_STYLE, knob) == 0, knob
        assert getattr(MJSYNTH_STYLE, knob) > 0, knob


@pytest.mark.parametrize('knob', ['char_jitter_prob', 'curve_prob',
                                  'elastic_prob', 'line_prob',
                                  'emboss_prob', 'motion_blur_prob',
                                  'defocus_prob', 'light_prob'])
def test_each_step_changes_the_clean_image(knob):
    on = replace(CLEAN_STYLE, **{knob: 1.0})
    changed = [not np.array_equal(_render(CLEAN_STYLE, seed=s),
                                  _render(on, seed=s)) for s in range(3)]
    assert all(changed), knob


def test_neighbours_stay_outside_the_reference_box():
    font = load_font(FONT, 40)
    alone, box = draw_text_masks('word', font)
    with_nb, box_nb = draw_text_masks('word', font,
                                      neighbours=('left', 'right'))
    width = box[2] - box[0]
    assert box_nb[2] - box_nb[0] == pytest.approx(width, abs=1)
    assert with_nb.shape[1] > alone.shape[1] + width  # two more words
    inside = with_nb[:, int(box_nb[0]):int(box_nb[2]), 0]
    assert inside.max() > 0
    # ink exists left and right of the box: the neighbours
    assert with_nb[:, :int(box_nb[0]) - 2, 0].max() > 0
    assert with_nb[:, int(box_nb[2]) + 2:, 0].max() > 0


def test_tracking_widens_or_tightens_the_word():
    font = load_font(FONT, 40)
    widths = {}
    for t in (-0.03, 0.0, 0.2):
        masks, _ = draw_text_masks('minimum', font, tracking=t)  # (h, w, 2)
        widths[t] = np.ptp(np.flatnonzero(masks[..., 0].max(axis=0)))
    assert widths[-0.03] < widths[0.0] < widths[0.2]


def test_photo_gain_sets_the_background_contrast():
    def spread(gain):
        style = replace(CLEAN_STYLE, fixed_colors=None, background_probs=(
            0, 0, 0, 1), photo_gain=(gain, gain))
        # the left margin: background only
        return np.std([_render(style, seed=s)[:, :3].astype(float)
                       for s in range(6)], axis=(1, 2)).mean()

    assert spread(0.2) * 3 < spread(1.0)


def test_line_crosses_the_whole_word():
    font = load_font(FONT, 40)
    plain, box = draw_text_masks('ab cd', font)
    lined, _ = draw_text_masks('ab cd', font, line=0.3)
    gap = int((box[0] + box[2]) / 2)  # the space between the words
    assert plain[:, gap - 1:gap + 2, 0].max() == 0
    assert lined[:, gap - 1:gap + 2, 0].max() > 0


def test_bend_moves_the_box_with_the_text():
    font = load_font(FONT, 40)
    masks, box = draw_text_masks('arched', font)
    style = replace(CLEAN_STYLE, curve_prob=1.0, curve_amp=(0.4, 0.4))
    bent, bent_box = bend_masks(masks, box, np.random.default_rng(1), style,
                                em=40)
    assert bent.shape[1] == masks.shape[1]
    assert bent.shape[0] > masks.shape[0]  # padded for the curve
    rows = np.flatnonzero(bent[..., 0].max(axis=1))
    assert bent_box[1] <= rows[0] + 1 and rows[-1] <= bent_box[3] + 1
    assert abs(int(bent[..., 0].sum()) - int(masks[..., 0].sum())) < \
        0.1 * masks[..., 0].sum()  # ink moved, not lost


def test_blurs_and_light_keep_shape_and_mean():
    img = np.zeros((32, 64, 1), np.float32)
    img[10:22, 20:40] = 1
    for out in (motion_blur(img, 5, 0.3), defocus(img, 1.5)):
        assert out.shape == img.shape
        assert out.sum() == pytest.approx(img.sum(), rel=0.05)
        assert (out > 0).sum() > (img > 0).sum()  # spread out
    lit = uneven_light(np.ones((32, 64, 1), np.float32),
                       np.random.default_rng(0), 0.5)
    assert lit.min() == pytest.approx(0.5, abs=0.01) and lit.max() <= 1


@pytest.mark.parametrize('margin', [0.0, 0.3, 0.8])
def test_vertical_margins_are_fractions_of_the_text_height(margin):
    """A margin m above and below leaves the ink 1 / (1 + 2m) of the
    height."""
    style = replace(CLEAN_STYLE, margin_tight=(margin, margin))
    img = _render(style, text='HELLO')
    rows = np.where((img < 128).any(axis=1))[0]  # ink rows
    ink = (rows[-1] - rows[0] + 1) / img.shape[0]
    assert ink == pytest.approx(1 / (1 + 2 * margin), abs=0.07)
