"""Read and resize images a chunk ahead of the model, in input order.

Decoding and resizing run in worker threads (OpenCV releases the GIL)
while the caller runs the model on the previous chunk. A bad input becomes
an :class:`~crnn_plugin.runtime.ImageInputError` in its slot, never an
exception that stops the others.
"""
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, List, Tuple, Union

import numpy as np

from .image_input import ImageInputError, ImageSource, describe

__all__ = ['safe_prepare', 'prepared_chunks']

Prepared = Union[np.ndarray, ImageInputError]


def safe_prepare(prepare: Callable[[ImageSource], np.ndarray],
                 source: ImageSource) -> Prepared:
    """``prepare(source)``, returning (not raising) its error."""
    try:
        return prepare(source)
    except ImageInputError as err:
        return err
    except Exception as err:  # e.g. cv2.error on an exotic file
        return ImageInputError(describe(source),
                               f'{type(err).__name__}: {err}')


def prepared_chunks(inputs: Iterable[ImageSource],
                    prepare: Callable[[ImageSource], np.ndarray],
                    size: int,
                    workers: int = 1) -> Iterator[List[Tuple[int, Prepared]]]:
    """Yield ``[(index, array | error), ...]`` chunks in input order.

    Args:
        inputs (Iterable): Image sources (paths, bytes, arrays).
        prepare (callable): Source -> model input; raises
            :class:`ImageInputError` for bad inputs.
        size (int): Inputs per chunk.
        workers (int): Threads preparing the next chunk; 0 prepares each
            chunk inline when it is requested. Defaults to 1.
    """
    items = iter(enumerate(inputs))
    if workers <= 0:
        while chunk := list(islice(items, size)):
            yield [(i, safe_prepare(prepare, s)) for i, s in chunk]
        return
    pool = ThreadPoolExecutor(workers)
    pending: deque = deque()

    def submit() -> None:
        chunk = list(islice(items, size))
        if chunk:
            pending.append([(i, pool.submit(safe_prepare, prepare, s))
                            for i, s in chunk])

    try:
        submit()
        while pending:
            chunk = pending.popleft()
            submit()
            yield [(i, future.result()) for i, future in chunk]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
