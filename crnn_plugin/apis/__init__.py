"""Inference from checkpoints: a batched word recognizer with PyTorch /
ONNX Runtime backends, and ONNX export with a parity check against PyTorch.

Reading with an exported model needs none of this: see
:mod:`crnn_plugin.runtime`. Image input and batching live there and are
re-exported here.

Example:
    >>> from crnn_plugin.apis import TextRecognizer
    >>> rec = TextRecognizer(checkpoint='model.pth')  # doctest: +SKIP
    >>> [r.text for r in rec(['a.png', 'b.jpg'])]  # doctest: +SKIP
"""
from crnn_plugin.runtime import (IMAGE_EXTENSIONS, ImageInputError,
                                 PipelineParams, Recognition, draw_alignment,
                                 load_resized, pad_batch, plan_batches,
                                 read_image, rescale, target_width)

from .backends import (OnnxBackend, TorchBackend, onnxruntime_available,
                       pick_backend)
from .inference_model import CRNNInferenceModel, layer_out_width
from .model_loading import (config_for_checkpoint, is_onnx_file,
                            load_recognizer, model_task)
from .onnx_export import (DEFAULT_OPSET, ParityResult, check_parity,
                          export_onnx, parity_batches)
from .quantization import quantize_int8
from .text_recognizer import TextRecognizer

__all__ = [
    'TextRecognizer', 'Recognition', 'CRNNInferenceModel', 'layer_out_width',
    'TorchBackend', 'OnnxBackend', 'onnxruntime_available', 'plan_batches',
    'pad_batch', 'ImageInputError', 'read_image', 'rescale', 'target_width',
    'load_recognizer', 'is_onnx_file', 'export_onnx', 'parity_batches',
    'check_parity', 'ParityResult', 'DEFAULT_OPSET', 'PipelineParams',
    'IMAGE_EXTENSIONS', 'draw_alignment', 'quantize_int8', 'pick_backend',
    'load_resized', 'config_for_checkpoint', 'model_task'
]
