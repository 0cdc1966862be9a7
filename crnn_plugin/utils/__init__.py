"""Compatibility names: these moved to :mod:`crnn_plugin.engine`,
:mod:`crnn_plugin.checkpoint`, :mod:`crnn_plugin.evaluation`,
:mod:`crnn_plugin.cli` and :mod:`crnn_plugin.runtime.output_paths`; new code
imports them from there."""
from .. import checkpoint, cli, engine, evaluation
from ..checkpoint import *  # noqa: F401,F403
from ..cli import *  # noqa: F401,F403
from ..engine import *  # noqa: F401,F403
from ..evaluation import *  # noqa: F401,F403
from ..runtime import output_paths
from ..runtime.output_paths import *  # noqa: F401,F403

__all__ = [
    *checkpoint.__all__, *cli.__all__, *engine.__all__, *evaluation.__all__,
    *output_paths.__all__
]
