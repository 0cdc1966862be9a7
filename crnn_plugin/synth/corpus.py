"""Text sampler: English words from Debian word lists plus random strings.

Words come from ``/usr/share/dict/american-english`` (Debian ``wamerican``)
and the stems of ``/usr/share/hunspell/en_US.dic`` (``hunspell-en-us``,
affix flags stripped; the paper's 50k lexicon is drawn from the same
dictionary, §3.1). A configurable share of samples are random strings
(digit runs, letter runs in random case, mixed alphanumerics) so a model
trained on them is not bound to the lexicon. Words are shown in their own,
lower, UPPER or Title case, as in MJSynth. Optionally (``mark_share``) a
text carries the marks that real word crops show: a possessive, a
hyphenated compound, trailing punctuation, quotes or brackets, or a number
with separators ("$12.50", "3:45"). Marks are drawn but are no class of
the charsets, so the label leaves them out, as MMOCR's case- and
symbol-insensitive word accuracy does.

About 10% of the (case-folded) words are held out for validation, chosen by
a stable hash (CRC-32), so the split is the same on every machine and
independent of the word lists' order.
"""
import os.path as osp
import string
import zlib
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..lexicon.hunspell import read_dic_words

#: Characters of each charset preset (as ``crnn_plugin/dicts/*.txt``).
CHARSET_CHARS: Dict[str, str] = {
    'lower_digits': string.digits + string.ascii_lowercase,
    'alnum': string.digits + string.ascii_lowercase + string.ascii_uppercase,
}

#: Word list file -> Debian package that installs it.
WORD_LISTS: Dict[str, str] = {
    '/usr/share/dict/american-english': 'wamerican',
    '/usr/share/hunspell/en_US.dic': 'hunspell-en-us',
}

WORD_SPLITS = ('train', 'val', 'all')

#: Marks drawn around or inside words (never in a label).
MARKS = "'-.,:;!?\"()/$%"

#: Every character a sample may show.
SHOWN_CHARS = CHARSET_CHARS['alnum'] + MARKS

#: Percent of words held out for validation.
VAL_PERCENT = 10


class MissingWordListError(FileNotFoundError):
    """A word list is not installed; the message names the package."""


def is_val_word(word: str) -> bool:
    """Whether ``word`` (case-folded) is held out for validation.

    Example:
        >>> is_val_word('Hello') == is_val_word('hello')
        True
    """
    return zlib.crc32(word.lower().encode('utf-8')) % 100 < VAL_PERCENT


def read_word_list(path: str) -> List[str]:
    """Words of a plain list or a hunspell ``.dic`` (flags stripped).

    Args:
        path (str): ``*.dic`` (first line = entry count, ``word/FLAGS``) or
            a text file with one word per line.

    Returns:
        list[str]: Words in file order.

    Raises:
        MissingWordListError: File missing (names the Debian package for
            the default lists).
    """
    if not osp.isfile(path):
        pkg = WORD_LISTS.get(path)
        hint = f'; install it: apt-get install -y {pkg}' if pkg else ''
        raise MissingWordListError(f'word list not found: {path}{hint}')
    if path.endswith('.dic'):
        return read_dic_words(path)
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().splitlines()
    return [w.strip() for w in lines if w.strip()]


