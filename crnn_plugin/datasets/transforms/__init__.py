"""Data transforms (registered in MMOCR's ``TRANSFORMS``)."""
from .safe_load_image_from_file import SafeLoadImageFromFile
from .stretched_rescale_to_height import StretchedRescaleToHeight

__all__ = ['SafeLoadImageFromFile', 'StretchedRescaleToHeight']
