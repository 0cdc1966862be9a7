"""Parameters of the word renderer: the MJSynth-like default and 'clean'.

The steps follow the synthetic engine of Jaderberg et al., "Synthetic Data
and Artificial Neural Networks for Natural Scene Text Recognition" (2014),
§2: font rendering (random font, size, tracking), border/shadow, base
colouring with random contrast, projective distortion, natural-data
blending, and noise (blur, resolution loss, Gaussian noise, JPEG); plus what
real word crops show beyond MJSynth: per-character jitter, arched and wavy
baselines, elastic warps, under/strike lines, neighbouring words cut by the
crop, embossing, motion and defocus blur and uneven light.
"""
from dataclasses import dataclass, replace
from typing import Optional, Tuple

Range = Tuple[float, float]


@dataclass(frozen=True)
class RenderStyle:
    """Probabilities (``*_prob``) and ranges of the rendering steps.

    Ranges are sampled uniformly. Lengths marked "x h" are fractions of the
    text box height, "x em" of the font size.

    Args:
        font_px (tuple[int, int]): Font size range at render scale (px),
            before the warp scales the crop to the output height.
        tracking_prob, tracking (Range): Extra letter spacing (x em;
            negative: tight, as in condensed headlines).
        border_prob, border_px (tuple[int, int]): Outline width at render
            scale (px).
        shadow_prob, shadow_offset (Range), shadow_blur (Range): Drop
            shadow offset (output px) and Gaussian sigma.
        rotate_prob, rotate_std, rotate_max: Rotation (degrees, normal).
        shear_prob, shear_max: Horizontal shear (x h).
        perspective_prob, perspective_max: Corner jitter (x h).
        aspect (Range): Horizontal stretch of the output.
        tight_prob: Probability of a tight vertical crop.
        margin_tight, margin_loose, margin_h (Range): Crop margins (x h).
        background_probs (tuple): Probabilities of a flat, gradient,
            procedural-texture, natural-image and surface-pattern
            background (a shorter tuple leaves the later kinds out).
        photo_gain (Range): Contrast of a natural-image background around
            its colour (1: the photo's own contrast, which may reach the
            text's).
        pattern_contrast (Range): Luma of a pattern's lines as a fraction
            of the way from the background's to the text's (negative:
            away from the text).
        fixed_colors (tuple[float, float], optional): (text, background)
            grey levels in [0, 1]; ``None`` samples random colours.
        contrast (Range): Minimum luminance difference text vs background.
        text_gradient_prob: Text filled with a two-colour gradient.
        opacity (Range): Text opacity.
        blend_prob, blend_alpha (Range): Natural-image blending weight.
        blur_prob, blur_sigma (Range): Gaussian blur (output px).
        downscale_prob, downscale (Range): Resolution loss factor.
        noise_prob, noise_sigma (Range): Gaussian noise std (in [0, 1]).
        jpeg_prob, jpeg_quality (tuple[int, int]): JPEG re-encoding.
        char_jitter_prob, char_size_jitter, char_rise_jitter: Per-character
            size (relative std) and baseline shift (x em, std).
        curve_prob, curve_amp (Range): Arched (parabola) or wavy (sine)
            baseline, amplitude x em.
        elastic_prob, elastic_amp (Range): Smooth random displacement of
            the glyphs, amplitude x em.
        line_prob: An underline or a strike-through line.
        neighbour_prob, neighbour_margin (Range): Neighbouring words on the
            same line, cut by wider horizontal crop margins (x h).
        emboss_prob: Embossed text (text close to the background colour,
            with a light and a dark edge).
        motion_blur_prob, motion_blur_px (Range): Linear motion blur length
            (output px) at a random angle.
        defocus_prob, defocus_px (Range): Disk (defocus) blur radius.
        light_prob, light_strength (Range): Uneven lighting: the image is
            multiplied by a smooth field varying by up to this fraction.
    """
    font_px: Tuple[int, int] = (26, 44)
    tracking_prob: float = 0.2
    tracking: Range = (-0.03, 0.3)
    border_prob: float = 0.15
    border_px: Tuple[int, int] = (1, 3)
    shadow_prob: float = 0.15
    shadow_offset: Range = (1.0, 3.0)
    shadow_blur: Range = (0.3, 1.5)
    rotate_prob: float = 0.5
    rotate_std: float = 3.0
    rotate_max: float = 10.0
    shear_prob: float = 0.3
    shear_max: float = 0.25
    perspective_prob: float = 0.5
    perspective_max: float = 0.1
    aspect: Range = (0.8, 1.25)
    tight_prob: float = 0.5
    margin_tight: Range = (0.0, 0.06)
    margin_loose: Range = (0.06, 0.8)
    margin_h: Range = (0.0, 0.6)
    background_probs: Tuple[float, ...] = (0.2, 0.2, 0.15, 0.3, 0.15)
    photo_gain: Range = (0.15, 1.2)
    pattern_contrast: Range = (-0.6, 0.9)
    fixed_colors: Optional[Tuple[float, float]] = None
    contrast: Range = (0.2, 1.0)
    text_gradient_prob: float = 0.15
    opacity: Range = (0.8, 1.0)
    blend_prob: float = 0.3
    blend_alpha: Range = (0.05, 0.3)
    blur_prob: float = 0.5
    blur_sigma: Range = (0.3, 1.2)
    downscale_prob: float = 0.3
    downscale: Range = (0.3, 0.85)
    noise_prob: float = 0.5
    noise_sigma: Range = (0.005, 0.06)
    jpeg_prob: float = 0.5
    jpeg_quality: Tuple[int, int] = (20, 90)
    char_jitter_prob: float = 0.2
    char_size_jitter: float = 0.1
    char_rise_jitter: float = 0.05
    curve_prob: float = 0.2
    curve_amp: Range = (0.05, 0.4)
    elastic_prob: float = 0.15
    elastic_amp: Range = (0.01, 0.05)
    line_prob: float = 0.06
    neighbour_prob: float = 0.2
    neighbour_margin: Range = (0.3, 1.5)
    emboss_prob: float = 0.05
    motion_blur_prob: float = 0.15
    motion_blur_px: Range = (1.5, 6.0)
    defocus_prob: float = 0.1
    defocus_px: Range = (0.8, 2.0)
    light_prob: float = 0.25
    light_strength: Range = (0.15, 0.6)


#: The MJSynth-like default.
MJSYNTH_STYLE = RenderStyle()

#: Black text on a white, flat background; no geometric or photometric
#: distortion; fixed crop margins (fonts and sizes still vary).
CLEAN_STYLE = replace(
    RenderStyle(),
    tracking_prob=0.0, border_prob=0.0, shadow_prob=0.0, rotate_prob=0.0,
    shear_prob=0.0, perspective_prob=0.0, aspect=(1.0, 1.0), tight_prob=1.0,
    margin_tight=(0.12, 0.12), margin_h=(0.3, 0.3),
    background_probs=(1.0, 0.0, 0.0, 0.0), fixed_colors=(0.0, 1.0),
    text_gradient_prob=0.0, opacity=(1.0, 1.0), blend_prob=0.0,
    blur_prob=0.0, downscale_prob=0.0, noise_prob=0.0, jpeg_prob=0.0,
    char_jitter_prob=0.0, curve_prob=0.0, elastic_prob=0.0, line_prob=0.0,
    neighbour_prob=0.0, emboss_prob=0.0, motion_blur_prob=0.0,
    defocus_prob=0.0, light_prob=0.0)
