"""Data transforms (registered in MMOCR's ``TRANSFORMS``)."""
from .safe_load_image_from_file import SafeLoadImageFromFile

__all__ = ['SafeLoadImageFromFile']
