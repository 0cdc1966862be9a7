"""Inference backends: PyTorch eager and ONNX Runtime.

Both take a padded batch ``(N, C, 32, W)`` (float32, normalised) with the
images' widths ``(N,)`` and return per-frame probabilities ``(N, T, K)``
and valid frame counts ``(N,)`` as numpy arrays, so the engine does not
care which one runs.
"""
import contextlib
import io
import json
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch

from .inference_model import CRNNInferenceModel
from .model_loading import is_onnx_file

__all__ = [
    'TorchBackend', 'OnnxBackend', 'onnxruntime_available', 'pick_backend',
    'BACKENDS', 'PRECISIONS'
]

BACKENDS = ('auto', 'torch', 'onnx')
PRECISIONS = ('fp32', 'bf16', 'fp16', 'int8')


def onnxruntime_available() -> bool:
    """Whether ``onnxruntime`` can be imported."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def pick_backend(backend: str, device: str, checkpoint: Optional[str],
                 precision: str) -> str:
    """Resolve ``'auto'`` and reject impossible combinations.

    Args:
        backend (str): ``'auto'``, ``'torch'`` or ``'onnx'``.
        device (str): ``'cpu'`` or ``'cuda[:N]'``.
        checkpoint (str, optional): An ``.onnx`` file forces ONNX Runtime.
        precision (str): One of :data:`PRECISIONS`.

    Returns:
        str: ``'torch'`` or ``'onnx'``: ONNX Runtime for int8 and, when
        installed, for fp32 on CPU (measured 1.8x PyTorch eager there,
        ``docs/benchmarks.md``); PyTorch otherwise (GPUs, bf16/fp16).

    Raises:
        ValueError: For combinations that cannot run.
    """
    if is_onnx_file(checkpoint):
        if backend == 'torch':
            raise ValueError('an .onnx checkpoint runs with the "onnx" '
                             'backend only')
        backend = 'onnx'
    if precision == 'int8':
        if backend == 'torch':
            raise ValueError('precision "int8" needs backend "onnx"')
        return 'onnx'
    if backend == 'auto':
        fast_cpu = device == 'cpu' and precision == 'fp32'
        backend = 'onnx' if fast_cpu and onnxruntime_available() \
            else 'torch'
    if backend == 'onnx' and precision not in ('fp32', 'int8'):
        raise ValueError(f'precision {precision!r} needs backend "torch"')
    return backend


class TorchBackend:
    """Run :class:`CRNNInferenceModel` with PyTorch under inference mode.

    Args:
        model (CRNNInferenceModel): The model (moved to ``device``).
        device (str): ``'cpu'``, ``'cuda'`` or ``'cuda:N'``. Defaults to
            ``'cpu'``.
        precision (str): ``'fp32'``, ``'bf16'`` or ``'fp16'`` (autocast;
            probabilities are always computed in fp32). Defaults to
            ``'fp32'``.
    """

    PRECISIONS = ('fp32', 'bf16', 'fp16')

    name = 'torch'

    def __init__(self,
                 model: CRNNInferenceModel,
                 device: str = 'cpu',
                 precision: str = 'fp32') -> None:
        if precision not in self.PRECISIONS:
            raise ValueError(f'precision must be one of {self.PRECISIONS}, '
                             f'got {precision!r}')
        self.device = torch.device(device)
        self.model = model.to(self.device).eval()
        self.precision = precision

    def _autocast(self):
        if self.precision == 'fp32':
            return contextlib.nullcontext()
        dtype = torch.bfloat16 if self.precision == 'bf16' else torch.float16
        return torch.autocast(self.device.type, dtype=dtype)

    def __call__(self, batch: np.ndarray,
                 widths: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Probabilities ``(N, T, K)`` and valid frames ``(N,)``."""
        with torch.inference_mode(), self._autocast():
            images = torch.from_numpy(batch).to(self.device)
            probs, lengths = self.model(images,
                                        torch.from_numpy(widths).to(
                                            self.device))
        return probs.float().cpu().numpy(), lengths.cpu().numpy()


