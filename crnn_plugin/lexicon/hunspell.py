"""Reading hunspell ``.dic`` files (the paper's 50k lexicon source, §3.1).

Each ``.dic`` line is ``word[/FLAGS][ morphological fields]`` after a first
line holding the entry count; the sibling ``.aff`` gives the encoding
(``SET``), the flag syntax (``FLAG``) and flags of stems that are not words
on their own.
"""
import os.path as osp
import re
from typing import Dict, List, Optional, Set

__all__ = ['read_dic_words', 'read_aff', 'split_flags', 'NOT_A_WORD']

#: 'word/FLAGS po:noun': the word ends at an unescaped '/' or at whitespace
#: ('\/' is a literal slash); flags end at whitespace.
_ENTRY = re.compile(r'((?:\\/|[^/\s])*)(?:/(\S*))?')

#: .aff options whose flag marks a stem that is not a word on its own.
NOT_A_WORD = ('ONLYINCOMPOUND', 'NEEDAFFIX', 'FORBIDDENWORD')


def read_aff(dic_path: str) -> Dict[str, str]:
    """``SET``, ``FLAG`` and the :data:`NOT_A_WORD` options of the sibling
    ``.aff`` file (``{}`` if there is none)."""
    aff = osp.splitext(dic_path)[0] + '.aff'
    options = {}
    if osp.isfile(aff):
        with open(aff, 'rb') as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0].decode('latin-1') in (
                        'SET', 'FLAG') + NOT_A_WORD:
                    options[parts[0].decode('latin-1')] = parts[1]
    encoding = options.get('SET', b'utf-8').decode('ascii')
    return {k: v.decode(encoding) for k, v in options.items()}


def split_flags(flags: str, flag_type: str) -> Set[str]:
    """Hunspell flags of one entry for ``FLAG`` type ``flag_type``.

    Example:
        >>> sorted(split_flags('tc', 'ASCII'))
        ['c', 't']
        >>> sorted(split_flags('1,23', 'num'))
        ['1', '23']
        >>> sorted(split_flags('AaBb', 'long'))
        ['Aa', 'Bb']
    """
    if flag_type == 'long':
        return {flags[i:i + 2] for i in range(0, len(flags), 2)}
    if flag_type == 'num':
        return set(flags.split(','))
    return set(flags)


def read_dic_words(path: str, encoding: Optional[str] = None) -> List[str]:
    """Stems of a hunspell ``.dic`` file, affix flags stripped.

    Stems flagged ``ONLYINCOMPOUND``/``NEEDAFFIX``/``FORBIDDENWORD`` in the
    ``.aff`` (e.g. en_US's ``1th``, only valid inside ``11th``) are skipped.

    Args:
        path (str): The ``.dic`` file.
        encoding (str, optional): Defaults to the ``.aff``'s ``SET``.

    Returns:
        list[str]: Words in file order (blank and comment lines skipped).

    Raises:
        FileNotFoundError: Missing file.
        ValueError: Undecodable bytes.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'hunspell .dic file not found: {path!r}')
    aff = read_aff(path)
    encoding = encoding or aff.get('SET', 'utf-8')
    not_a_word = {aff[k] for k in NOT_A_WORD if k in aff}
    try:
        with open(path, encoding=encoding) as f:
            lines = f.read().splitlines()
    except UnicodeDecodeError as e:
        raise ValueError(f'{path!r} is not {encoding}: {e}') from None
    if lines and lines[0].strip().isdigit():
        lines = lines[1:]  # approximate entry count
    words = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        word, flags = _ENTRY.match(line).groups()
        if not_a_word & split_flags(flags or '', aff.get('FLAG', 'ASCII')):
            continue
        words.append(word.replace('\\/', '/'))
    return words
