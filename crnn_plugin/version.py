"""Version of the crnn-plugin package."""

__version__ = '0.1.0'
