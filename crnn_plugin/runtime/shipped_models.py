"""The models shipped in ``checkpoints/``: PyTorch weights and their ONNX
exports (fp16-stored weights, computed in fp32), kept in sync by
``tools/export_onnx.py --fp16-weights`` (each ONNX file records the sha256
of the ``.pth`` it was exported from)."""
import os.path as osp

__all__ = [
    'CHECKPOINT_DIR', 'TEXT_MODEL', 'SCORE_MODEL', 'SEMANTIC_SCORE_MODEL',
    'SHIPPED'
]

#: ``checkpoints/`` of the source tree (an editable install keeps it).
CHECKPOINT_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'checkpoints')
#: Word images -> text (lowercase letters and digits).
TEXT_MODEL = osp.join(CHECKPOINT_DIR, 'crnn_mini-vgg_synth.onnx')
#: One-staff score fragments -> pitch tokens.
SCORE_MODEL = osp.join(CHECKPOINT_DIR, 'crnn_omr_reduced.onnx')
#: One-staff score fragments -> semantic symbols (clef, key, meter, notes
#: with durations, rests, ties, barlines).
SEMANTIC_SCORE_MODEL = osp.join(CHECKPOINT_DIR,
                                'crnn_omr_reduced_semantic.onnx')
_CONFIGS = osp.join(osp.dirname(CHECKPOINT_DIR), 'configs', 'omr')
#: ONNX file -> (source checkpoint, config, kind).
SHIPPED = {
    TEXT_MODEL: (osp.join(CHECKPOINT_DIR, 'crnn_mini-vgg_synth.pth'),
                 None, 'text'),
    SCORE_MODEL: (osp.join(CHECKPOINT_DIR, 'crnn_omr_reduced.pth'),
                  osp.join(_CONFIGS, 'crnn_omr_reduced.py'), 'score'),
    SEMANTIC_SCORE_MODEL: (
        osp.join(CHECKPOINT_DIR, 'crnn_omr_reduced_semantic.pth'),
        osp.join(_CONFIGS, 'crnn_omr_reduced_semantic.py'), 'score'),
}
