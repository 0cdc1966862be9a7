"""Surface-pattern backgrounds: fields that span two colours, reproducible
per seed, and the renderer's fifth background kind."""
from dataclasses import replace

import numpy as np
import pytest
from synth_helpers import BUILTIN

from crnn_plugin.synth import CLEAN_STYLE, render_word
from crnn_plugin.synth.backgrounds import _PATTERNS, pattern

DARK = np.array([0.1], np.float32)
LIGHT = np.array([0.9], np.float32)


@pytest.mark.parametrize('make', _PATTERNS, ids=lambda f: f.__name__)
def test_each_pattern_spans_both_colours(make):
    for seed in range(5):
        field = make(np.random.default_rng(seed), 32, 200)  # (32, 200)
        assert field.shape == (32, 200)
        assert field.min() >= 0 and field.max() <= 1
        assert field.max() - field.min() > 0.5, seed


def test_pattern_mixes_the_two_colours_and_repeats_per_seed():
    a = pattern(np.random.default_rng(7), 32, 120, DARK, LIGHT)
    b = pattern(np.random.default_rng(7), 32, 120, DARK, LIGHT)
    c = pattern(np.random.default_rng(8), 32, 120, DARK, LIGHT)
    assert a.shape == (32, 120, 1) and a.dtype == np.float32
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.min() >= DARK[0] - 1e-6 and a.max() <= LIGHT[0] + 1e-6


def test_pattern_kind_draws_clutter_behind_the_text():
    font = BUILTIN[0].path
    flat = replace(CLEAN_STYLE, fixed_colors=None, contrast=(0.6, 0.6))
    # photo_gain 0: a photo background would be flat, only a pattern is not
    patterned = replace(flat, background_probs=(0, 0, 0, 0, 1),
                        pattern_contrast=(0.8, 0.8), photo_gain=(0, 0))

    def margin_spread(style):  # the left margin holds background only
        return np.mean([render_word('Hello', font, np.random.default_rng(s),
                                    style)[0][:, :3].astype(float).std()
                        for s in range(8)])

    assert margin_spread(flat) < 1.0
    assert margin_spread(patterned) > 5.0
