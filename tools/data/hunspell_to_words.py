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
import sys
from typing import List, Optional

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from crnn_plugin.lexicon import Lexicon, read_dic_words  # noqa: E402
from crnn_plugin.models.common import CHARSETS, CharsetDictionary  # noqa


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
