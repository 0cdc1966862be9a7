"""Readers for text-recognition annotations, as (image path, text) pairs.

Used by ``tools/data/convert_to_lmdb.py`` to feed
:func:`~crnn_plugin.datasets.write_recog_lmdb`.
"""
import json
import os.path as osp
from typing import List, Optional, Tuple

from .skip_counter import SkipCounter


def _resolve(img_path: str, img_root: str) -> str:
    return img_path if osp.isabs(img_path) else osp.join(img_root, img_path)


def read_label_file(label_file: str,
                    img_root: Optional[str] = None,
                    skip_counter: Optional[SkipCounter] = None
                    ) -> List[Tuple[str, str]]:
    """Read a UTF-8 label file with lines ``relative/path.jpg<sep>label``.

    ``<sep>`` is the first TAB if the line has one (the label may then hold
    spaces), else the first space. Blank lines are ignored; lines without a
    label or not valid UTF-8 are skipped and counted.

    Args:
        label_file (str): Path of the label file.
        img_root (str, optional): Directory relative image paths start from.
            Defaults to the label file's directory.
        skip_counter (SkipCounter, optional): Counter for bad lines.
            Defaults to a new one.

    Returns:
        list[tuple[str, str]]: ``(image path, text)`` pairs.

    Example:
        >>> # labels.txt: "imgs/0.png\\thello world\\nimgs/1.png w0rd\\n"
        >>> read_label_file('labels.txt')  # doctest: +SKIP
        [('./imgs/0.png', 'hello world'), ('./imgs/1.png', 'w0rd')]
    """
    img_root = osp.dirname(label_file) if img_root is None else img_root
    counter = skip_counter or SkipCounter(name=label_file)
    pairs = []
    with open(label_file, 'rb') as f:
        for lineno, raw in enumerate(f, start=1):
            where = f'{label_file}:{lineno}'
            try:
                line = raw.decode('utf-8').rstrip('\r\n')
            except UnicodeDecodeError:
                counter.skip(where, 'line not UTF-8')
                continue
            if lineno == 1:
                line = line.lstrip('\ufeff')  # UTF-8 BOM
            if not line.strip():
                continue
            sep = '\t' if '\t' in line else ' '
            parts = line.split(sep, 1)
            if len(parts) != 2 or not parts[0]:
                counter.skip(where, 'no label')
                continue
            pairs.append((_resolve(parts[0], img_root), parts[1]))
    return pairs


def read_mmocr_textrecog_json(json_file: str,
                              img_root: Optional[str] = None,
                              skip_counter: Optional[SkipCounter] = None
                              ) -> List[Tuple[str, str]]:
    """Read an MMOCR 1.x text-recognition annotation JSON.

    Format: ``{"metainfo": {...}, "data_list": [{"img_path": "...",
    "instances": [{"text": "..."}]}, ...]}``. Entries without exactly one
    instance with a ``text`` are skipped and counted.

    Args:
        json_file (str): Path of the JSON file.
        img_root (str, optional): Directory relative ``img_path`` values start
            from (MMOCR's ``data_root`` + ``data_prefix``). Defaults to the
            JSON file's directory.
        skip_counter (SkipCounter, optional): Counter for bad entries.
            Defaults to a new one.

    Returns:
        list[tuple[str, str]]: ``(image path, text)`` pairs.
    """
    img_root = osp.dirname(json_file) if img_root is None else img_root
    counter = skip_counter or SkipCounter(name=json_file)
    with open(json_file, encoding='utf-8') as f:
        data_list = json.load(f)['data_list']
    pairs = []
    for pos, info in enumerate(data_list):
        img_path = info.get('img_path')
        instances = info.get('instances') or []
        if not img_path:
            counter.skip(f'{json_file}[{pos}]', 'no img_path')
            continue
        if len(instances) != 1 or not isinstance(instances[0].get('text'),
                                                 str):
            counter.skip(img_path, 'not exactly one text instance')
            continue
        pairs.append((_resolve(img_path, img_root), instances[0]['text']))
    return pairs
