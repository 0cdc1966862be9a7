"""Register the OMR modules in MMOCR's registries (scope ``mmocr``):
``PitchDictionary``, ``SemanticDictionary``, ``OMRFragmentMetric`` and the
``Score*`` transforms."""
from . import (metrics, pitch_dictionary, semantic_dictionary,  # noqa: F401
               transforms)
