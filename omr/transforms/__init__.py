"""Score-image augmentations (paper §3.4, plus phone-photo effects).

The paper augments its score fragments "by being rotated, scaled and
corrupted with noise, and by replacing their backgrounds with natural
images" (:class:`ScoreRotate`, :class:`ScoreScale`, :class:`ScoreNoise`,
:class:`ScoreBackground`). Its 'Real-World' set are phone photos of music
books, which add perspective, uneven light, blur and JPEG artefacts
(:class:`ScorePerspective`, :class:`ScoreIllumination`, :class:`ScoreBlur`,
:class:`ScoreJPEG`); :class:`ScoreMarginJitter` varies the crop margins so
crops of any tightness work. :class:`StaffNormalize` is not an augmentation:
it crops and scales every image around its staff (crop-independent input).

Every transform reads and writes ``results['img']``: uint8, (H, W)
grayscale or (H, W, 3), dark ink on light paper (updating ``img_shape``).
Geometric sizes are relative to the image height, which spans
``staff_spaces`` (10) staff spaces in our renders (staff +- 3 spaces).
Helpers come from the word synthesiser (:mod:`crnn_plugin.synth`:
backgrounds, blur, resolution loss); natural images are scikit-image's
bundled photographs (offline). Randomness: see :mod:`omr.transforms.base`
(a seed per transform, or a generator per image for reproducible sets).

Layout: :mod:`.base` (helpers, :class:`ScoreTransform`), :mod:`.geometric`,
:mod:`.photometric`, :mod:`.pipeline` (the chain and configs),
:mod:`.staff_normalize`.
"""
from .base import ScoreTransform
from .geometric import (ScoreMarginJitter, ScorePerspective, ScoreRotate,
                        ScoreScale)
from .photometric import (ScoreBackground, ScoreBlur, ScoreIllumination,
                          ScoreJPEG, ScoreNoise)
from .pipeline import (PIPELINE_ORDER, augment_score_image,
                       score_augment_pipeline)
from .staff_normalize import StaffNormalize

__all__ = [
    'ScoreTransform', 'ScoreMarginJitter', 'ScoreScale', 'ScoreRotate',
    'ScorePerspective', 'ScoreBackground', 'ScoreIllumination', 'ScoreBlur',
    'ScoreNoise', 'ScoreJPEG', 'PIPELINE_ORDER', 'score_augment_pipeline',
    'augment_score_image', 'StaffNormalize'
]
