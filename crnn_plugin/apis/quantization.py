"""int8 post-training quantization of exported graphs (ONNX Runtime).

Convolutions -- 90% of CRNN's FLOPs -- are quantized statically (QDQ
format: per-channel int8 weights, uint8 activations whose ranges come from
calibration images); the LSTMs and the classifier stay fp32. On this CPU
(AVX-512 VNNI) ONNX Runtime then runs the paper's net about 1.7x faster
than fp32 (``docs/benchmarks.md``). Accuracy must be checked on labelled
images of the target domain before use: the calibration images should come
from it too.
"""
import logging
import os
import os.path as osp
import tempfile
from typing import Iterable, List, Tuple, Union

import numpy as np

__all__ = ['quantize_int8']

Batch = Tuple[np.ndarray, np.ndarray]


def quantize_int8(model: Union[str, bytes],
                  calibration: Iterable[Batch],
                  method: str = 'minmax') -> bytes:
    """Quantize the convolutions of an exported graph to int8.

    Args:
        model (str | bytes): An ``.onnx`` file or its bytes (from
            :func:`~crnn_plugin.apis.export_onnx`).
        calibration (Iterable[tuple]): ``(batch, widths)`` pairs of
            normalised images, as the backends take them.
        method (str): Range estimation, ``'minmax'`` or ``'percentile'``
            (99.999%; slower). Defaults to ``'minmax'``.

    Returns:
        bytes: The quantized model.
    """
    from onnxruntime.quantization import (CalibrationDataReader,
                                          CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)

    class Reader(CalibrationDataReader):

        def __init__(self, batches: List[Batch]) -> None:
            self.items = iter([
                dict(images=b.astype(np.float32), widths=w.astype(np.int64))
                for b, w in batches
            ])

        def get_next(self):
            return next(self.items, None)

    batches = list(calibration)
    if not batches:
        raise ValueError('int8 quantization needs calibration images')
    methods = dict(
        minmax=CalibrationMethod.MinMax,
        percentile=CalibrationMethod.Percentile)
    if method not in methods:
        raise ValueError(f'method must be one of {sorted(methods)}')
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = osp.join(tmp, 'fp32.onnx'), osp.join(tmp, 'int8.onnx')
        if isinstance(model, bytes):
            with open(src, 'wb') as f:
                f.write(model)
        else:
            src = os.fspath(model)
        # The quantizer logs a generic "consider pre-processing" warning
        # (symbolic shape inference; our dynamic LSTM graph needs none).
        logging.disable(logging.WARNING)
        try:
            quantize_static(
                src,
                dst,
                Reader(batches),
                quant_format=QuantFormat.QDQ,
                op_types_to_quantize=['Conv'],
                per_channel=True,
                activation_type=QuantType.QUInt8,
                weight_type=QuantType.QInt8,
                calibrate_method=methods[method],
                extra_options=dict(CalibTensorRangeSymmetric=False))
        finally:
            logging.disable(logging.NOTSET)
        with open(dst, 'rb') as f:
            return f.read()
