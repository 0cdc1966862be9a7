"""Reading with exported models: ONNX Runtime, NumPy and OpenCV only.

Nothing here imports torch or OpenMMLab, so ``from crnn_plugin import
TextReader`` starts in a fraction of a second and installs with
``pip install -e .`` alone. An exported ``.onnx`` file carries its
dictionary, preprocessing and origin (:class:`ModelInfo`).

Example:
    >>> from crnn_plugin import ScoreReader, TextReader
    >>> TextReader()(['a.png', image_array])  # doctest: +SKIP
    [('hello', 0.98), ('world', 0.91)]
    >>> ScoreReader()(['fragment.png'])  # doctest: +SKIP
    [(['C#5', 'D5'], [0.99, 0.97])]
"""
from .alignment_vis import draw_alignment
from .batching import pad_batch, plan_batches
from .ctc import best_path
from .image_decoding import (DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS,
                             BadImageError, decode_image_bytes)
from .image_input import (IMAGE_EXTENSIONS, ImageInputError, ImageSource,
                          describe, load_resized, read_image, rescale,
                          target_width)
from .inputs import expand_inputs
from .model_info import KINDS, METADATA_FORMAT, ModelInfo
from .preprocessing import PipelineParams
from .reader import Reader, Recognition, load_session
from .score_reader import ScoreReader
from .shipped_models import SCORE_MODEL, SEMANTIC_SCORE_MODEL, TEXT_MODEL
from .staff import Staff, StaffNotFound, find_staff_lines, normalize_staff
from .text_reader import TextReader

__all__ = [
    'TextReader', 'ScoreReader', 'Reader', 'Recognition', 'load_session',
    'ModelInfo', 'METADATA_FORMAT', 'KINDS', 'PipelineParams', 'best_path',
    'plan_batches', 'pad_batch', 'expand_inputs', 'ImageInputError',
    'ImageSource', 'IMAGE_EXTENSIONS', 'describe', 'read_image', 'rescale',
    'target_width', 'load_resized', 'BadImageError', 'decode_image_bytes',
    'draw_alignment', 'TEXT_MODEL', 'SCORE_MODEL', 'SEMANTIC_SCORE_MODEL',
    'DEFAULT_MAX_PIXELS',
    'DEFAULT_MAX_BYTES', 'Staff', 'StaffNotFound',
    'find_staff_lines', 'normalize_staff'
]
