# The reduced OMR model (crnn_omr_reduced.py, same weights' shapes) fed
# images twice as wide: height 64 -> 32 with the width kept
# (StretchedRescaleToHeight, width_scale=2), so that an accidental or a
# key-signature sign spans twice the CNN frames (at the aspect-kept 32 px a
# flat is ~3 px wide, under one 4-column frame). Data: crnn_omr_reduced_
# transposed2.py (clean + two transposed sets). Used to continue the
# transposed run from step 11,000 (same optimizer state):
#   python tools/train.py configs/omr/crnn_omr_reduced_wide.py \
#       --resume work_dirs/crnn_omr_reduced/iter_11000.pth
_base_ = ['./crnn_omr_reduced_transposed2.py']

# min_width: 100 at the aspect-kept scale = 200 stretched.
wide_rescale = dict(
    type='StretchedRescaleToHeight',
    height=32,
    width_scale=2.0,
    min_width=200,
    max_width=None)
train_pipeline = _base_.score_augment + [
    wide_rescale,
    dict(type='LoadOCRAnnotations', with_text=True),
    _base_.pack,
]
test_pipeline = [
    wide_rescale,
    dict(type='LoadOCRAnnotations', with_text=True),
    _base_.pack,
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
