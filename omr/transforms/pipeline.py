"""The full score augmentation chain, as configs or applied to one image."""
from typing import List, Optional

import numpy as np
from mmcv.transforms import Compose
from mmocr.registry import TRANSFORMS

from . import geometric, photometric  # noqa: F401  (registers transforms)
from .base import RNG_KEY

__all__ = ['PIPELINE_ORDER', 'score_augment_pipeline', 'augment_score_image']

#: Order of :func:`score_augment_pipeline`: crop, geometry, photometry.
PIPELINE_ORDER = ('ScoreMarginJitter', 'ScoreScale', 'ScoreRotate',
                  'ScorePerspective', 'ScoreBackground', 'ScoreIllumination',
                  'ScoreBlur', 'ScoreNoise', 'ScoreJPEG')


def score_augment_pipeline(p: float = 0.5,
                           seed: Optional[int] = None) -> List[dict]:
    """Configs of all score augmentations, each applied with probability p.

    Args:
        p (float): Probability of each transform. Defaults to 0.5.
        seed (int, optional): Seed of each transform's own generator.
            Defaults to None.

    Returns:
        list[dict]: Transform configs to splice into a pipeline (after the
        loader, before ``RescaleToHeight``).

    Example:
        >>> [t['type'] for t in score_augment_pipeline()][:3]
        ['ScoreMarginJitter', 'ScoreScale', 'ScoreRotate']
    """
    return [dict(type=name, prob=p, seed=seed) for name in PIPELINE_ORDER]


_COMPOSED: dict = {}


def augment_score_image(img: np.ndarray, seed: int,
                        p: float = 0.5) -> np.ndarray:
    """Run the full augmentation chain on one image, reproducibly.

    The output depends only on ``img``, ``seed`` and ``p`` (not on call
    order or process), e.g. for baking a fixed augmented validation set.

    Args:
        img (np.ndarray): uint8 (H, W) or (H, W, 3) image.
        seed (int): Seed of this image's augmentation.
        p (float): Probability of each transform. Defaults to 0.5.

    Returns:
        np.ndarray: The augmented uint8 image.
    """
    if p not in _COMPOSED:
        _COMPOSED[p] = Compose(
            [TRANSFORMS.build(t) for t in score_augment_pipeline(p)])
    results = dict(img=img, img_shape=img.shape[:2],
                   **{RNG_KEY: np.random.default_rng(seed)})
    return _COMPOSED[p](results)['img']
