from .greedy_ctc_postprocessor import GreedyCTCPostProcessor
from .lexicon_ctc_postprocessor import LexiconCTCPostProcessor

__all__ = ['GreedyCTCPostProcessor', 'LexiconCTCPostProcessor']
