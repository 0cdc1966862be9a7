"""OMR extension of crnn-plugin: pitch sequences of one-staff score fragments.

Paper §3.4 (Shi, Bai & Yao, arXiv 1507.05717). Importing this package
registers its modules in MMOCR's registries (scope ``mmocr``); configs use::

    custom_imports = dict(imports=['crnn_plugin', 'omr'],
                          allow_failed_imports=False)

Heavy dependencies (music21, verovio, cairosvg) are imported inside the
functions that need them, so ``import omr`` stays light.
"""
from . import transforms  # noqa: F401  (registers the Score* transforms)
from .metrics import OMRFragmentMetric
from .pitch_dictionary import PitchDictionary

__all__ = ['OMRFragmentMetric', 'PitchDictionary']
