"""Word images rendered on the fly by the synthetic engine.

Instead of a fixed LMDB, every sample index is rendered when it is fetched
(:class:`~crnn_plugin.synth.SynthWordGenerator`; sample ``i`` depends only
on (seed, i)), so a run can draw millions of distinct images without
storing them, and stays reproducible and resumable: the sampler's indices
decide the images. One dataloader worker renders ~80 images/s on one core,
several times what a CPU training step consumes.
"""
from typing import Callable, Optional, Sequence, Union

from mmengine.dataset import Compose
from mmocr.registry import DATASETS
from torch.utils.data import Dataset


@DATASETS.register_module()
class SynthWordDataset(Dataset):
    """A virtual data set of ``num_samples`` rendered word images.

    Args:
        num_samples (int): Size of the index space (the sampler draws from
            ``range(num_samples)``).
        fonts (str): Font split: 'train', 'val' (held-out families) or
            'all'. Defaults to 'train'.
        words (str, optional): Word split. Defaults to ``fonts``.
        seed (int): Data-set seed. Defaults to 0.
        clean (bool): Black on white without distortion. Defaults to False.
        charset (str): 'lower_digits' or 'alnum'. Defaults to
            'lower_digits'.
        random_share (float): Share of random strings. Defaults to 0.3.
        mark_share (float): Share of texts shown with punctuation marks,
            which the label leaves out (see
            :class:`~crnn_plugin.synth.WordCorpus`). Defaults to 0.
        color (bool): BGR instead of grayscale images. Defaults to False.
        pipeline (list): Transforms after loading (the image arrives
            decoded, as from :class:`LMDBTextRecogDataset`).
        test_mode (bool): Kept for MMEngine's interface. Defaults to False.

    Example:
        >>> train = dict(type='SynthWordDataset', num_samples=10_000_000,
        ...              pipeline=[...])
    """

    METAINFO: dict = dict()

    def __init__(self,
                 num_samples: int,
                 fonts: str = 'train',
                 words: Optional[str] = None,
                 seed: int = 0,
                 clean: bool = False,
                 charset: str = 'lower_digits',
                 random_share: float = 0.3,
                 mark_share: float = 0.0,
                 color: bool = False,
                 pipeline: Optional[Sequence[Union[dict, Callable]]] = None,
                 test_mode: bool = False) -> None:
        from ..synth import (CLEAN_STYLE, MJSYNTH_STYLE, SynthWordGenerator,
                             WordCorpus, find_font_files)
        if num_samples < 1:
            raise ValueError(f'num_samples must be >= 1, got {num_samples}')
        self.num_samples = int(num_samples)
        self.test_mode = test_mode
        self.generator = SynthWordGenerator(
            WordCorpus(split=words or fonts, random_share=random_share,
                       mark_share=mark_share),
            find_font_files(fonts), charset=charset,
            style=CLEAN_STYLE if clean else MJSYNTH_STYLE, seed=seed,
            color=color)
        self.pipeline = Compose(list(pipeline or []))

    @property
    def metainfo(self) -> dict:
        """Empty meta information (MMEngine's dataset interface)."""
        return dict()

    def full_init(self) -> None:
        """Nothing to load: renders are drawn on demand.

        MMEngine's dataset wrappers (``ConcatDataset``, ``RepeatDataset``)
        call this on the data sets they hold, so mixes such as distorted
        and clean renders can be configured.
        """

    def __len__(self) -> int:
        return self.num_samples

    def get_data_info(self, idx: int) -> dict:
        """The rendered sample ``idx`` before the pipeline."""
        sample = self.generator(int(idx))
        shape = sample.image.shape[:2]
        return dict(img=sample.image, img_shape=shape, ori_shape=shape,
                    img_path=f'synth-{self.generator.seed}-{idx:09d}',
                    sample_idx=int(idx),
                    instances=[dict(text=sample.label)])

    def __getitem__(self, idx: int) -> dict:
        return self.pipeline(self.get_data_info(idx))
