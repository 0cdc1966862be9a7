"""Register the OMR modules in MMOCR's registries (scope ``mmocr``):
``PitchDictionary``, ``OMRFragmentMetric`` and the ``Score*`` transforms."""
from . import metrics, pitch_dictionary, transforms  # noqa: F401
