"""Word images -> texts with confidences, from the shipped text model."""
from typing import List, Sequence, Tuple

from .image_input import ImageSource
from .reader import Reader
from .shipped_models import TEXT_MODEL

__all__ = ['TextReader']


class TextReader(Reader):
    """Read word images with an exported text model (ONNX Runtime only).

    Args:
        model (str, optional): ``.onnx`` text model; None: the shipped
            ``checkpoints/crnn_mini-vgg_synth.onnx``.
        **kwargs: See :class:`~crnn_plugin.runtime.Reader`.

    Example:
        >>> from crnn_plugin import TextReader
        >>> reader = TextReader()  # doctest: +SKIP
        >>> reader(['demo/words/clean_seleucia.png', image])  # doctest: +SKIP
        [('seleucia', 0.9987), ('hello', 0.97)]
    """

    kind = 'text'
    default_model = TEXT_MODEL

    def __call__(self,
                 inputs: Sequence[ImageSource]) -> List[Tuple[str, float]]:
        """Read images: ``(text, confidence)`` per input, in input order.

        Args:
            inputs (Sequence): Paths, encoded bytes or decoded uint8 images
                (grayscale, BGR or BGRA).

        Raises:
            ImageInputError: For an unusable input (use :meth:`read` with
                ``on_error='return'`` to go on past it).
        """
        return [(r.text, r.confidence) for r in self.read(inputs)]
