"""Datasets, transforms and LMDB tooling (registered in MMOCR's registries).

Registered names: ``LMDBTextRecogDataset``, ``SynthWordDataset``
(``DATASETS``),
``SafeLoadImageFromFile`` (``TRANSFORMS``), ``WidthBucketBatchSampler``
(``DATA_SAMPLERS``).
"""
from crnn_plugin.runtime.image_decoding import (BadImageError,
                                                decode_image_bytes)
from .lmdb_text_recog_dataset import LMDBTextRecogDataset
from .lmdb_writer import LMDBWriteResult, write_recog_lmdb
from .recog_annotation_readers import (read_label_file,
                                       read_mmocr_textrecog_json)
from .samplers import WidthBucketBatchSampler
from .skip_counter import SkipCounter
from .synth_word_dataset import SynthWordDataset
from .transforms import SafeLoadImageFromFile

__all__ = [
    'BadImageError', 'decode_image_bytes', 'LMDBTextRecogDataset',
    'LMDBWriteResult', 'write_recog_lmdb', 'read_label_file',
    'read_mmocr_textrecog_json', 'SkipCounter', 'SynthWordDataset',
    'SafeLoadImageFromFile', 'WidthBucketBatchSampler'
]
