"""Evaluation helpers registered in MMOCR's ``METRICS``."""
from .dump_results import MultiDatasetDumpResults

__all__ = ['MultiDatasetDumpResults']
