"""Token dictionary of pitches for optical music recognition (paper §3.4)."""
from typing import List, Optional, Sequence

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

from .pitch_tokens import (ACCIDENTALS, STEPS, TOKEN_RE,  # noqa: F401
                           position_names, staff_position, strip_accidental)


@TASK_UTILS.register_module()
class PitchDictionary(Dictionary):
    """MMOCR :class:`Dictionary` whose entries are pitch tokens.

    Labels are whitespace-separated tokens (one per printed notehead), not
    characters, so ``tokenize``/``str2idx``/``idx2str`` work per token.

    Vocabulary, generated from a range of diatonic staff positions
    (``lowest``..``highest`` inclusive; the default C2..C7 is 36 positions,
    i.e. bass and treble staff with ample ledger lines):

    - ``mode='pitch'``: every position with each accidental of
      :data:`ACCIDENTALS` (``'' '#' 'b' '##' 'bb'``), position-major:
      ``C2 C#2 Cb2 C##2 Cbb2 D2 ...`` -> 36 x 5 = 180 tokens.
    - ``mode='paper'``: the staff positions only (``C2 D2 ... C7``), the
      paper's C-major simplification -> 36 tokens. :meth:`tokenize` strips
      accidentals, so pitch-mode labels (``'C#5 Bb4'``) serve both modes.

    The CTC blank is MMOCR's padding token and always the *last* class (an
    optional unknown token is placed before it), as in
    :class:`crnn_plugin.models.CharsetDictionary`; ``num_classes`` is the
    number of tokens + 1 (181 / 37 with the defaults).

    Args:
        mode (str): ``'pitch'`` or ``'paper'``. Defaults to ``'pitch'``.
        lowest (str): Lowest staff position. Defaults to ``'C2'``.
        highest (str): Highest staff position. Defaults to ``'C7'``.
        with_padding (bool): Add the padding token used as CTC blank.
            Defaults to True.
        with_start, with_end, same_start_end, with_unknown, start_token,
            end_token, start_end_token, padding_token, unknown_token: As in
            :class:`mmocr.models.Dictionary` (which takes a ``dict_file``
            instead of a range).

    Example:
        >>> d = PitchDictionary()
        >>> d.num_classes, d.padding_idx
        (181, 180)
        >>> d.idx2str(d.str2idx('C#5 Bb4 F##4'))
        'C#5 Bb4 F##4'
        >>> PitchDictionary(mode='paper').tokenize('C#5 Bb4')
        ['C5', 'B4']
    """

    MODES = ('pitch', 'paper')

    def __init__(self,
                 mode: str = 'pitch',
                 lowest: str = 'C2',
                 highest: str = 'C7',
                 with_padding: bool = True,
                 with_start: bool = False,
                 with_end: bool = False,
                 same_start_end: bool = False,
                 with_unknown: bool = False,
                 start_token: str = '<BOS>',
                 end_token: str = '<EOS>',
                 start_end_token: str = '<BOS/EOS>',
                 padding_token: str = '<PAD>',
                 unknown_token: str = '<UKN>') -> None:
        if mode not in self.MODES:
            raise ValueError(f'mode must be one of {self.MODES}, got {mode!r}')
        self.mode = mode
        self.lowest, self.highest = lowest, highest
        self.with_start = with_start
        self.with_end = with_end
        self.same_start_end = same_start_end
        self.with_padding = with_padding
        self.with_unknown = with_unknown
        self.start_end_token = start_end_token
        self.start_token = start_token
        self.end_token = end_token
        self.padding_token = padding_token
        self.unknown_token = unknown_token

        self._dict = self.vocabulary()
        self._update_dict()
        self._blank_last()

    def vocabulary(self) -> List[str]:
        """The ordinary tokens, in index order (see the class docstring)."""
        positions = position_names(self.lowest, self.highest)
        if self.mode == 'paper':
            return list(positions)
        return [
            f'{p[0]}{acc}{p[1:]}' for p in positions for acc in ACCIDENTALS
        ]

    def _blank_last(self) -> None:
        """Move the padding (CTC blank) token behind the unknown token."""
        if self.padding_idx is None or self.padding_idx == len(self._dict) - 1:
            return
        self._dict.append(self._dict.pop(self.padding_idx))
        self._char2idx = {tok: i for i, tok in enumerate(self._dict)}
        self.padding_idx = len(self._dict) - 1
        if self.unknown_idx is not None:
            self.unknown_idx = self._char2idx[self.unknown_token]

    def tokenize(self, text: str) -> List[str]:
        """Split a label into tokens; paper mode strips the accidentals.

        Args:
            text (str): Space-separated pitch tokens, e.g. ``'C#5 D5'``.

        Returns:
            list[str]: The tokens, e.g. ``['C#5', 'D5']`` (pitch mode) or
            ``['C5', 'D5']`` (paper mode).
        """
        tokens = text.split()
        if self.mode == 'paper':
            tokens = [strip_accidental(t) for t in tokens]
        return tokens

    def contains(self, token: str) -> bool:
        """Whether ``token`` is an ordinary (non-special) dictionary entry."""
        idx = self._char2idx.get(token)
        return idx is not None and idx not in (self.padding_idx,
                                               self.unknown_idx,
                                               self.start_idx, self.end_idx)

    def char2idx(self, char: str, strict: bool = True) -> Optional[int]:
        """Index of one token (a multi-character string such as ``'C#5'``).

        Args:
            char (str): The token.
            strict (bool): Raise for an unknown token (when the dictionary
                has no unknown token); otherwise return None.
                Defaults to True.

        Returns:
            int or None: The index.
        """
        idx = self._char2idx.get(char)
        if idx is not None:
            return idx
        if self.with_unknown and self.unknown_idx is not None:
            return self.unknown_idx
        if not strict:
            return None
        raise KeyError(f'Token {char!r} is not in the {self.mode}-mode '
                       f'dictionary ({self.lowest}..{self.highest}); set '
                       'with_unknown=True to map it to the unknown token')

    def str2idx(self, string: str) -> List[int]:
        """Indexes of the tokens of a label (see :meth:`tokenize`).

        Unknown tokens raise, or map to the unknown token when
        ``with_unknown`` is set (skipped if ``unknown_token`` is None).
        """
        indexes = []
        for token in self.tokenize(string):
            idx = self.char2idx(token, strict=not self.with_unknown)
            if idx is not None:
                indexes.append(idx)
        return indexes

    def idx2str(self, index: Sequence[int]) -> str:
        """Tokens of a list of indexes joined by one space."""
        assert isinstance(index, (list, tuple))
        for i in index:
            if not 0 <= i < len(self._dict):
                raise IndexError(f'Index {i} out of range (0..'
                                 f'{len(self._dict) - 1})')
        return ' '.join(self._dict[i] for i in index)
