"""OMR extension of crnn-plugin: pitch sequences of one-staff score fragments.

Paper §3.4 (Shi, Bai & Yao, arXiv 1507.05717). ``import omr`` is light
(reading scores, exporting MusicXML/MIDI and engraving need no MMOCR); the
MMOCR modules load on first access, and configs register them with::

    custom_imports = dict(
        imports=['crnn_plugin.registration', 'omr.registration'],
        allow_failed_imports=False)

``imports=['omr']`` keeps working: imported while MMEngine is already
loaded (as by a config's ``custom_imports``), the package registers its
modules itself. Heavy dependencies (music21, verovio, cairosvg) are
imported inside the functions that need them.
"""
import importlib
import sys
from typing import Any

__all__ = ['OMRFragmentMetric', 'PitchDictionary', 'SemanticDictionary']

# Attribute -> defining submodule, imported on first access (PEP 562).
_LAZY = dict(OMRFragmentMetric='.metrics', PitchDictionary='.pitch_dictionary',
             SemanticDictionary='.semantic_dictionary')


if 'mmengine' in sys.modules:  # imported for a config: register modules
    importlib.import_module('.registration', __name__)


def __getattr__(name: str) -> Any:
    """Import an MMOCR-registered class on first access."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
