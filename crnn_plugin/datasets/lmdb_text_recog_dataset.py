"""LMDB text-recognition dataset that survives bad entries and forking.

Adapted from MMOCR 1.0.1 ``mmocr/datasets/recog_lmdb_dataset.py``
(:class:`mmocr.datasets.RecogLMDBDataset`), which it subclasses.
"""
import os.path as osp
from typing import Callable, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.logging import print_log
from mmocr.datasets import RecogLMDBDataset
from mmocr.registry import DATASETS

from crnn_plugin.runtime.image_decoding import (BadImageError,
                                                decode_image_bytes,
                                                image_header)

from .lmdb_env import close_env, open_readonly_env
from .skip_counter import SkipCounter


@DATASETS.register_module()
class LMDBTextRecogDataset(RecogLMDBDataset):
    """Text-recognition dataset stored in LMDB with the de-facto keys.

    The LMDB holds ``num-samples`` (decimal count N) and, for ``i`` in
    ``1..N``, ``image-%09d`` (encoded image bytes) and ``label-%09d`` (UTF-8
    text), the layout in which MJSynth / SynthText LMDBs are distributed
    (written by :func:`crnn_plugin.datasets.write_recog_lmdb`).

    Differences from :class:`mmocr.datasets.RecogLMDBDataset`:

    - The LMDB environment is opened lazily, once per process and LMDB path
      (:func:`~crnn_plugin.datasets.lmdb_env.open_readonly_env`): forked
      dataloader workers never use the parent's handle (LMDB handles must not
      cross ``fork``), train and val sets may share one LMDB, and the dataset
      pickles (no handle is stored on it).
    - Labels that are missing or not valid UTF-8 are dropped when the
      annotation is loaded; images that are missing, empty, truncated or not
      decodable are dropped when fetched. Every drop is counted and logged
      with the count through MMEngine's logger (see :class:`SkipCounter`).
      In train mode :meth:`prepare_data` then returns ``None`` and MMEngine's
      ``BaseDataset`` fetches another random index, so training continues.
      In test mode (where ``BaseDataset`` raises on ``None``) a blank
      placeholder image of ``placeholder_shape`` and the configured colour
      type is used with the original label, so the sample counts as a miss
      in the metrics instead of vanishing from the denominator.
    - Each sample gets ``img``, ``img_shape``, ``ori_shape`` and a pseudo
      ``img_path`` (``<lmdb path>/image-%09d``), so a pipeline needs no
      loading transform (``LoadImageFromNDArray`` with the default
      ``color_type`` is harmless if present).

    Args:
        ann_file (str): Path of the LMDB directory (or its ``data.mdb``),
            joined with ``data_root``. Defaults to ''.
        label_prefix (str): Key prefix of the labels to read: ``'label'``
            reads ``label-%09d``; another prefix reads labels stored beside
            them, e.g. ``'semantic'`` the ``semantic-%09d`` labels of the
            score engine (:mod:`omr.semantic`). Defaults to 'label'.
        img_color_type (str): Flag of :func:`mmcv.imfrombytes`: ``'color'``
            gives (H, W, 3) BGR, ``'grayscale'`` (H, W) as in the CRNN paper.
            Defaults to 'color'.
        placeholder_shape (tuple[int, int]): (H, W) of the blank image used
            for bad entries in test mode. Defaults to (32, 100).
        placeholder_value (int): Pixel value of the placeholder.
            Defaults to 0.
        metainfo, data_root, data_prefix, filter_cfg, indices,
        serialize_data, pipeline, test_mode, lazy_init, max_refetch: As in
            :class:`mmengine.dataset.BaseDataset`; ``data_prefix`` defaults
            to ``dict(img_path='')`` and ``pipeline`` to ``[]``.

    Example:
        >>> train = dict(type='LMDBTextRecogDataset',
        ...              ann_file='data/mjsynth/train.lmdb',
        ...              img_color_type='grayscale', pipeline=[...])
    """

    def __init__(self,
                 ann_file: str = '',
                 label_prefix: str = 'label',
                 img_color_type: str = 'color',
                 placeholder_shape: Tuple[int, int] = (32, 100),
                 placeholder_value: int = 0,
                 metainfo: Optional[dict] = None,
                 data_root: Optional[str] = '',
                 data_prefix: Optional[dict] = None,
                 filter_cfg: Optional[dict] = None,
                 indices: Optional[Union[int, Sequence[int]]] = None,
                 serialize_data: bool = True,
                 pipeline: Optional[List[Union[dict, Callable]]] = None,
                 test_mode: bool = False,
                 lazy_init: bool = False,
                 max_refetch: int = 1000) -> None:
        self.color_type = img_color_type
        self.label_prefix = label_prefix
        self.placeholder_shape = tuple(placeholder_shape)
        self.placeholder_value = placeholder_value
        self.skip_counter = SkipCounter(name=ann_file)
        super().__init__(
            ann_file=ann_file,
            img_color_type=img_color_type,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=dict(img_path='')
            if data_prefix is None else data_prefix,
            filter_cfg=filter_cfg,
            indices=indices,
            serialize_data=serialize_data,
            pipeline=[] if pipeline is None else pipeline,
            test_mode=test_mode,
            lazy_init=lazy_init,
            max_refetch=max_refetch)

    # ------------------------------------------------------------------ env
    @property
    def env(self):
        """lmdb.Environment: The read-only handle of the current process."""
        return self._get_env()

    def _make_env(self) -> None:
        """Open (or reuse) the environment of the current process."""
        self._get_env()

    def _get_env(self):
        # Looked up per call: a forked worker gets its own handle.
        return open_readonly_env(self.ann_file)

    def close(self) -> None:
        """Close this process's LMDB environment of ``ann_file``.

        Other datasets on the same LMDB reopen it on their next read.
        """
        close_env(self.ann_file)

    # ---------------------------------------------------------- annotation
    def load_data_list(self) -> List[dict]:
        """Read all labels; drop (count, log) missing or non-UTF-8 ones.

        Returns:
            list[dict]: One ``dict(img_key=..., instances=[dict(text=...)])``
            per valid entry.
        """
        self.skip_counter.name = self.ann_file  # joined with data_root
        data_list = []
        with self._get_env().begin(write=False) as txn:
            raw = txn.get(b'num-samples')
            if raw is None:
                raise ValueError(f'{self.ann_file} has no "num-samples" key; '
                                 'not a text-recognition LMDB')
            self.total_number = int(raw.decode('ascii').strip())
            for idx in range(1, self.total_number + 1):
                label_key = f'{self.label_prefix}-{idx:09d}'
                raw_label = txn.get(label_key.encode('ascii'))
                if raw_label is None:
                    self.skip_counter.skip(label_key, 'missing label')
                    continue
                try:
                    text = raw_label.decode('utf-8')
                except UnicodeDecodeError:
                    self.skip_counter.skip(label_key, 'label not UTF-8')
                    continue
                data_list.append(
                    self.parse_data_info((f'image-{idx:09d}', text)))
        print_log(
            f'[{self.ann_file}] {len(data_list)} of {self.total_number} '
            f'samples loaded, {self.skip_counter.summary()}',
            logger='current')
        return data_list

    def _serialize_data(self) -> Tuple[np.ndarray, np.ndarray]:
        """MMEngine's packing of the data list, which fails on an empty
        one: ``indices=0`` leaves an LMDB out of a ``ConcatDataset`` (e.g.
        ``--cfg-options train_dataloader.dataset.datasets.1.indices=0``)."""
        if not self.data_list:
            return np.zeros(0, np.uint8), np.zeros(0, np.int64)
        return super()._serialize_data()

    def aspect_ratios(self) -> np.ndarray:
        """Width / height of every image, read from the encoded headers.

        Only the header is parsed (Pillow opens lazily), so this is fast
        (no pixel decoding). Used by
        :class:`~crnn_plugin.datasets.WidthBucketBatchSampler`.

        Returns:
            np.ndarray: Shape (N, ), float; NaN for an entry whose header is
            unreadable (it is skipped and counted when fetched).
        """
        ratios = np.full(len(self), np.nan)
        with self._get_env().begin(write=False) as txn:
            for i in range(len(self)):
                key = self.get_data_info(i)['img_key'].encode('ascii')
                header = image_header(txn.get(key) or b'')
                if header is not None and header[1] > 0:
                    ratios[i] = header[0] / header[1]
        return ratios

    # --------------------------------------------------------------- fetch
    def _placeholder(self) -> np.ndarray:
        """Blank image: (H, W) for grayscale, (H, W, 3) otherwise."""
        shape = self.placeholder_shape
        if self.color_type != 'grayscale':
            shape = shape + (3, )
        return np.full(shape, self.placeholder_value, dtype=np.uint8)

    def prepare_data(self, idx: int) -> Optional[dict]:
        """Decode the ``idx``-th image and run the pipeline.

        Args:
            idx (int): Index into the data list.

        Returns:
            dict or None: Pipeline output; ``None`` for a bad image in train
            mode (MMEngine then refetches a random index).
        """
        data_info = self.get_data_info(idx)
        img_key = data_info['img_key']
        with self._get_env().begin(write=False) as txn:
            img_bytes = txn.get(img_key.encode('ascii'))
        try:
            img = decode_image_bytes(img_bytes, self.color_type)
        except BadImageError as err:
            self.skip_counter.skip(img_key, err.reason)
            if not self.test_mode:
                return None
            img = self._placeholder()
        data_info['img'] = img
        data_info['img_path'] = osp.join(self.ann_file, img_key)
        data_info['img_shape'] = img.shape[:2]
        data_info['ori_shape'] = img.shape[:2]
        return self.pipeline(data_info)
