from .charset_dictionary import CHARSETS, CharsetDictionary

__all__ = ['CHARSETS', 'CharsetDictionary']
