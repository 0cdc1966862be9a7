"""Batched word recognition: images or paths in, texts out (input order).

Decoding and resizing run in worker threads (OpenCV releases the GIL) a
chunk ahead of the model; each chunk is sorted by width and cut into
batches of neighbours (:func:`~crnn_plugin.apis.plan_batches`); the model
runs in PyTorch or ONNX Runtime; our CTC postprocessors turn each image's
valid frames into text.
"""
import os
import os.path as osp
from typing import Iterable, Iterator, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmocr.structures import TextRecogDataSample

from .backends import BACKENDS, OnnxBackend, TorchBackend, pick_backend
from crnn_plugin.runtime import (ImageInputError, ImageSource, ModelInfo,
                                 PipelineParams, Recognition, load_resized,
                                 pad_batch, plan_batches)
from crnn_plugin.runtime.image_input import DEFAULT_MAX_PIXELS
from crnn_plugin.runtime.prefetch import safe_prepare
from crnn_plugin.runtime.streaming import stream_results
from crnn_plugin.version import __version__
from .inference_model import CRNNInferenceModel
from .model_loading import is_onnx_file, load_recognizer

__all__ = ['TextRecognizer', 'Recognition']


class TextRecognizer:
    """Recognize word images with a CRNN config and checkpoint.

    Args:
        config (str | Config, optional): Model config; None: the config
            saved in the checkpoint (MMEngine's ``meta.cfg``) or
            ``<checkpoint>.py``.
        checkpoint (str, optional): ``.pth`` checkpoint (loaded with
            ``weights_only=True``) or an exported ``.onnx`` model; None:
            random weights (speed tests only).
        backend (str): ``'torch'``, ``'onnx'`` or ``'auto'``: ONNX Runtime
            on CPU when installed (about 1.5x PyTorch eager there, see
            ``docs/benchmarks.md``), PyTorch otherwise. Defaults to
            ``'auto'``.
        device (str): ``'cpu'`` or ``'cuda[:N]'``. Defaults to ``'cpu'``.
        batch_size (int): Images per model call. Defaults to 32.
        threads (int, optional): Model threads; sets
            ``torch.set_num_threads`` (process-wide) and ONNX Runtime's
            intra-op threads. None: ``torch.get_num_threads()``.
        workers (int): Threads decoding and resizing images ahead of the
            model; 0 does it inline. Defaults to 1.
        lexicon (str, optional): Word file (one per line): decode with
            :class:`LexiconCTCPostProcessor`. Defaults to None.
        lexicon_delta (int): Edit-distance radius δ. Defaults to 3.
        lexicon_margin (float, optional): Open vocabulary: a lexicon word
            replaces the greedy text only within this log-probability
            margin of it. Defaults to None (closed vocabulary).
        precision (str): ``'fp32'``; autocast ``'bf16'``/``'fp16'``
            (PyTorch backend); or ``'int8'`` (ONNX Runtime, convolutions
            quantized with ``calibration``; check the accuracy first).
            Defaults to ``'fp32'``.
        calibration (Sequence, optional): Images of the target domain for
            the int8 ranges (a few hundred). Defaults to None.
        cfg_options (dict, optional): Overrides merged into the config.
        max_pixels (int): Inputs with more pixels are refused before
            decoding. Defaults to 50 million.
        max_width (int): Inputs wider than this after rescaling are
            refused (memory). Defaults to 4096.

    Example:
        >>> rec = TextRecognizer(  # doctest: +SKIP
        ...     'configs/crnn_mini-vgg_toy.py', 'work_dirs/toy/epoch_300.pth')
        >>> text, conf, scores, _ = rec(['word.png'])[0]  # doctest: +SKIP
    """

    def __init__(self,
                 config: Union[str, Config, None] = None,
                 checkpoint: Optional[str] = None,
                 backend: str = 'auto',
                 device: str = 'cpu',
                 batch_size: int = 32,
                 threads: Optional[int] = None,
                 workers: int = 1,
                 lexicon: Optional[str] = None,
                 lexicon_delta: int = 3,
                 lexicon_margin: Optional[float] = None,
                 precision: str = 'fp32',
                 calibration: Optional[Sequence[ImageSource]] = None,
                 cfg_options: Optional[dict] = None,
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 max_width: int = 4096) -> None:
        if backend not in BACKENDS:
            raise ValueError(f'backend must be one of {BACKENDS}, '
                             f'got {backend!r}')
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        if threads:
            torch.set_num_threads(threads)
        self.threads = threads or torch.get_num_threads()
        self.batch_size, self.workers = batch_size, workers
        self.max_pixels, self.max_width = max_pixels, max_width
        self.checkpoint = checkpoint
        self.cfg, recognizer = load_recognizer(config, checkpoint,
                                               cfg_options)
        self.model = CRNNInferenceModel(recognizer).eval()
        self.dictionary = recognizer.decoder.dictionary
        self.blank = self.dictionary.padding_idx
        self.postprocessor = recognizer.decoder.postprocessor
        if lexicon:
            from mmocr.registry import MODELS
            self.postprocessor = MODELS.build(
                dict(
                    type='LexiconCTCPostProcessor',
                    dictionary=self.dictionary,
                    lexicon=lexicon,
                    delta=lexicon_delta,
                    margin=lexicon_margin))
        self.params = PipelineParams.from_config(self.cfg)
        self.backend_name = pick_backend(backend, device, checkpoint,
                                         precision)
        if self.backend_name == 'torch':
            self.backend = TorchBackend(self.model, device, precision)
        elif is_onnx_file(checkpoint):
            self.backend = OnnxBackend(checkpoint, device, self.threads)
            self._check_onnx_metadata(checkpoint)
        else:
            batches = None
            if precision == 'int8':
                if not calibration:
                    raise ValueError('precision "int8" needs calibration '
                                     'images')
                batches = self.calibration_batches(calibration)
            self.backend = OnnxBackend.from_model(
                self.model,
                device,
                self.threads,
                calibration=batches,
                metadata=self.metadata())

    def calibration_batches(self, images: Sequence[ImageSource]) -> list:
        """Padded ``(batch, widths)`` pairs of the readable ``images``."""
        prepared = [
            x for x in map(self._safe_prepare, images)
            if not isinstance(x, ImageInputError)
        ]
        groups = plan_batches([x.shape[-1] for x in prepared],
                              self.batch_size)
        return [pad_batch([prepared[i] for i in group]) for group in groups]

    def model_info(self, kind: Optional[str] = None) -> ModelInfo:
        """The self-description an exported model carries.

        Args:
            kind (str, optional): ``'text'`` or ``'score'``; None: ``'score'``
                for dictionaries that join tokens with a space (pitch
                tokens), else ``'text'``.

        Returns:
            ModelInfo: Dictionary, blank, ignored labels, separator,
            preprocessing, the checkpoint's name and sha256, and the
            dictionary's ``mode`` (score models: pitch, paper, semantic).
        """
        first, second = self.dictionary.idx2str([0]), self.dictionary.idx2str(
            [1])
        joined = self.dictionary.idx2str([0, 1])
        separator = joined[len(first):len(joined) - len(second)]
        sha256 = None
        if self.checkpoint and osp.isfile(self.checkpoint):
            from crnn_plugin.checkpoint import file_sha256
            sha256 = file_sha256(self.checkpoint)
        ignore = getattr(self.postprocessor, 'ignore_indexes', None)
        kind = kind or ('score' if separator == ' ' else 'text')
        return ModelInfo(
            tokens=tuple(self.dictionary.dict),
            blank=self.blank,
            ignore=frozenset(int(i) for i in (ignore or [self.blank])),
            separator=separator,
            preprocessing=self.params,
            kind=kind,
            name=osp.basename(self.checkpoint or ''),
            plugin_version=__version__,
            source_sha256=sha256,
            mode=getattr(self.dictionary, 'mode', '')
            if kind == 'score' else '')

    def metadata(self, kind: Optional[str] = None) -> dict:
        """What an exported model needs besides its graph (JSON-able
        ``crnn_*`` entries, see :meth:`model_info`)."""
        return self.model_info(kind).to_metadata()

    def _check_onnx_metadata(self, path: str) -> None:
        """Refuse an ONNX model exported with another dictionary."""
        chars = self.backend.metadata.get('crnn_dictionary')
        if chars is not None and chars != list(self.dictionary.dict):
            raise ValueError(f'{path} was exported with a different '
                             'dictionary than the config')

    def label_char(self, label: int) -> str:
        """The character of a label index ('' for the CTC blank)."""
        if label == self.blank:
            return ''
        return self.dictionary.idx2str([int(label)])

    def resized(self, source: ImageSource) -> np.ndarray:
        """Read one input and resize it as the test pipeline does.

        Returns:
            np.ndarray: uint8, (H, W) grayscale or (H, W, 3) BGR.

        Raises:
            ImageInputError: If the input is unusable.
        """
        return load_resized(source, self.params, self.max_pixels,
                            self.max_width)

    def prepare(self, source: ImageSource) -> np.ndarray:
        """:meth:`resized`, normalised like the data preprocessor.

        Returns:
            np.ndarray: float32, shape (C, H, W).

        Raises:
            ImageInputError: If the input is unusable.
        """
        return self.params.normalise(self.resized(source))

    def _safe_prepare(self, source: ImageSource):
        """:meth:`prepare`, returning (not raising) the error."""
        return safe_prepare(self.prepare, source)

    def decode(self, probs: np.ndarray) -> Recognition:
        """Transcribe one image's valid frames ``(T, K)``."""
        sample = TextRecogDataSample()
        self.postprocessor(torch.from_numpy(probs[None]), [sample])
        pred = sample.pred_text
        scores = pred.score
        char_scores = [float(s) for s in scores] if isinstance(
            scores, (list, tuple)) else None
        return Recognition(pred.item, float(pred.word_score), char_scores,
                           probs.argmax(-1))

    def __call__(self,
                 inputs: Sequence[ImageSource],
                 on_error: str = 'raise'
                 ) -> List[Union[Recognition, ImageInputError]]:
        """Recognize a list of images; results come in input order.

        Args:
            inputs (Sequence): Paths, encoded bytes or decoded images
                (grayscale, BGR or BGRA arrays).
            on_error (str): ``'raise'``: raise the first
                :class:`ImageInputError`; ``'return'``: put it in the
                result list in place of a :class:`Recognition`.
                Defaults to ``'raise'``.

        Returns:
            list: A :class:`Recognition` (or error) per input.
        """
        if isinstance(inputs, (str, bytes, os.PathLike, np.ndarray)):
            raise TypeError('pass a list of images, e.g. rec([path])')
        return list(self.read(inputs, on_error))

    def read(self,
             inputs: Iterable[ImageSource],
             on_error: str = 'raise'
             ) -> Iterator[Union[Recognition, ImageInputError]]:
        """Like :meth:`__call__`, but yield results chunk by chunk (in input
        order) as soon as each chunk of ``8 * batch_size`` is done."""
        return stream_results(inputs, self.prepare, self.backend,
                              self.decode, self.batch_size,
                              8 * self.batch_size, self.workers, on_error)
