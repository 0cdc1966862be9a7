from .greedy_ctc_postprocessor import GreedyCTCPostProcessor

__all__ = ['GreedyCTCPostProcessor']
