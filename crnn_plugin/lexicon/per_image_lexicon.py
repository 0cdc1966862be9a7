"""Per-image lexicons (IIIT5K 50/1k, SVT 50, IC03 50/Full protocols).

A sample's lexicon is read, in this order, from

1. its metainfo key ``lexicon`` (a list of words), e.g. an annotation entry
   ``{"img_path": ..., "instances": [...], "lexicon": [...]}`` packed with
   ``PackTextRecogInputs(meta_keys=(..., 'lexicon'))``;
2. ``instances[0]['lexicon']`` when ``instances`` was packed as metainfo;
3. a side file: a UTF-8 JSON object ``{"<image key>": ["word", ...]}``
   where the key is the image path, any trailing part of it (e.g.
   ``"test/1002_1.png"``) or its file name.
"""
import json
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Union

from mmocr.models.common.dictionary import Dictionary

from .lexicon import Lexicon


def load_per_image_file(path: str) -> Dict[str, List[str]]:
    """Read a side file mapping image keys to word lists.

    Args:
        path (str): UTF-8 JSON object ``{image_key: [word, ...]}``.

    Returns:
        dict[str, list[str]]: Keys normalised to ``/`` separators.

    Raises:
        FileNotFoundError: Missing file.
        ValueError: Not UTF-8 JSON, or not an object of lists of strings.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Per-image lexicon file not found: {path!r}')
    try:
        with open(path, encoding='utf-8-sig') as f:
            mapping = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f'Per-image lexicon file {path!r} is not UTF-8 '
                         f'JSON: {e}') from None
    if not isinstance(mapping, dict) or not mapping:
        raise ValueError(f'Per-image lexicon file {path!r} must hold a '
                         'non-empty JSON object {image_key: [words]}')
    for key, words in mapping.items():
        if not isinstance(words, list) or not all(
                isinstance(w, str) for w in words):
            raise ValueError(f'{path!r}: the lexicon of {key!r} is not a '
                             'list of strings')
    return {_normalise(k): v for k, v in mapping.items()}


def _normalise(key: str) -> str:
    key = key.replace('\\', '/')
    while key.startswith('./'):
        key = key[2:]
    return key


def lookup_image(mapping: Dict[str, List[str]],
                 img_path: str) -> Optional[List[str]]:
    """Words of ``img_path``: its full path, then shorter trailing parts.

    Example:
        >>> m = {'test/1002_1.png': ['a'], '7.png': ['b']}
        >>> lookup_image(m, 'data/iiit5k/test/1002_1.png')
        ['a']
        >>> lookup_image(m, '/x/7.png'), lookup_image(m, '8.png')
        (['b'], None)
    """
    parts = _normalise(img_path).split('/')
    for start in range(len(parts)):
        words = mapping.get('/'.join(parts[start:]))
        if words is not None:
            return words
    return None


def sample_lexicon_words(data_sample,
                         mapping: Optional[Dict[str, List[str]]] = None
                         ) -> Optional[List[str]]:
    """The per-image lexicon of a data sample, or None if it has none.

    Args:
        data_sample (TextRecogDataSample): The sample (metainfo read).
        mapping (dict, optional): A side file from
            :func:`load_per_image_file`. Defaults to None.

    Returns:
        list[str] or None: The words.
    """
    words = data_sample.get('lexicon')
    if words is None:
        instances = data_sample.get('instances')
        if instances and isinstance(instances[0], dict):
            words = instances[0].get('lexicon')
    if words is None and mapping is not None:
        img_path = data_sample.get('img_path')
        if img_path:
            words = lookup_image(mapping, img_path)
    return None if words is None else list(words)


class LexiconCache:
    """Builds :class:`Lexicon` objects for word lists, keeping the last few.

    Per-image lexicons repeat (IC03 "Full", IIIT5K 1k lists shared by many
    images), so each distinct list is folded and encoded once.

    Args:
        dictionary (Dictionary): The model's dictionary.
        case_fold (str): See :class:`Lexicon`. Defaults to ``'auto'``.
        maxsize (int): Lexicons kept. Defaults to 256.
    """

    def __init__(self, dictionary: Dictionary, case_fold: str = 'auto',
                 maxsize: int = 256) -> None:
        self.dictionary = dictionary
        self.case_fold = case_fold
        self.maxsize = maxsize
        self._cache: 'OrderedDict[tuple, Lexicon]' = OrderedDict()

    def get(self, words: Sequence[Union[str, Sequence]]) -> Lexicon:
        """The (cached) lexicon of ``words``."""
        key = tuple(w if isinstance(w, str) else tuple(w) for w in words)
        lexicon = self._cache.get(key)
        if lexicon is None:
            lexicon = Lexicon(key, self.dictionary, self.case_fold,
                              source='<per-image>')
            self._cache[key] = lexicon
            if len(self._cache) > self.maxsize:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return lexicon
