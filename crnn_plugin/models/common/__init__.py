from .charset_dictionary import CHARSETS, CharsetDictionary
from .valid_frames import valid_frames

__all__ = ['CHARSETS', 'CharsetDictionary', 'valid_frames']
