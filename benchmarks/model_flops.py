"""Theoretical FLOPs of a recognizer and the CPU's measured GEMM peaks.

FLOPs are counted with forward hooks on one image: ``2 * multiply-adds`` of
every convolution, linear layer and LSTM (input and recurrent matrix
products of every step and direction); element-wise work (BatchNorm, ReLU,
pooling, LSTM gates, softmax) is counted separately as one op per output
element. The peaks are the best of PyTorch (oneDNN/MKL) and ONNX Runtime
(MLAS) on 512^3, 1024^3 and 2048^3 matrix products at the given threads:
fp32, bf16 (PyTorch) and int8 (ONNX Runtime ``MatMulInteger``).

Example::

    OMP_NUM_THREADS=1 python benchmarks/model_flops.py --width 100
"""
import argparse
import os.path as osp
import statistics
import sys
import time
from collections import OrderedDict
from typing import Callable, Dict

import numpy as np
import torch
import torch.nn as nn

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

_ELEMENTWISE = (nn.BatchNorm2d, nn.ReLU, nn.LeakyReLU, nn.MaxPool2d)


def _lstm_flops(module: nn.LSTM, inputs, output) -> int:
    """``2 * MACs`` of an LSTM call (packed or padded input)."""
    data = inputs[0]
    steps = data.data.size(0) if hasattr(data, 'batch_sizes') else (
        data.size(0) * data.size(1))  # frames x batch
    hidden, directions = module.hidden_size, 2 if module.bidirectional else 1
    flops, size = 0, module.input_size
    for _ in range(module.num_layers):
        flops += directions * steps * 2 * 4 * hidden * (size + hidden)
        size = hidden * directions
    return flops


def count_flops(model: nn.Module, run: Callable[[], object]
                ) -> Dict[str, Dict[str, int]]:
    """FLOPs of ``run()`` (which calls ``model``) per leaf module.

    Args:
        model (nn.Module): The network whose leaves are hooked.
        run (callable): Runs one forward pass.

    Returns:
        dict: ``{name: {'gemm': flops, 'elementwise': ops}}`` in call
        order (only modules that ran).
    """
    counts: Dict[str, Dict[str, int]] = OrderedDict()

    def hook(name):

        def fn(module, inputs, output):
            out = output[0] if isinstance(output, tuple) else output
            gemm = other = 0
            if isinstance(module, nn.Conv2d):
                k = module.kernel_size[0] * module.kernel_size[1]
                gemm = 2 * out.numel() * k * module.in_channels // \
                    module.groups
            elif isinstance(module, nn.Linear):
                gemm = 2 * out.numel() * module.in_features
            elif isinstance(module, nn.LSTM):
                gemm = _lstm_flops(module, inputs, output)
                other = gemm // (module.input_size + module.hidden_size) // 2
            elif isinstance(module, _ELEMENTWISE):
                other = out.numel()
            entry = counts.setdefault(name, dict(gemm=0, elementwise=0))
            entry['gemm'] += gemm
            entry['elementwise'] += other

        return fn

    handles = [
        m.register_forward_hook(hook(n)) for n, m in model.named_modules()
        if not list(m.children())
    ]
    try:
        with torch.no_grad():
            run()
    finally:
        for handle in handles:
            handle.remove()
    return counts


def _median_time(fn: Callable[[], object], repeats: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gemm_peaks(threads: int, sizes=(512, 1024, 2048)) -> Dict[str, float]:
    """Best measured matrix-product throughput (FLOP/s) per precision."""
    peaks: Dict[str, float] = {}
    for size in sizes:
        for name, value in _gemm_peaks(threads, size).items():
            peaks[name] = max(peaks.get(name, 0.), value)
    return peaks


def _gemm_peaks(threads: int, size: int) -> Dict[str, float]:
    """Matrix-product throughput (FLOP/s) per precision at one size."""
    torch.set_num_threads(threads)
    a = torch.randn(size, size)
    b = torch.randn(size, size)
    flops = 2 * size**3
    peaks = dict(fp32=flops / _median_time(lambda: a @ b))
    ab, bb = a.bfloat16(), b.bfloat16()
    peaks['bf16'] = flops / _median_time(lambda: ab @ bb)
    try:
        import onnxruntime as ort
        from onnx import TensorProto, helper
    except ImportError:
        return peaks
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    for name, op, in_types, arrays in (
            ('fp32', 'MatMul', (TensorProto.FLOAT, TensorProto.FLOAT),
             (a.numpy(), b.numpy())),
            ('int8', 'MatMulInteger', (TensorProto.UINT8, TensorProto.INT8),
             (np.random.randint(0, 255, (size, size), dtype=np.uint8),
              np.random.randint(-127, 127, (size, size), dtype=np.int8)))):
        out_type = TensorProto.FLOAT if op == 'MatMul' else TensorProto.INT32
        graph = helper.make_graph(
            [helper.make_node(op, ['a', 'b'], ['c'])], 'gemm', [
                helper.make_tensor_value_info(n, t, [size, size])
                for n, t in zip('ab', in_types)
            ], [helper.make_tensor_value_info('c', out_type, [size, size])])
        proto = helper.make_model(
            graph, opset_imports=[helper.make_opsetid('', 17)], ir_version=8)
        session = ort.InferenceSession(proto.SerializeToString(), options)
        feed = dict(a=arrays[0], b=arrays[1])
        value = flops / _median_time(lambda: session.run(None, feed))
        peaks[name] = max(peaks.get(name, 0.), value)
    return peaks


def main() -> None:
    """Print the per-layer FLOPs of the paper's CRNN and the GEMM peaks."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--config', default=osp.join(ROOT, 'configs', 'crnn_mini-vgg_mj.py'))
    parser.add_argument('--width', type=int, default=100)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    from crnn_plugin.apis import CRNNInferenceModel, load_recognizer
    _, recognizer = load_recognizer(args.config)
    model = CRNNInferenceModel(recognizer).eval()
    image = torch.zeros(1, 1, 32, args.width)
    counts = count_flops(
        model, lambda: model(image, torch.tensor([args.width])))
    print(f'{"layer":32s} {"GEMM MFLOP":>11s} {"elementwise Mop":>16s}')
    for name, entry in counts.items():
        print(f'{name:32s} {entry["gemm"] / 1e6:11.2f} '
              f'{entry["elementwise"] / 1e6:16.3f}')
    total = sum(e['gemm'] for e in counts.values())
    params = sum(p.numel() for p in recognizer.parameters())
    print(f'total: {total / 1e9:.3f} GFLOP per {args.width}x32 image, '
          f'{params / 1e6:.2f} M parameters')
    for name, value in gemm_peaks(args.threads).items():
        print(f'measured {name} GEMM peak, {args.threads} thread(s): '
              f'{value / 1e9:.0f} G(FL)OP/s')


if __name__ == '__main__':
    main()
