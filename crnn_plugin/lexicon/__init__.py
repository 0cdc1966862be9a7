"""Lexicon-based transcription (paper §2.3.3): BK-tree search + CTC scoring."""
from .bk_tree import BKTree

__all__ = ['BKTree']
