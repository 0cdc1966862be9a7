"""Token dictionary of semantic labels: rhythm, rests, meter, key, clef."""
from typing import List

from mmocr.registry import TASK_UTILS

from .pitch_dictionary import PitchDictionary
from .semantic_tokens import VOCABULARY, split_symbols

__all__ = ['SemanticDictionary']


@TASK_UTILS.register_module()
class SemanticDictionary(PitchDictionary):
    """MMOCR :class:`Dictionary` of semantic model tokens (292 + blank).

    Labels are stored semantic symbols (:mod:`omr.semantic`, LMDB keys
    ``semantic-%09d``): ``'clef-G2 keySignature-1 note-F#5_eighth. tie
    ...'``. :meth:`tokenize` splits every note into its pitch and its
    duration token, and a numeric meter into its two numbers
    (:func:`omr.semantic_tokens.split_symbols`), the
    factored sequence the model reads; decoded indexes come back as model
    tokens joined by a space (:meth:`idx2str`), which
    :func:`omr.semantic_tokens.join_symbols` joins into stored symbols
    again, without loss.

    Vocabulary (:data:`omr.semantic_tokens.VOCABULARY`, in this order):
    2 clefs, 15 key signatures (-7..7), 34 meter tokens (C, cut C and the
    numerators 1..32), 7 denominators (``/1`` .. ``/64``), 180 note
    pitches (``note-C2`` ..
    ``note-C7`` with the pitch mode's accidentals), 24 note durations
    (``_breve`` .. ``_sixty_fourth..``), 24 rests, ``tie``, four barlines
    and ``repeat-start``. The CTC blank is the last class, behind the
    optional unknown token, as in :class:`PitchDictionary`.

    Args:
        mode (str): ``'semantic'`` (the only one). Defaults to
            ``'semantic'``.
        with_unknown (bool): Add an unknown token for symbols outside the
            vocabulary (e.g. an additive meter such as 3+2/8), instead of
            raising on them. Defaults to False.
        with_padding, with_start, with_end, same_start_end, start_token,
            end_token, start_end_token, padding_token, unknown_token: As
            in :class:`PitchDictionary`.

    Example:
        >>> d = SemanticDictionary()
        >>> d.num_classes, d.padding_idx
        (293, 292)
        >>> d.idx2str(d.str2idx('timeSignature-3/4 note-C#5_half. tie'))
        'timeSignature-3 /4 note-C#5 _half. tie'
    """

    MODES = ('semantic', )

    def __init__(self,
                 mode: str = 'semantic',
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
        super().__init__(
            mode=mode,
            with_padding=with_padding,
            with_start=with_start,
            with_end=with_end,
            same_start_end=same_start_end,
            with_unknown=with_unknown,
            start_token=start_token,
            end_token=end_token,
            start_end_token=start_end_token,
            padding_token=padding_token,
            unknown_token=unknown_token)

    def vocabulary(self) -> List[str]:
        """The 292 model tokens (see the class docstring)."""
        return list(VOCABULARY)

    def tokenize(self, text: str) -> List[str]:
        """Model tokens of a stored semantic label.

        Args:
            text (str): Space-separated semantic symbols, e.g.
                ``'clef-G2 note-C#5_half.'``.

        Returns:
            list[str]: e.g. ``['clef-G2', 'note-C#5', '_half.']``.
        """
        return split_symbols(text.split())
