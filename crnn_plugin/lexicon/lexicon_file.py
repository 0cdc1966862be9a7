"""Loading a global lexicon file, cached per process."""
import os
import os.path as osp
from collections import OrderedDict
from typing import List, Union

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

from .lexicon import Lexicon


def read_word_file(path: str) -> List[str]:
    """Read a UTF-8 word list, one word per line (a BOM is allowed).

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: It is not UTF-8 or holds no word.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Lexicon file not found: {path!r}')
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b'\n') + 1
        raise ValueError(f'Lexicon file {path!r} is not UTF-8: byte '
                         f'{raw[e.start]:#04x} at line {line}') from None
    words = [line.strip() for line in text.splitlines()]
    if not any(words):
        raise ValueError(f'Lexicon file {path!r} is empty')
    return words


_FILE_CACHE: 'OrderedDict[tuple, Lexicon]' = OrderedDict()
_FILE_CACHE_SIZE = 8


def load_lexicon(path: str,
                 dictionary: Union[Dictionary, dict],
                 case_fold: str = 'auto') -> Lexicon:
    """Load a global lexicon file, reusing it (and its tree) when unchanged.

    Cached in memory by ``(real path, mtime, size, case_fold, dictionary
    entries)``, so the 50k-word tree is built once per process.

    Args:
        path (str): UTF-8 file with one word per line; blank lines and
            duplicates are skipped, words with characters outside the
            dictionary are counted, excluded and reported in one warning.
        dictionary (dict or Dictionary): The model's dictionary.
        case_fold (str): See :class:`Lexicon`. Defaults to ``'auto'``.

    Returns:
        Lexicon: The lexicon.

    Raises:
        FileNotFoundError: Missing file.
        ValueError: Not UTF-8, empty, or no word left after filtering.
    """
    if isinstance(dictionary, dict):
        dictionary = TASK_UTILS.build(dictionary)
    real = osp.realpath(path)
    stat = os.stat(real) if osp.isfile(real) else None
    key = (real, stat and stat.st_mtime_ns, stat and stat.st_size, case_fold,
           tuple(dictionary.dict))
    if key in _FILE_CACHE:
        _FILE_CACHE.move_to_end(key)
        return _FILE_CACHE[key]
    lexicon = Lexicon(read_word_file(path), dictionary, case_fold, path)
    lexicon.log_summary()
    if len(lexicon) == 0:
        raise ValueError(f'Lexicon file {path!r} has no word made of the '
                         f'dictionary\'s characters: {lexicon!r}')
    _FILE_CACHE[key] = lexicon
    if len(_FILE_CACHE) > _FILE_CACHE_SIZE:
        _FILE_CACHE.popitem(last=False)
    return lexicon
