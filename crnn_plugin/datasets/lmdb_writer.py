"""Write text-recognition samples into an LMDB with the de-facto keys.

Layout (as MJSynth / SynthText LMDBs are distributed, e.g. by
clovaai/deep-text-recognition-benchmark ``create_lmdb_dataset.py``):
``num-samples`` -> ``b'N'``; for ``i`` in ``1..N``: ``image-%09d`` -> encoded
image bytes, ``label-%09d`` -> UTF-8 text. Read it back with
:class:`~crnn_plugin.datasets.LMDBTextRecogDataset`.
"""
import os
import os.path as osp
import shutil
import tempfile
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple, Union

import lmdb
from mmengine.logging import print_log
from tqdm import tqdm

from crnn_plugin.runtime.image_decoding import (BadImageError,
                                                decode_image_bytes)

from .skip_counter import SkipCounter

#: A sample: (image file path or encoded image bytes, label text), or with
#: a third item, ``{name: text}`` extra labels stored as ``name-%09d``.
Sample = Union[Tuple[Union[str, os.PathLike, bytes], Optional[str]],
               Tuple[Union[str, os.PathLike, bytes], Optional[str],
                     Dict[str, str]]]


@dataclass
class LMDBWriteResult:
    """What :func:`write_recog_lmdb` did.

    Args:
        out_dir (str): The LMDB directory.
        num_written (int): Samples written (= ``num-samples``).
        skip_counter (SkipCounter): Skipped inputs per reason.
    """
    out_dir: str
    num_written: int
    skip_counter: SkipCounter

    @property
    def num_skipped(self) -> int:
        """int: Number of skipped inputs."""
        return self.skip_counter.num_skipped


