"""Batched reading that returns results chunk by chunk, in input order.

Shared by the ONNX Runtime reader and the PyTorch recognizer: a chunk of
inputs is read (a chunk ahead, :func:`prepared_chunks`), sorted by width
and cut into batches of neighbours (:func:`plan_batches`), run, decoded,
and yielded in input order before the next chunk runs.
"""
import os
from typing import Callable, Iterable, Iterator, Tuple, TypeVar, Union

import numpy as np

from .batching import pad_batch, plan_batches
from .image_input import ImageInputError, ImageSource
from .prefetch import prepared_chunks

__all__ = ['stream_results']

Result = TypeVar('Result')
RunFn = Callable[[np.ndarray, np.ndarray], Tuple[np.ndarray, np.ndarray]]


def stream_results(inputs: Iterable[ImageSource],
                   prepare: Callable[[ImageSource], np.ndarray],
                   run: RunFn,
                   decode: Callable[[np.ndarray], Result],
                   batch_size: int,
                   chunk_size: int,
                   workers: int = 1,
                   on_error: str = 'raise'
                   ) -> Iterator[Union[Result, ImageInputError]]:
    """Yield one decoded result per input, in input order.

    Args:
        inputs (Iterable): Paths, encoded bytes or decoded images.
        prepare (callable): Source -> normalised (C, H, W) float32 image;
            raises :class:`ImageInputError`.
        run (callable): Padded batch (N, C, H, W) and widths (N,) ->
            probabilities (N, T, K) and valid frame counts (N,).
        decode (callable): One image's valid probabilities (T, K) ->
            result.
        batch_size (int): Images per ``run`` call.
        chunk_size (int): Inputs read and sorted together.
        workers (int): Threads reading ahead; 0 reads inline. Defaults
            to 1.
        on_error (str): ``'raise'`` the first :class:`ImageInputError` or
            ``'return'`` (yield) it in the input's place. Defaults to
            ``'raise'``.
    """
    if isinstance(inputs, (str, bytes, os.PathLike, np.ndarray)):
        raise TypeError('pass a list of images, e.g. reader([path])')
    if on_error not in ('raise', 'return'):
        raise ValueError(f'on_error must be "raise" or "return", got '
                         f'{on_error!r}')
    for chunk in prepared_chunks(inputs, prepare, chunk_size, workers):
        results: dict = {}
        good = []
        for index, item in chunk:
            if isinstance(item, ImageInputError):
                if on_error == 'raise':
                    raise item
                results[index] = item
            else:
                good.append((index, item))
        widths = [img.shape[-1] for _, img in good]
        for group in plan_batches(widths, batch_size):
            batch, batch_widths = pad_batch([good[g][1] for g in group])
            probs, lengths = run(batch, batch_widths)
            for row, g in enumerate(group):
                results[good[g][0]] = decode(probs[row, :int(lengths[row])])
        for index, _ in chunk:
            yield results[index]
