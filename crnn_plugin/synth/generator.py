"""Sample index -> (word image, label), deterministic per (seed, index).

Each sample draws from its own generator seeded with (seed, word split,
index) (:meth:`SynthWordGenerator.rng`), so a data set is identical whether
it is rendered by 1 or N worker processes and in any order;
:func:`iter_encoded` keeps the index order.
"""
import multiprocessing as mp
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .backgrounds import natural_images
from .corpus import CHARSET_CHARS, SHOWN_CHARS, WORD_SPLITS, WordCorpus
from .fonts import FontFile
from .glyph_coverage import font_coverage
from .render import render_word
from .style import MJSYNTH_STYLE, RenderStyle


@dataclass
class SynthSample:
    """One rendered sample.

    Args:
        image (np.ndarray): uint8 (32, W) grayscale or (32, W, 3) BGR.
        label (str): Ground truth in the generator's charset.
        text (str): The text as drawn (case preserved).
        font (FontFile): The font used.
        redraws (int): Draws rejected because the font lacks a glyph.
        encoded (bytes, optional): JPEG bytes of ``image`` when JPEG
            artefacts were applied.
    """
    image: np.ndarray
    label: str
    text: str
    font: FontFile
    redraws: int
    encoded: Optional[bytes] = None

    def to_bytes(self) -> bytes:
        """The image encoded (its JPEG bytes, else PNG)."""
        if self.encoded is not None:
            return self.encoded
        ok, buf = cv2.imencode('.png', self.image,
                               [cv2.IMWRITE_PNG_COMPRESSION, 3])
        if not ok:
            raise RuntimeError('PNG encoding failed')
        return buf.tobytes()


def family_cdf(groups: Sequence[str]) -> np.ndarray:
    """Cumulative draw probabilities of families given their groups.

    Each family weighs ``1 / sqrt(n)``, ``n`` the number of families in its
    group (package), so a group's share grows with ``sqrt(n)``.

    Example:
        >>> family_cdf(['a', 'b', 'b', 'b', 'b']).round(3).tolist()
        [0.333, 0.5, 0.667, 0.833, 1.0]
    """
    counts = Counter(groups)
    weights = np.array([1 / np.sqrt(counts[g]) for g in groups])
    return np.cumsum(weights / weights.sum())


