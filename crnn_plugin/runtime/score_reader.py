"""Score fragments -> pitch (or semantic) tokens with confidences (paper
§3.4)."""
from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from .image_input import ImageSource
from .reader import Reader
from .shipped_models import SCORE_MODEL

__all__ = ['ScoreReader']


class ScoreReader(Reader):
    """Read one-staff score fragments with an exported OMR model.

    Each notehead becomes a spelled pitch token (``'C#5'``), left to right;
    any image size (rescaled to the model's height), grayscale, colour or
    RGBA. A semantic model (:attr:`mode` ``'semantic'``, stored in the
    ONNX metadata) reads clef, key, meter, notes with durations, rests and
    barlines: semantic symbols (``'note-C#5_eighth'``), each with one
    confidence (the model's tokens, pitch and duration apart, joined by
    :func:`omr.semantic_tokens.join_symbols`).

    Args:
        model (str, optional): ``.onnx`` score model; None: the shipped
            ``checkpoints/crnn_omr_reduced.onnx``.
        staff_crop (bool): Crop every input around its staff
            (:func:`~crnn_plugin.runtime.staff.normalize_staff`, +-3 staff
            spaces, 64 px high) before the model's own resize, for a model
            that was not trained with it (a model trained with it crops
            anyway). The shipped model reads other engravers' fragments cut
            by users far better so (docs/omr.md, "Reading other
            engravers"). Defaults to False.
        pitch_model (str, optional): For a semantic model, a pitch-mode
            ``.onnx`` model read on the same inputs by :meth:`__call__`:
            the notes take its pitches when both read as many notes
            (:func:`omr.pitch_fusion.with_pitches`), as ``omr/recognize.py
            --mode semantic`` reads with the shipped pair
            (``ScoreReader(SEMANTIC_SCORE_MODEL, pitch_model=SCORE_MODEL)``).
            Defaults to None (the model alone).
        **kwargs: See :class:`~crnn_plugin.runtime.Reader`.

    Example:
        >>> from crnn_plugin import ScoreReader
        >>> ScoreReader()(['demo/scores/clean_03.png'])  # doctest: +SKIP
        [(['D5', 'C#5', 'B4'], [0.99, 0.98, 0.99])]
    """

    kind = 'score'
    default_model = SCORE_MODEL

    def __init__(self, model: Optional[str] = None, staff_crop: bool = False,
                 pitch_model: Optional[str] = None, **kwargs) -> None:
        super().__init__(model, **kwargs)
        if staff_crop and not self.info.preprocessing.staff:
            params = replace(self.info.preprocessing, staff=dict(height=64))
            self.info = replace(self.info, preprocessing=params)
        self.pitch_reader = None
        if pitch_model is not None:
            if self.mode != 'semantic':
                raise ValueError('pitch_model joins a semantic model\'s '
                                 f'reading; {self.model_path} reads '
                                 f'{self.mode} tokens')
            self.pitch_reader = ScoreReader(pitch_model, staff_crop,
                                            **kwargs)
            if self.pitch_reader.mode != 'pitch':
                raise ValueError(f'{pitch_model} is not a pitch-mode model')

    def __call__(
        self, inputs: Sequence[ImageSource]
    ) -> List[Tuple[List[str], List[float]]]:
        """Read fragments: ``(tokens, token confidences)`` per input (with
        ``pitch_model``: the semantic symbols with its pitches).

        Raises:
            ImageInputError: For an unusable input (use :meth:`read` with
                ``on_error='return'`` to go on past it).
        """
        inputs = list(inputs)
        results = [self.symbols(r) for r in self.read(inputs)]
        if self.pitch_reader is None:
            return results
        from omr.pitch_fusion import with_pitches
        return [with_pitches(symbols, pitches, scores, pitch_scores)[:2]
                for (symbols, scores), (pitches, pitch_scores) in zip(
                    results, self.pitch_reader(inputs))]

    @property
    def mode(self) -> str:
        """The model's tokens: ``'pitch'``, ``'paper'`` or ``'semantic'``
        (models exported before the mode was stored read pitches)."""
        return self.info.mode or 'pitch'

    def symbols(self, result) -> Tuple[List[str], Optional[List[float]]]:
        """Tokens (semantic model: symbols) of a :class:`Recognition` and
        one confidence each (none read: ``([], [])``)."""
        tokens, scores = result.text.split(), result.char_scores
        if self.mode != 'semantic':
            return tokens, scores
        from omr.semantic_tokens import join_symbols
        return join_symbols(tokens, scores)
