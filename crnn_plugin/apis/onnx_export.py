"""ONNX export of :class:`CRNNInferenceModel` and the PyTorch parity check.

The graph has inputs ``images`` (N, C, 32, W) float32 and ``widths`` (N,)
int64, outputs ``probs`` (N, T, K) and ``lengths`` (N,) int64, with dynamic
N and W. TorchScript-based export (``torch.onnx.export(dynamo=False)``)
maps the packed LSTMs to ONNX ``LSTM`` with ``sequence_lens``.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import warnings
from typing import (Callable, Dict, List, NamedTuple, Optional, Sequence,
                    Tuple, Union)

import numpy as np
import torch

from .inference_model import CRNNInferenceModel

__all__ = [
    'export_onnx', 'parity_batches', 'check_parity', 'ParityResult',
    'DEFAULT_OPSET', 'store_weights_fp16'
]

DEFAULT_OPSET = 17
Batch = Tuple[np.ndarray, np.ndarray]  # (N, C, H, W) float32, (N,) int64


# Native (C++) warning of the TorchScript exporter about packed sequences:
# their ONNX LSTM gets its shapes at run time, which is what we want.
_KNOWN_NATIVE_WARNINGS = ('prim::PackPadded', 'prim::PadPacked')


@contextlib.contextmanager
def _filtered_native_stderr():
    """Drop the exporter's known C++ warnings, pass other stderr through."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (pytest)
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    with tempfile.TemporaryFile(mode='w+b') as tmp:
        os.dup2(tmp.fileno(), fd)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, fd)
            os.close(saved)
            tmp.seek(0)
            for line in tmp.read().decode(errors='replace').splitlines():
                if not any(k in line for k in _KNOWN_NATIVE_WARNINGS):
                    print(line, file=sys.stderr)


def store_weights_fp16(proto) -> int:
    """Store float32 weights in fp16 where that loses nothing.

    Each float32 initializer whose values are all exactly representable
    in fp16 (e.g. weights of an fp16 checkpoint) is replaced by its fp16
    copy and a ``Cast`` back to float32; ONNX Runtime folds the casts when
    it loads the model, so it computes in fp32 with the same values and the
    file is half the size.

    Args:
        proto (onnx.ModelProto): The model, changed in place.

    Returns:
        int: Number of initializers converted.
    """
    from onnx import TensorProto, helper, numpy_helper
    graph = proto.graph
    kept, casts = [], []
    for init in graph.initializer:
        values = numpy_helper.to_array(init)
        half = values.astype(np.float16) if values.dtype == np.float32 \
            else None
        if half is None or not np.array_equal(half.astype(np.float32),
                                              values):
            kept.append(init)
            continue
        kept.append(numpy_helper.from_array(half, f'{init.name}_fp16'))
        casts.append(
            helper.make_node(
                'Cast', [f'{init.name}_fp16'], [init.name],
                to=TensorProto.FLOAT,
                name=f'{init.name}_to_fp32'))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)  # casts first: topological order
    del graph.node[:]
    graph.node.extend(nodes)
    return len(casts)


def export_onnx(model: CRNNInferenceModel,
                f: Union[str, io.BytesIO],
                opset: int = DEFAULT_OPSET,
                metadata: Optional[Dict[str, object]] = None,
                height: int = 32,
                fp16_weights: bool = False) -> None:
    """Export with dynamic batch size and width.

    Args:
        model (CRNNInferenceModel): The model (on CPU, eval mode).
        f (str | BytesIO): Output file or buffer.
        opset (int): ONNX opset version. Defaults to 17.
        metadata (dict, optional): JSON-serialisable values stored in the
            model's ``metadata_props`` (e.g. dictionary, normalisation).
            Defaults to None.
        height (int): Input height. Defaults to 32.
        fp16_weights (bool): Keep BatchNorm layers as such (not folded
            into the convolutions) and store the weights that fp16 holds
            exactly in fp16 (:func:`store_weights_fp16`): an fp16
            checkpoint then exports losslessly at half the size.
            Defaults to False.
    """
    import onnx
    model = model.cpu().eval()
    channels = model.backbone_in_channels
    # Two images of different widths: the trace covers the padded case.
    images = torch.zeros(2, channels, height, 120)
    widths = torch.tensor([120, 100], dtype=torch.int64)
    buffer = io.BytesIO()
    with warnings.catch_warnings(), torch.no_grad(), \
            _filtered_native_stderr():
        # TracerWarnings and the TorchScript exporter's deprecation note.
        warnings.simplefilter('ignore')
        torch.onnx.export(
            model, (images, widths),
            buffer,
            dynamo=False,
            opset_version=opset,
            # PRESERVE keeps eval-mode BatchNorm unfolded (fp16-exact).
            training=torch.onnx.TrainingMode.PRESERVE
            if fp16_weights else torch.onnx.TrainingMode.EVAL,
            input_names=['images', 'widths'],
            output_names=['probs', 'lengths'],
            dynamic_axes=dict(
                images={
                    0: 'batch',
                    3: 'width'
                },
                widths={0: 'batch'},
                probs={
                    0: 'batch',
                    1: 'frames'
                },
                lengths={0: 'batch'}))
    proto = onnx.load_from_string(buffer.getvalue())
    if fp16_weights:
        store_weights_fp16(proto)
    for key, value in (metadata or {}).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, json.dumps(value)
    onnx.checker.check_model(proto)
    data = proto.SerializeToString()
    if isinstance(f, (str, bytes)) or hasattr(f, '__fspath__'):
        with open(f, 'wb') as out:
            out.write(data)
    else:
        f.write(data)


