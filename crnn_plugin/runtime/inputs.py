"""Command-line inputs: image files, folders (their images) and globs."""
import glob
import os
import os.path as osp
from typing import List, Sequence, Tuple

from .image_input import IMAGE_EXTENSIONS

__all__ = ['expand_inputs']

GLOB_CHARS = '*?['


def expand_inputs(items: Sequence[str]) -> Tuple[List[str], List[str]]:
    """Expand folders and globs (sorted); keep plain paths as they are.

    A path that exists is taken literally even if it contains glob
    characters; a plain path that does not exist is kept, so reading it
    reports the error.

    Args:
        items (Sequence[str]): Files, folders or glob patterns.

    Returns:
        tuple(list[str], list[str]): Paths to read, and the patterns and
        folders that matched no image file.
    """
    paths, empty = [], []
    for item in items:
        if osp.isdir(item):
            found = sorted(
                osp.join(item, name) for name in os.listdir(item)
                if name.lower().endswith(IMAGE_EXTENSIONS)
                and osp.isfile(osp.join(item, name)))
        elif any(c in item for c in GLOB_CHARS) and not osp.exists(item):
            found = sorted(p for p in glob.glob(item) if osp.isfile(p))
        else:
            found = [item]
        if not found:
            empty.append(item)
        paths.extend(found)
    return paths, empty
