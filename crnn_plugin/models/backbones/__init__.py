from .crnn_vgg import CRNNVGG

__all__ = ['CRNNVGG']
