"""Recognizers."""
from .crnn_recognizer import CRNNRecognizer

__all__ = ['CRNNRecognizer']