class OnnxBackend:
    """Run an exported model with ONNX Runtime.

    Args:
        model (str | bytes): Path of an ``.onnx`` file written by
            :func:`~crnn_plugin.apis.export_onnx`, or its bytes.
        device (str): ``'cpu'`` or ``'cuda[:N]'`` (needs the
            ``onnxruntime-gpu`` package). Defaults to ``'cpu'``.
        threads (int, optional): Intra-op threads; None: ONNX Runtime's
            default (one per physical core). Defaults to None.
        uniform_model (str | bytes, optional): A graph exported with
            ``handle_padding=False``, used for batches whose images all
            have the batch width (about 13% faster). Defaults to None.

    Raises:
        ImportError: If onnxruntime is not installed.
        RuntimeError: If ``device`` is CUDA and onnxruntime has no CUDA
            execution provider.
        ValueError: If the model cannot be loaded (corrupt file).
    """

    name = 'onnx'

    def __init__(self,
                 model: Union[str, bytes],
                 device: str = 'cpu',
                 threads: Optional[int] = None,
                 uniform_model: Union[str, bytes, None] = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as err:
            raise ImportError(
                'backend "onnx" needs onnxruntime: pip install onnxruntime '
                '(or use backend="torch")') from err
        providers = ['CPUExecutionProvider']
        if device.startswith('cuda'):
            if 'CUDAExecutionProvider' not in ort.get_available_providers():
                raise RuntimeError(
                    'backend "onnx" on CUDA needs the onnxruntime-gpu '
                    'package; use backend="torch" on GPUs')
            index = int(device.split(':')[1]) if ':' in device else 0
            providers.insert(0, ('CUDAExecutionProvider',
                                 dict(device_id=index)))
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        name = model if isinstance(model, str) else 'the ONNX model'
        try:
            self.session = ort.InferenceSession(
                model, options, providers=providers)
            self.uniform_session = None if uniform_model is None else \
                ort.InferenceSession(uniform_model, options,
                                     providers=providers)
            self.metadata: Dict[str, object] = {
                key: json.loads(value)
                for key, value in
                self.session.get_modelmeta().custom_metadata_map.items()
                if key.startswith('crnn_')
            }
        except Exception as err:  # onnxruntime's own error classes
            first = (str(err).strip().splitlines() or [''])[0][:200]
            raise ValueError(f'{name} is not a usable ONNX model of ours '
                             f'({type(err).__name__}: {first})') from None

    def __call__(self, batch: np.ndarray,
                 widths: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Probabilities ``(N, T, K)`` and valid frames ``(N,)``."""
        session = self.session
        uniform = bool((widths == batch.shape[3]).all())
        if uniform and self.uniform_session is not None:
            session = self.uniform_session
        probs, lengths = session.run(
            None, dict(images=batch, widths=widths.astype(np.int64)))
        return probs, lengths

    @classmethod
    def from_model(cls,
                   model: CRNNInferenceModel,
                   device: str = 'cpu',
                   threads: Optional[int] = None,
                   calibration: Optional[Sequence] = None,
                   **export_kwargs) -> 'OnnxBackend':
        """Export ``model`` in memory (about a second) and load it, with
        a second, plain graph for batches of equal widths.

        Args:
            model (CRNNInferenceModel): The model to export.
            device (str): See the class. Defaults to ``'cpu'``.
            threads (int, optional): See the class. Defaults to None.
            calibration (Sequence[tuple], optional): ``(batch, widths)``
                pairs: quantize the convolutions to int8
                (:func:`~crnn_plugin.apis.quantize_int8`). Defaults to None.
            **export_kwargs: Passed to :func:`export_onnx`.
        """
        from .onnx_export import export_onnx
        graphs, original = [], model.handle_padding
        for handle_padding in (True, False):
            buffer = io.BytesIO()
            model.handle_padding = handle_padding
            try:
                export_onnx(model, buffer, **export_kwargs)
            finally:
                model.handle_padding = original
            graph = buffer.getvalue()
            if calibration is not None:
                from .quantization import quantize_int8
                graph = quantize_int8(graph, calibration)
            graphs.append(graph)
        return cls(graphs[0], device, threads, uniform_model=graphs[1])
