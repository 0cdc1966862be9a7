"""Read images with an exported CRNN: ONNX Runtime, NumPy and OpenCV only.

The ONNX file describes itself (:class:`~crnn_plugin.runtime.ModelInfo`):
images are resized and normalised by its stored test pipeline, sorted by
width within chunks, padded into batches (padding never changes a result:
the graph takes each image's width, see
:class:`~crnn_plugin.apis.CRNNInferenceModel`) and decoded best-path.
Results come back in input order, one chunk at a time
(:func:`~crnn_plugin.runtime.streaming.stream_results`), so a caller can
print them while the next chunk is read.
"""
import os
from typing import Iterable, Iterator, List, NamedTuple, Optional, Union

import numpy as np

from .ctc import best_path
from .image_input import (DEFAULT_MAX_PIXELS, ImageInputError, ImageSource,
                          load_resized)
from .model_info import ModelInfo
from .streaming import stream_results

__all__ = ['Reader', 'Recognition', 'load_session']


class Recognition(NamedTuple):
    """One read image.

    Attributes:
        text (str): The transcription (tokens joined by the model's
            separator).
        confidence (float): Mean of the character scores (0 for an empty
            text); with a lexicon, the chosen word's posterior.
        char_scores (list[float] | None): One score per character or token
            (the best frame probability of its CTC run); None with a
            lexicon.
        frame_labels (np.ndarray): Best label of each valid frame, shape
            (T,).
    """
    text: str
    confidence: float
    char_scores: Optional[List[float]]
    frame_labels: np.ndarray


def load_session(path: str, threads: Optional[int] = None):
    """An ONNX Runtime CPU session of ``path`` and its :class:`ModelInfo`.

    Args:
        path (str): An ``.onnx`` file written by ``tools/export_onnx.py``.
        threads (int, optional): Intra-op threads; None: ONNX Runtime's
            default (one per physical core). Defaults to None.

    Returns:
        tuple(onnxruntime.InferenceSession, ModelInfo): The session and
        the model's self-description.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        ValueError: If the file is not an exported CRNN.
    """
    import onnxruntime as ort
    if not os.path.isfile(path):
        raise FileNotFoundError(f'model {path} not found')
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(
            path, options, providers=['CPUExecutionProvider'])
    except Exception as err:  # onnxruntime's own exception types
        raise ValueError(f'{path}: not a loadable ONNX model '
                         f'({type(err).__name__})') from None
    names = [i.name for i in session.get_inputs()]
    if names != ['images', 'widths']:
        raise ValueError(f'{path}: inputs {names}, expected images, widths')
    metadata = session.get_modelmeta().custom_metadata_map
    try:
        info = ModelInfo.from_metadata(metadata)
    except ValueError as err:
        raise ValueError(f'{path}: {err}') from None
    return session, info


class Reader:
    """Read images with an exported model (base of the text/score readers).

    Args:
        model (str, optional): ``.onnx`` file written by
            ``tools/export_onnx.py``; None: :attr:`default_model`.
        batch_size (int): Images per model call. Defaults to 32.
        threads (int, optional): ONNX Runtime intra-op threads; None: one
            per physical core. Defaults to None.
        workers (int): Threads reading and resizing images ahead of the
            model; 0 does it inline. Defaults to 1.
        chunk_size (int, optional): Images read, width-sorted and returned
            together (the streaming granularity); None: four batches.
        max_pixels (int): Inputs with more pixels are refused before
            decoding. Defaults to 2**25.
        max_width (int): Inputs wider than this after resizing are refused
            (memory). Defaults to 4096.

    Raises:
        FileNotFoundError: If the model file does not exist.
        ValueError: If it is not an exported CRNN of :attr:`kind`.
    """

    #: The model kind this reader accepts (None: any).
    kind: Optional[str] = None
    #: The model used when none is given.
    default_model: Optional[str] = None

    def __init__(self,
                 model: Optional[str] = None,
                 batch_size: int = 32,
                 threads: Optional[int] = None,
                 workers: int = 1,
                 chunk_size: Optional[int] = None,
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 max_width: int = 4096) -> None:
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        path = model or self.default_model
        if path is None:
            raise ValueError('no model given')
        self.model_path = os.fspath(path)
        self.session, self.info = load_session(self.model_path, threads)
        if self.kind is not None and self.info.kind != self.kind:
            raise ValueError(f'{self.model_path} is a {self.info.kind} '
                             f'model; {type(self).__name__} reads '
                             f'{self.kind} models')
        self.batch_size, self.workers = batch_size, workers
        self.chunk_size = chunk_size or 4 * batch_size
        self.max_pixels, self.max_width = max_pixels, max_width

    def label_char(self, label: int) -> str:
        """The character/token of a label ('' for ignored labels)."""
        label = int(label)
        return '' if label in self.info.ignore else self.info.tokens[label]

    def resized(self, source: ImageSource) -> np.ndarray:
        """Read one input and resize it as the test pipeline does.

        Returns:
            np.ndarray: uint8, (H, W) grayscale or (H, W, 3) BGR.

        Raises:
            ImageInputError: If the input is unusable.
        """
        return load_resized(source, self.info.preprocessing, self.max_pixels,
                            self.max_width)

    def prepare(self, source: ImageSource) -> np.ndarray:
        """:meth:`resized`, normalised: float32, shape (C, H, W)."""
        return self.info.preprocessing.normalise(self.resized(source))

    def decode(self, probs: np.ndarray) -> Recognition:
        """Transcribe one image's valid frames, probabilities (T, K)."""
        labels, scores = best_path(probs, self.info.ignore)
        text = self.info.separator.join(self.info.tokens[i] for i in labels)
        confidence = sum(scores) / len(scores) if scores else 0.0
        return Recognition(text, confidence, scores, probs.argmax(-1))

    def run(self, batch: np.ndarray, widths: np.ndarray):
        """Probabilities (N, T, K) and valid frame counts (N,) of a padded
        batch (N, C, H, W) with the images' widths (N,)."""
        probs, lengths = self.session.run(
            None, dict(images=batch, widths=widths.astype(np.int64)))
        return probs, lengths

    def read(self,
             inputs: Iterable[ImageSource],
             on_error: str = 'raise'
             ) -> Iterator[Union[Recognition, ImageInputError]]:
        """Yield a :class:`Recognition` per input, in input order, chunk by
        chunk as soon as each chunk is read.

        Args:
            inputs (Iterable): Paths, encoded bytes or decoded images
                (grayscale, BGR or BGRA uint8 arrays).
            on_error (str): ``'raise'`` the first :class:`ImageInputError`,
                or ``'return'`` (yield) it in the input's place. Defaults to
                ``'raise'``.
        """
        return stream_results(inputs, self.prepare, self.run, self.decode,
                              self.batch_size, self.chunk_size, self.workers,
                              on_error)
