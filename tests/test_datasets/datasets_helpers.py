"""Plain helpers for dataset tests: image bytes, raw LMDBs, log messages."""
import logging
from typing import Dict, List

import cv2
import lmdb
import numpy as np


def encode_image(text_seed: int = 0, height: int = 32, width: int = 60,
                 ext: str = '.png') -> bytes:
    """Encode a small random grayscale image (distinct per seed)."""
    rng = np.random.default_rng(text_seed)
    img = rng.integers(0, 256, size=(height, width), dtype=np.uint8)
    ok, buf = cv2.imencode(ext, img)
    assert ok
    return buf.tobytes()


def write_raw_lmdb(path: str, entries: Dict[bytes, bytes]) -> str:
    """Write key/value pairs verbatim (to build broken LMDBs)."""
    env = lmdb.open(path, map_size=16 * 1024**2)
    with env.begin(write=True) as txn:
        for key, value in entries.items():
            txn.put(key, value)
    env.close()
    return path


def recog_entries(samples: List) -> Dict[bytes, bytes]:
    """De-facto keys for ``[(image_bytes_or_None, label_bytes_or_None)]``."""
    entries = {b'num-samples': str(len(samples)).encode()}
    for i, (img, label) in enumerate(samples, start=1):
        if img is not None:
            entries[f'image-{i:09d}'.encode()] = img
        if label is not None:
            entries[f'label-{i:09d}'.encode()] = label
    return entries


def warnings_of(records) -> List[str]:
    """Messages of the WARNING records among ``records``."""
    return [r.getMessage() for r in records if r.levelno == logging.WARNING]