def _read_source(source: Union[str, os.PathLike, bytes]) -> Optional[bytes]:
    """Return the bytes of an image source (``None`` if unreadable)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    try:
        with open(source, 'rb') as f:
            return f.read()
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        return None


def _commit(env: lmdb.Environment, items: List[Tuple[bytes, bytes]]) -> None:
    """Write ``items`` in one transaction, doubling map_size when full."""
    while True:
        try:
            with env.begin(write=True) as txn:
                for key, value in items:
                    txn.put(key, value)
            return
        except lmdb.MapFullError:
            env.set_mapsize(env.info()['map_size'] * 2)


def write_recog_lmdb(samples: Iterable[Sample],
                     out_dir: str,
                     total: Optional[int] = None,
                     batch_size: int = 1000,
                     map_size: int = 64 * 1024**2,
                     check_images: bool = True,
                     overwrite: bool = False,
                     show_progress: bool = True,
                     skip_counter: Optional[SkipCounter] = None
                     ) -> LMDBWriteResult:
    """Write (image, label) samples into a new LMDB.

    Bad samples (unreadable/missing file, empty, truncated, undecodable or
    oversized image when ``check_images``, label not a ``str`` or empty)
    are skipped, counted and logged; the kept ones are numbered 1..N
    without gaps. Writes go in transactions of ``batch_size`` samples and
    the map grows by doubling whenever it is full, so ``map_size`` is only
    a starting size (on Linux the file only takes the pages actually used).

    The LMDB is written into a hidden temporary folder next to ``out_dir``
    and its ``data.mdb`` is moved into ``out_dir`` only when every sample
    is written: a failed or interrupted run leaves an existing LMDB (and
    other files in ``out_dir``) untouched.

    Args:
        samples (Iterable[Sample]): ``(source, text)`` pairs; ``source`` is a
            file path or encoded image bytes (PNG/JPEG/...). A third item
            ``{name: text}`` adds labels under ``name-%09d`` keys (e.g.
            ``semantic``; readers of ``label-%09d`` ignore them).
        out_dir (str): Output LMDB directory (created).
        total (int, optional): Number of samples, for the progress bar.
            Defaults to ``len(samples)`` when available.
        batch_size (int): Samples per write transaction. Defaults to 1000.
        map_size (int): Initial LMDB map size in bytes. Defaults to 64 MiB.
        check_images (bool): Decode every image and skip bad ones.
            Defaults to True.
        overwrite (bool): Replace an existing LMDB in ``out_dir`` (after
            success); otherwise an existing one raises ``FileExistsError``.
            Defaults to False.
        show_progress (bool): Show a tqdm progress bar. Defaults to True.
        skip_counter (SkipCounter, optional): Counter to add skips to (e.g.
            shared with an annotation reader). Defaults to a new one.

    Returns:
        LMDBWriteResult: Output path, number written and the skip counter.

    Raises:
        FileExistsError: ``out_dir`` holds an LMDB (without ``overwrite``)
            or is a file.

    Example:
        >>> res = write_recog_lmdb([('a.png', 'hello'), (png_bytes, 'w0rd')],
        ...                        'out.lmdb')  # doctest: +SKIP
    """
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    data_file = osp.join(out_dir, 'data.mdb')
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise FileExistsError(f'{out_dir} is a file, not an LMDB folder')
    if osp.exists(data_file) and not overwrite:
        raise FileExistsError(f'{data_file} exists (use overwrite=True)')
    counter = skip_counter or SkipCounter(name=out_dir)
    if total is None and hasattr(samples, '__len__'):
        total = len(samples)  # type: ignore[arg-type]

    parent = osp.dirname(osp.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    name = osp.basename(osp.abspath(out_dir))
    tmp_dir = tempfile.mkdtemp(prefix=f'.{name}.', suffix='.tmp', dir=parent)
    try:
        num_written = _write_all(samples, tmp_dir, total, batch_size,
                                 map_size, check_images, show_progress,
                                 counter)
        os.makedirs(out_dir, exist_ok=True)
        os.replace(osp.join(tmp_dir, 'data.mdb'), data_file)
        if osp.exists(osp.join(out_dir, 'lock.mdb')):  # the old LMDB's
            os.remove(osp.join(out_dir, 'lock.mdb'))
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    print_log(f'[{out_dir}] wrote {num_written} samples, '
              f'{counter.summary()}', logger='current')
    return LMDBWriteResult(out_dir, num_written, counter)


def _write_all(samples: Iterable[Sample], out_dir: str, total: Optional[int],
               batch_size: int, map_size: int, check_images: bool,
               show_progress: bool, counter: SkipCounter) -> int:
    """Write the good samples into a new LMDB; return how many."""
    env = lmdb.open(out_dir, map_size=map_size)
    num_written = 0
    batch: List[Tuple[bytes, bytes]] = []
    try:
        for pos, sample in enumerate(
                tqdm(samples, total=total, desc='LMDB', unit='img',
                     disable=not show_progress)):
            source, text = sample[:2]
            extra = sample[2] if len(sample) > 2 else {}
            key = source if isinstance(source, (str, os.PathLike)) \
                else f'sample #{pos}'
            if not isinstance(text, str):
                counter.skip(str(key), 'no label')
                continue
            if not text.strip():
                counter.skip(str(key), 'empty label')
                continue
            img_bytes = _read_source(source)
            if img_bytes is None:
                counter.skip(str(key), 'missing file')
                continue
            if check_images:
                try:
                    decode_image_bytes(img_bytes, color_type='unchanged')
                except BadImageError as err:
                    counter.skip(str(key), err.reason)
                    continue
            num_written += 1
            batch.append((f'image-{num_written:09d}'.encode(), img_bytes))
            batch.append((f'label-{num_written:09d}'.encode(),
                          text.encode('utf-8')))
            for name, value in extra.items():
                batch.append((f'{name}-{num_written:09d}'.encode(),
                              value.encode('utf-8')))
            if len(batch) >= 2 * batch_size:
                batch.append((b'num-samples', str(num_written).encode()))
                _commit(env, batch)
                batch = []
        batch.append((b'num-samples', str(num_written).encode()))
        _commit(env, batch)
        env.sync()
    finally:
        env.close()
    return num_written