def parity_batches(channels: int = 1,
                   widths: Sequence[int] = (100, 124, 157, 203, 260, 331),
                   height: int = 32,
                   seed: int = 0) -> List[Batch]:
    """Random normalised images of varied widths, batched three ways.

    Args:
        channels (int): Image channels. Defaults to 1.
        widths (Sequence[int]): Image widths. Defaults to six widths
            between 100 and 331.
        height (int): Image height. Defaults to 32.
        seed (int): Random seed. Defaults to 0.

    Returns:
        list[tuple]: One padded batch of all widths, each image alone, and
        three images of the first width.
    """
    rng = np.random.default_rng(seed)
    images = [
        rng.uniform(-1, 1, (channels, height, w)).astype(np.float32)
        for w in widths
    ]
    padded = np.zeros((len(widths), channels, height, max(widths)),
                      dtype=np.float32)
    for slot, img in zip(padded, images):
        slot[..., :img.shape[-1]] = img
    same = np.stack([images[0]] * 3) + rng.normal(
        0, 0.1, (3, channels, height, widths[0])).astype(np.float32)
    batches = [(padded, np.array(widths, dtype=np.int64))]
    batches += [(img[None], np.array([img.shape[-1]])) for img in images]
    batches.append((same, np.full(3, widths[0], dtype=np.int64)))
    return batches


class ParityResult(NamedTuple):
    """Outcome of :func:`check_parity`.

    Attributes:
        max_abs_diff (float): Largest probability difference over valid
            frames.
        num_images (int): Images compared.
        text_mismatches (list[tuple[str, str]]): (reference, candidate)
            greedy texts that differ.
        length_mismatches (int): Images whose valid frame counts differ.
    """
    max_abs_diff: float
    num_images: int
    text_mismatches: List[Tuple[str, str]]
    length_mismatches: int

    def ok(self, atol: float = 1e-4) -> bool:
        """Whether probabilities agree within ``atol`` and texts match."""
        return (self.max_abs_diff <= atol and not self.text_mismatches
                and self.length_mismatches == 0)


def check_parity(reference: Callable[[np.ndarray, np.ndarray], Batch],
                 candidate: Callable[[np.ndarray, np.ndarray], Batch],
                 batches: Sequence[Batch],
                 decode: Callable[[np.ndarray], str]) -> ParityResult:
    """Compare two backends on the same batches.

    Args:
        reference (callable): ``(batch, widths) -> (probs, lengths)``,
            e.g. a :class:`TorchBackend`.
        candidate (callable): The same for the backend under test.
        batches (Sequence[tuple]): ``(batch, widths)`` pairs.
        decode (callable): Greedy decoding of one image's valid
            probabilities ``(T_i, K)`` to text.

    Returns:
        ParityResult: The differences found.
    """
    max_diff, count, texts, lengths_bad = 0., 0, [], 0
    for batch, widths in batches:
        ref_probs, ref_len = reference(batch, widths)
        new_probs, new_len = candidate(batch, widths)
        for i in range(len(batch)):
            count += 1
            if int(ref_len[i]) != int(new_len[i]):
                lengths_bad += 1
                continue
            a = ref_probs[i, :int(ref_len[i])]
            b = new_probs[i, :int(new_len[i])]
            max_diff = max(max_diff, float(np.abs(a - b).max()))
            if decode(a) != decode(b):
                texts.append((decode(a), decode(b)))
    return ParityResult(max_diff, count, texts, lengths_bad)