class WordCorpus:
    """Samples the text of one word image (letters of both cases and
    digits; the generator folds the label for case-insensitive charsets).

    Args:
        split (str): Words of 'train', 'val' (held out) or 'all'.
            Defaults to 'train'.
        word_lists (Sequence[str], optional): Files to read. Defaults to
            the keys of :data:`WORD_LISTS`.
        words (Sequence[str], optional): Extra words (e.g. for tests that
            run without the Debian lists: pass ``word_lists=()``).
        random_share (float): Share of random strings. Defaults to 0.3.
        min_len (int): Shortest word / random string. Defaults to 1.
        max_len (int): Longest word / random string. Defaults to 16.
        case_probs (Sequence[float]): Probabilities of showing a word as
            written, lower, UPPER, Title. Defaults to (0.4, 0.3, 0.15, 0.15).
        mark_share (float): Share of samples shown with marks
            (:meth:`add_marks`). Defaults to 0 (the stream of texts is then
            the same as without the option).

    Example:
        >>> corpus = WordCorpus(word_lists=(), words=['cat', 'dog'])
        >>> rng = np.random.default_rng(0)
        >>> len(corpus.sample(rng)) > 0
        True
    """

    def __init__(self,
                 split: str = 'train',
                 word_lists: Optional[Sequence[str]] = None,
                 words: Optional[Sequence[str]] = None,
                 random_share: float = 0.3,
                 min_len: int = 1,
                 max_len: int = 16,
                 case_probs: Sequence[float] = (0.4, 0.3, 0.15, 0.15),
                 mark_share: float = 0.0) -> None:
        if split not in WORD_SPLITS:
            raise ValueError(f'split must be one of {WORD_SPLITS}')
        if not 0 <= random_share <= 1:
            raise ValueError(f'random_share must be in [0, 1]: {random_share}')
        if not 0 <= mark_share <= 1:
            raise ValueError(f'mark_share must be in [0, 1]: {mark_share}')
        self.split = split
        self.random_share = float(random_share)
        self.mark_share = float(mark_share)
        self.min_len, self.max_len = int(min_len), int(max_len)
        probs = np.asarray(case_probs, dtype=float)
        self._case_cdf = np.cumsum(probs / probs.sum())
        allowed = set(CHARSET_CHARS['alnum'])  # shown text may use capitals
        raw: List[str] = list(words or [])
        for path in (WORD_LISTS if word_lists is None else word_lists):
            raw.extend(read_word_list(path))
        keep = {
            w for w in raw if self.min_len <= len(w) <= self.max_len
            and set(w) <= allowed and (split == 'all' or is_val_word(w) ==
                                       (split == 'val'))
        }
        self.words: Tuple[str, ...] = tuple(sorted(keep))
        if not self.words and self.random_share < 1:
            raise ValueError('no words left for the corpus (word lists '
                             'empty or filtered out); use random_share=1')
        self._val_folded = frozenset(
            w.lower() for w in raw if split == 'train' and is_val_word(w))

    def __len__(self) -> int:
        return len(self.words)

    def sample_word(self, rng: np.random.Generator) -> str:
        """A lexicon word in a random case variant."""
        word = self.words[int(rng.integers(len(self.words)))]
        case = min(3, int(np.searchsorted(self._case_cdf, rng.random(),
                                          side='right')))
        if case == 1:
            return word.lower()
        if case == 2:
            return word.upper()
        if case == 3:
            return word[:1].upper() + word[1:].lower()
        return word

    def sample_random(self, rng: np.random.Generator) -> str:
        """A random string: digits, letters or a mix (random case).

        In the 'train' split strings equal to a held-out word are re-drawn.
        """
        while True:
            length = int(rng.integers(self.min_len, min(self.max_len, 12) + 1))
            kind = int(rng.integers(3))  # 0 digits, 1 letters, 2 mixed
            case = int(rng.integers(3))  # 0 lower, 1 upper, 2 mixed
            letters = (string.ascii_lowercase, string.ascii_uppercase,
                       string.ascii_letters)[case]
            pool = (string.digits, letters, letters + string.digits)[kind]
            text = ''.join(pool[i] for i in rng.integers(len(pool),
                                                         size=length))
            if text.lower() not in self._val_folded:
                return text

    def add_marks(self, text: str, rng: np.random.Generator) -> str:
        """``text`` with marks: one of a possessive (``text's``), a
        hyphenated compound with another word, trailing punctuation, quotes
        or brackets around it, or (for digits) separators and units.

        The alphanumeric characters stay ``text``'s, in order, followed by
        a possessive's ``s`` or a compound's second word; they never grow
        past ``max_len``.

        Example:
            >>> corpus = WordCorpus(word_lists=(), words=['cat'])
            >>> marked = corpus.add_marks('dog', np.random.default_rng(0))
            >>> ''.join(c for c in marked if c.isalnum()).startswith('dog')
            True
        """
        # 0 possessive, 1 compound, 2 trailing, 3 enclosed, 4 number
        # (digits) or compound; a compound too long ends in punctuation.
        kind = int(rng.integers(5))
        if text.isdigit() and kind == 4:
            cut = int(rng.integers(1, len(text))) if len(text) > 1 else 0
            head, tail = text[:cut], text[cut:]
            sep = ('.', ':', ',', '/')[int(rng.integers(4))]
            number = f'{head}{sep}{tail}' if head else tail
            unit = int(rng.integers(3))
            return ('$' + number, number + '%', number)[unit]
        if kind == 0:
            return text + "'s" if len(text) < self.max_len else text + "'"
        if kind in (1, 4) and self.words:
            other = self.sample_word(rng)
            if len(text) + len(other) <= self.max_len:
                return f'{text}-{other}'
        if kind in (1, 2, 4):
            return text + '.,:;!?'[int(rng.integers(6))]
        pair = ('""', '()', "''")[int(rng.integers(3))]
        return pair[0] + text + pair[1]

    def sample(self, rng: np.random.Generator) -> str:
        """Text to render (letters of both cases and digits, with
        :data:`MARKS` in ``mark_share`` of the samples).

        Args:
            rng (np.random.Generator): Source of randomness.

        Returns:
            str: Text with at least one alphanumeric character.
        """
        if not self.words or rng.random() < self.random_share:
            text = self.sample_random(rng)
        else:
            text = self.sample_word(rng)
        if self.mark_share and rng.random() < self.mark_share:
            text = self.add_marks(text, rng)
        return text