class SynthWordGenerator:
    """Renders word images from a corpus and a set of fonts.

    Args:
        corpus (WordCorpus): Text sampler.
        fonts (Sequence[FontFile]): Fonts to draw from, e.g. from
            :func:`~.fonts.find_font_files`: a family is drawn with weight
            ``1 / sqrt(families of its package)`` (a package of hundreds of
            display faces does not drown the text faces), then a file of
            it uniformly.
        charset (str): 'lower_digits' (labels case-folded, the paper's 36
            classes) or 'alnum'. Defaults to 'lower_digits'.
        style (RenderStyle): Rendering parameters. Defaults to
            :data:`~.style.MJSYNTH_STYLE` (``CLEAN_STYLE`` for clean).
        seed (int): Data-set seed. Defaults to 0.
        height (int): Image height. Defaults to 32.
        color (bool): BGR output instead of grayscale. Defaults to False.
        max_redraws (int): Give up (``RuntimeError``) after this many
            draws without glyph coverage. Defaults to 100.

    Example:
        >>> from crnn_plugin.synth.fonts import BUILTIN_FONT
        >>> gen = SynthWordGenerator(
        ...     WordCorpus(word_lists=(), words=['Hello']),
        ...     [FontFile(BUILTIN_FONT, 'Aileron')], seed=1)
        >>> s = gen(0)
        >>> s.image.shape[0], s.label == s.text.lower()
        (32, True)
    """

    def __init__(self,
                 corpus: WordCorpus,
                 fonts: Sequence[FontFile],
                 charset: str = 'lower_digits',
                 style: RenderStyle = MJSYNTH_STYLE,
                 seed: int = 0,
                 height: int = 32,
                 color: bool = False,
                 max_redraws: int = 100) -> None:
        if charset not in CHARSET_CHARS:
            raise ValueError(f'charset must be one of {sorted(CHARSET_CHARS)}')
        if not fonts:
            raise ValueError('no fonts given')
        self.corpus = corpus
        self.fonts = list(fonts)
        by_family: Dict[str, List[FontFile]] = {}
        for font in self.fonts:  # families in first-seen order
            by_family.setdefault(font.family, []).append(font)
        self.families: List[Tuple[str, List[FontFile]]] = list(
            by_family.items())
        self.family_cdf = family_cdf([files[0].package or name
                                      for name, files in self.families])
        self.charset = charset
        self._label_chars = frozenset(CHARSET_CHARS[charset])
        self.style = style
        self.seed = int(seed)
        self.height = int(height)
        self.channels = 3 if color else 1
        self.max_redraws = int(max_redraws)

    def prepare(self) -> 'SynthWordGenerator':
        """Fill the per-process caches (glyph coverage of every font, the
        natural images) now, e.g. before forking workers that inherit them.

        Returns:
            SynthWordGenerator: ``self``.
        """
        for font in self.fonts:
            font_coverage(font.path, SHOWN_CHARS)
        if self.style.background_probs[3] > 0 or self.style.blend_prob > 0:
            natural_images(self.channels)
        return self

    def rng(self, index: int) -> np.random.Generator:
        """The random generator of sample ``index``.

        Seeded with (seed, word split, index): training and held-out sets
        made with the same seed share no random strings, while a clean and a
        distorted set with the same seed and split show the same texts in
        the same fonts (text and font are drawn first).
        """
        split = WORD_SPLITS.index(self.corpus.split)
        return np.random.default_rng([self.seed, split, int(index)])

    def covers(self, font: FontFile, text: str) -> bool:
        """Whether ``font`` draws every character of ``text`` (no tofu)."""
        return set(text) <= font_coverage(font.path, SHOWN_CHARS)

    def draw_text_and_font(self, rng: np.random.Generator
                           ) -> Tuple[str, FontFile, int]:
        """Draw (text, font) until the font covers the text.

        Returns:
            tuple: text, font and the number of rejected draws.
        """
        for redraws in range(self.max_redraws + 1):
            text = self.corpus.sample(rng)
            pick = np.searchsorted(self.family_cdf, rng.random(), 'right')
            _, files = self.families[min(int(pick), len(self.families) - 1)]
            font = files[int(rng.integers(len(files)))]
            if self.covers(font, text):
                return text, font, redraws
        raise RuntimeError(
            f'{self.max_redraws} draws without a font covering the text '
            f'(last: {text!r} in {font.path}); check the fonts')

    def label_of(self, text: str) -> str:
        """Ground truth of drawn ``text`` in the charset (marks left out)."""
        if self.charset == 'lower_digits':
            text = text.lower()
        return ''.join(c for c in text if c in self._label_chars)

    def __call__(self, index: int) -> SynthSample:
        """Render sample ``index``.

        Args:
            index (int): Sample index (>= 0).

        Returns:
            SynthSample: Image, label and provenance.
        """
        rng = self.rng(index)
        text, font, redraws = self.draw_text_and_font(rng)
        neighbours = ('', '')
        if rng.random() < self.style.neighbour_prob:
            neighbours = tuple(  # type: ignore[assignment]
                word if self.covers(font, word) else ''
                for word in (self.corpus.sample(rng),
                             self.corpus.sample(rng)))
        image, encoded = render_word(text, font.path, rng, self.style,
                                     self.height, self.channels, neighbours)
        return SynthSample(image, self.label_of(text), text, font, redraws,
                           encoded)

    def encode(self, index: int) -> Tuple[bytes, str, str, int]:
        """Encoded sample ``index``: (image bytes, label, family, redraws)."""
        sample = self(index)
        return sample.to_bytes(), sample.label, sample.font.family, \
            sample.redraws


_WORKER_GEN: Optional[SynthWordGenerator] = None


def _init_worker(generator: SynthWordGenerator) -> None:
    # No cv2 call here: OpenCV's thread pool state comes from the parent,
    # which switched it to one thread before forking (see iter_encoded).
    global _WORKER_GEN
    _WORKER_GEN = generator


def _encode_in_worker(index: int) -> Tuple[bytes, str, str, int]:
    return _WORKER_GEN.encode(index)  # type: ignore[union-attr]


def iter_encoded(generator: SynthWordGenerator,
                 num: int,
                 workers: int = 1,
                 start: int = 0,
                 chunksize: int = 64) -> Iterator[Tuple[bytes, str, str,
                                                        int]]:
    """Encoded samples ``start .. start+num-1`` in index order.

    Args:
        generator (SynthWordGenerator): The generator (sent to each worker).
        num (int): Number of samples.
        workers (int): Processes; 1 renders in this process. Defaults to 1.
        start (int): First index. Defaults to 0.
        chunksize (int): Indices per task. Defaults to 64.

    Yields:
        tuple: (image bytes, label, font family, redraws) per index.
    """
    indices = range(start, start + num)
    generator.prepare()  # forked workers inherit the caches
    # OpenCV's thread pool must not be running when the workers fork: a
    # forked child that touches it deadlocks (pthread_cond_destroy on the
    # parent's condition variables). One thread is also fastest for these
    # tiny images. The caller's setting is restored afterwards.
    num_threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        if workers <= 1:
            for index in indices:
                yield generator.encode(index)
            return
        with mp.Pool(workers, initializer=_init_worker,
                     initargs=(generator, )) as pool:
            yield from pool.imap(_encode_in_worker, indices,
                                 chunksize=chunksize)
    finally:
        cv2.setNumThreads(num_threads)
