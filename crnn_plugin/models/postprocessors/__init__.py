from .greedy_ctc_postprocessor import GreedyCTCPostProcessor
from .lexicon_ctc_postprocessor import LexiconCTCPostProcessor  # noqa: F401

__all__ = ['GreedyCTCPostProcessor']
