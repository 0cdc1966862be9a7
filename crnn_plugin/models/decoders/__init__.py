from .ctc_decoder import CTCDecoder

__all__ = ['CTCDecoder']
