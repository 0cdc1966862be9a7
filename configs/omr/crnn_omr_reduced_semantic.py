# Beyond the paper: the reduced OMR CRNN reading rhythm too. Same backbone
# and input rule as crnn_omr_reduced_diverse.py (StaffNormalize crop, height
# 64 -> 32 with the width kept), but the CTC reads semantic labels
# (omr.semantic: clef, key and time signature, notes with durations, rests,
# ties, barlines) with SemanticDictionary: 292 model tokens, a note's pitch
# and its duration as two tokens (omr.semantic_tokens). Trained on the
# diverse score engine's semantic-%09d labels (the classic renders of
# data/omr have none); scored by symbol error rate, fragment accuracy and
# the pitch accuracy of the pitches within the reading (OMRFragmentMetric,
# mode 'semantic'), per engraver/font on the held-out sets.
# A documented variant of the paper's reduced net: its two LSTM layers are
# bidirectional (with the paper's text-model projection between them), as
# a semantic token often depends on what lies right of where it is read: a
# duration on the augmentation dot after the notehead, a key signature's
# count on the accidentals that follow its first one (docs/omr.md, semantic
# mode: what the unidirectional net read).
# Starts from the diverse recipe's pitch model (crnn_omr_reduced_diverse.py;
# the file: git show 41f0427:checkpoints/crnn_omr_reduced.pth >
# checkpoints/crnn_omr_reduced_diverse.pth): the backbone and the first
# layer's forward LSTM load; the rest (backward directions, the projection,
# the second layer, the 294-class output layer) start fresh, with
# MMEngine's size-mismatch warnings.
#   python tools/train.py configs/omr/crnn_omr_reduced_semantic.py \
#       --work-dir work_dirs/crnn_omr_reduced_semantic [--resume]
#   python tools/test.py configs/omr/crnn_omr_reduced_semantic.py \
#       work_dirs/crnn_omr_reduced_semantic/iter_N.pth
_base_ = ['crnn_omr_reduced_diverse.py']

load_from = 'checkpoints/crnn_omr_reduced_diverse.pth'

# Unknown token: a meter outside the vocabulary (additive, or a numerator
# above 32) trains as <UKN> instead of stopping the run.
dictionary = dict(
    type='SemanticDictionary', mode='semantic', with_unknown=True)
model = dict(
    encoder=dict(bidirectional=True, project=True),
    decoder=dict(in_channels=512, dictionary=dictionary))

test_pipeline = _base_.test_pipeline
train_pipeline = _base_.train_pipeline
lmdb = dict(
    type='LMDBTextRecogDataset',
    img_color_type='grayscale',
    label_prefix='semantic')
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(lmdb, data_root=_base_.omr_diverse_root, ann_file='train')
        ],
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(lmdb, data_root=root, ann_file=split, test_mode=True,
                 placeholder_shape=(64, 200), placeholder_value=255)
            for root, split in _base_.val_sets
        ],
        pipeline=test_pipeline))
val_evaluator = dict(
    metrics=[dict(type='OMRFragmentMetric', mode='semantic')])
# The held-out yardstick (crnn_omr_reduced_heldout-test.py): every
# engraver/font, clean and photo-like, read from the semantic labels.
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(lmdb, data_root=f'{_base_.omr_heldout_root}/{style}',
                 ann_file=split, test_mode=True, placeholder_shape=(64, 200),
                 placeholder_value=255)
            for style, split in _base_.omr_heldout_sets
        ],
        pipeline=test_pipeline))
test_evaluator = dict(
    metrics=[dict(type='OMRFragmentMetric', mode='semantic')])

# A new output layer (294 classes) on trained features: the fine-tune's
# ADADELTA step for 3,000 steps, x0.3 from step 2,400; a checkpoint every
# 250 steps, a validation every 500.
train_cfg = dict(max_iters=3000, val_interval=500)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[2400], gamma=0.3)
]
