"""CRNN modules registered in MMOCR's registries (scope ``mmocr``)."""
from .backbones import *  # noqa: F401,F403
from .common import *  # noqa: F401,F403
from .decoders import *  # noqa: F401,F403
from .encoders import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .postprocessors import *  # noqa: F401,F403
from .recognizers import *  # noqa: F401,F403
