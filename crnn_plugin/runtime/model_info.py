"""What an exported model carries besides its graph: its ONNX metadata.

:func:`~crnn_plugin.apis.export_onnx` writes these ``metadata_props``
(JSON values, keys prefixed ``crnn_``), so a file alone tells the runtime
how to read images, how to turn labels into text, and where it came from.
"""
import json
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

from .preprocessing import PipelineParams

__all__ = ['ModelInfo', 'METADATA_FORMAT', 'KINDS']

#: Version of the metadata layout written by this code.
METADATA_FORMAT = 1
#: Model kinds: word images -> text; one-staff score fragments -> tokens.
KINDS = ('text', 'score')


@dataclass(frozen=True)
class ModelInfo:
    """The self-description of an exported CRNN.

    Attributes:
        tokens (tuple[str]): Label index -> character or token (the
            MMOCR dictionary, special tokens included).
        blank (int): Index of the CTC blank.
        ignore (frozenset[int]): Labels dropped from the output (the
            postprocessor's ``ignore_indexes``; the blank at least).
        separator (str): Joins tokens into text: ``''`` for characters,
            ``' '`` for pitch tokens.
        preprocessing (PipelineParams): Color mode, height/width rule and
            normalisation of the config's test pipeline.
        kind (str): ``'text'`` or ``'score'``. Defaults to ``'text'``.
        name (str): Model name (the checkpoint's file name). Defaults to
            ``''``.
        plugin_version (str): crnn-plugin version that exported it.
            Defaults to ``''``.
        source_sha256 (str, optional): sha256 of the checkpoint it was
            exported from. Defaults to None.
        mode (str): What a score model's tokens are: ``'pitch'`` (spelled
            pitches), ``'paper'`` (staff positions) or ``'semantic'``
            (:mod:`omr.semantic_tokens`: clef, key, meter, notes with
            durations, rests, barlines); ``''`` for text models and for
            score models exported before the mode was stored (pitch
            models). Defaults to ``''``.
    """
    tokens: Tuple[str, ...]
    blank: int
    ignore: FrozenSet[int]
    separator: str
    preprocessing: PipelineParams = field(compare=False)
    kind: str = 'text'
    name: str = ''
    plugin_version: str = ''
    source_sha256: Optional[str] = None
    mode: str = ''

    def to_metadata(self) -> Dict[str, object]:
        """JSON-serialisable ``crnn_*`` entries for ``metadata_props``."""
        return dict(
            crnn_format=METADATA_FORMAT,
            crnn_kind=self.kind,
            crnn_dictionary=list(self.tokens),
            crnn_blank=self.blank,
            crnn_ignore=sorted(self.ignore),
            crnn_separator=self.separator,
            crnn_pipeline=self.preprocessing.to_dict(),
            crnn_model=self.name,
            crnn_plugin_version=self.plugin_version,
            crnn_source_sha256=self.source_sha256,
            crnn_mode=self.mode)

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, str]) -> 'ModelInfo':
        """Parse the ``metadata_props`` of an ONNX file (JSON strings).

        Files of the first export format (dictionary, blank and pipeline
        only) are read as text models that ignore the blank.

        Args:
            metadata (Mapping[str, str]): Key -> JSON text.

        Returns:
            ModelInfo: The description.

        Raises:
            ValueError: If entries are missing, malformed or from a newer
                format.
        """
        try:
            values = {
                key: json.loads(text)
                for key, text in metadata.items() if key.startswith('crnn_')
            }
        except ValueError as err:
            raise ValueError(f'malformed crnn_* metadata: {err}') from None
        missing = {'crnn_dictionary', 'crnn_blank', 'crnn_pipeline'} - set(
            values)
        if missing:
            raise ValueError(
                f'no {", ".join(sorted(missing))} in the model metadata: '
                'not a file written by tools/export_onnx.py')
        version = values.get('crnn_format', METADATA_FORMAT)
        if version > METADATA_FORMAT:
            raise ValueError(f'metadata format {version} is newer than this '
                             f'code reads ({METADATA_FORMAT}): update '
                             'crnn-plugin')
        kind = values.get('crnn_kind', 'text')
        if kind not in KINDS:
            raise ValueError(f'unknown model kind {kind!r}')
        tokens = tuple(values['crnn_dictionary'])
        blank = int(values['crnn_blank'])
        ignore = frozenset(int(i) for i in values.get('crnn_ignore', [blank]))
        if not 0 <= blank < len(tokens) or any(
                not 0 <= i < len(tokens) for i in ignore):
            raise ValueError('blank/ignored labels outside the dictionary')
        return cls(
            tokens=tokens,
            blank=blank,
            ignore=ignore,
            separator=values.get('crnn_separator', ''),
            preprocessing=PipelineParams.from_dict(values['crnn_pipeline']),
            kind=kind,
            name=values.get('crnn_model', ''),
            plugin_version=values.get('crnn_plugin_version', ''),
            source_sha256=values.get('crnn_source_sha256'),
            mode=values.get('crnn_mode', ''))
