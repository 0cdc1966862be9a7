"""Extract a word list (one word per line) from a hunspell ``.dic`` file.

The paper's 50k lexicon is "the words in the Hunspell spell-checking
dictionary" (§3.1). Debian's ``hunspell-en-us`` ships
``/usr/share/hunspell/en_US.dic`` (about 79k stems)::

    apt-get install -y hunspell-en-us
    python tools/data/hunspell_to_words.py /usr/share/hunspell/en_US.dic \\
        -o data/lexicons/hunspell_en_us_50k.txt --max-words 50000

Each ``.dic`` line is ``word[/FLAGS][ morphological fields]`` after a first
line holding the entry count. The word is kept as written (affix flags are
stripped, affixes are not expanded), then filtered with the model's
dictionary exactly as :func:`crnn_plugin.lexicon.load_lexicon` would:
folded to the dictionary's case, words with other characters (apostrophes,
accents, ...) dropped and counted, case-folded duplicates dropped keeping
the first spelling. ``--max-words`` keeps a seeded random sample (in file
order).
"""
import argparse
import os
import os.path as osp
import random
import re
import sys
from typing import Dict, List, Optional, Set

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from crnn_plugin.lexicon import Lexicon  # noqa: E402
from crnn_plugin.models.common import CHARSETS, CharsetDictionary  # noqa


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


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dic', help='hunspell .dic file')
    parser.add_argument('-o', '--out', required=True, help='output .txt')
    parser.add_argument(
        '--charset', default='lower_digits', choices=sorted(CHARSETS),
        help='keep words made of this CharsetDictionary preset')
    parser.add_argument('--dict-file', help='or of this dictionary file')
    parser.add_argument('--case-fold', default='auto',
                        choices=['auto', 'lower', 'upper', 'none'])
    parser.add_argument('--max-words', type=int,
                        help='keep a random sample of this many words')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--encoding', help="default: the .aff's SET")
    args = parser.parse_args(argv)

    raw = read_dic_words(args.dic, args.encoding)
    dictionary = CharsetDictionary(args.charset, dict_file=args.dict_file)
    lexicon = Lexicon(raw, dictionary, args.case_fold, source=args.dic)
    words = lexicon.words
    if args.max_words is not None and args.max_words < len(words):
        keep = sorted(random.Random(args.seed).sample(
            range(len(words)), args.max_words))
        words = [words[i] for i in keep]
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8') as f:
        f.writelines(w + '\n' for w in words)
    print(f'{args.dic}: {len(raw)} entries; dropped {lexicon.num_oov} with '
          f'characters outside {args.dict_file or args.charset} (e.g. '
          f'{lexicon.oov_examples[:3]}), {lexicon.num_duplicates} '
          f'duplicates after {lexicon.case_fold!r} case folding; wrote '
          f'{len(words)} words to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
