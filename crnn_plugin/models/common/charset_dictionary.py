"""Character dictionaries for CTC recognition, with named presets."""
import os.path as osp
from typing import Optional

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

DICT_DIR = osp.join(osp.dirname(osp.dirname(osp.dirname(__file__))), 'dicts')

#: Preset name -> number of characters (without special tokens).
CHARSETS = {
    'lower_digits': 36,  # paper §3.2: 26 lowercase letters + 10 digits
    'alnum': 62,  # case-sensitive letters + digits
    'printable': 94,  # printable ASCII without the space
}


@TASK_UTILS.register_module()
class CharsetDictionary(Dictionary):
    """MMOCR :class:`Dictionary` built from a named preset character set.

    The CTC blank is MMOCR's padding token, so ``with_padding`` defaults to
    True and the blank is the *last* class (``padding_idx``). With the
    paper's 36 characters the model therefore has 37 outputs.

    Args:
        charset (str): One of ``'lower_digits'`` (0-9a-z, the paper's 36
            classes), ``'alnum'`` (0-9a-zA-Z) or ``'printable'`` (ASCII
            0x21-0x7E). Ignored when ``dict_file`` is given. Defaults to
            ``'lower_digits'``.
        dict_file (str, optional): A one-character-per-line file that
            overrides ``charset``. Defaults to None.
        with_padding (bool): Add the padding token used as CTC blank.
            Defaults to True.
        **kwargs: Other arguments of :class:`mmocr.models.Dictionary`.

    Example:
        >>> d = CharsetDictionary('lower_digits')
        >>> d.num_classes, d.padding_idx, d.idx2str(d.str2idx('crnn42'))
        (37, 36, 'crnn42')
    """

    def __init__(self,
                 charset: str = 'lower_digits',
                 dict_file: Optional[str] = None,
                 with_padding: bool = True,
                 **kwargs) -> None:
        if dict_file is None:
            if charset not in CHARSETS:
                raise ValueError(f'Unknown charset {charset!r}; choose one '
                                 f'of {sorted(CHARSETS)} or give dict_file')
            dict_file = osp.join(DICT_DIR, f'{charset}.txt')
        self.charset = charset
        super().__init__(
            dict_file=dict_file, with_padding=with_padding, **kwargs)

    def contains(self, char: str) -> bool:
        """Whether ``char`` is an ordinary (non-special) dictionary entry."""
        idx = self._char2idx.get(char)
        return idx is not None and idx not in (self.padding_idx,
                                               self.unknown_idx,
                                               self.start_idx, self.end_idx)
