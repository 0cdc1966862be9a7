# Stage 2 of the shipped OMR model (its weights: git show
# 41f0427:checkpoints/crnn_omr_reduced.pth; crnn_omr_reduced_musescore.py
# fine-tunes them further): the classic recipe's weights
# (configs/omr/crnn_omr_reduced.py, step 30,500) fine-tuned on the diverse
# score engine (omr.engravers: verovio with 4 of its 5 music fonts +
# abcm2ps, random engraving options, slurs, dynamics, words, repeat/double
# barlines, C/cut meters, user-like crops), with the
# crop-independent input: StaffNormalize crops every image to the staff
# +- 3 spaces at height 64 (then 32 for the net) in train, val and test,
# and the ONNX export carries it to omr/recognize.py and ScoreReader.
# Same net and input rule as the classic model (the paper's reduced CRNN,
# uni-LSTM; height 64 -> 32 with the width kept); the staff crop equals the
# classic renders' (+- 3 spaces), so the weights start on familiar input.
# Data (see docs/omr.md, "Reading other engravers"):
#   python tools/data/omr_synth.py --out data/omr_diverse \
#       --engine diverse --train 40000 --val 500 --seed 11 --workers 2
#   python tools/data/omr_synth.py --out data/omr \
#       --train 6000 --val 1000 --seed 0 --workers 2
#   python tools/data/omr_heldout.py --out data/omr_heldout \
#       --per-set 200 --seed 7
# The starting weights (the classic file, kept in git history):
#   git show 65de243:checkpoints/crnn_omr_reduced.pth \
#       > checkpoints/crnn_omr_reduced_classic.pth
# Train, resumable after any interruption (bare --resume: the last
# checkpoint of the work dir), then publish the mean of the last two
# checkpoints (checkpoints/README.md):
#   python tools/train.py configs/omr/crnn_omr_reduced_diverse.py \
#       --work-dir work_dirs/crnn_omr_reduced_diverse --amp [--resume]
_base_ = ['crnn_omr_reduced_heldout-test.py']

load_from = 'checkpoints/crnn_omr_reduced_classic.pth'

staff_normalize = dict(
    type='StaffNormalize',
    height=64,
    spaces_above=3,
    spaces_below=3,
    side_spaces=1)
# The base recipe's augmentations (omr.transforms.score_augment_pipeline),
# then the staff crop.
score_augment = _base_.score_augment
pack = _base_.pack
test_pipeline = [
    staff_normalize,
    {{_base_.wide_rescale}},
    dict(type='LoadOCRAnnotations', with_text=True),
    pack,
]
train_pipeline = score_augment + test_pipeline

omr_diverse_root = 'data/omr_diverse'
lmdb = dict(type='LMDBTextRecogDataset', img_color_type='grayscale')
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            # the diverse engine, and the classic renders (kept so the
            # verovio/Leipzig look is not forgotten)
            dict(lmdb, data_root=omr_diverse_root, ann_file='train'),
            dict(lmdb, data_root='data/omr', ann_file='train'),
        ],
        pipeline=train_pipeline))
# In distribution (training styles, unseen pieces) and the held-out font.
val_sets = [(omr_diverse_root, 'val'), (omr_diverse_root, 'val_aug'),
            ('data/omr_heldout/verovio_Leland', 'val'),
            ('data/omr_heldout/verovio_Leland', 'val_aug')]
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(lmdb, data_root=root, ann_file=split, test_mode=True,
                 placeholder_shape=(64, 200), placeholder_value=255)
            for root, split in val_sets
        ],
        pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
val_evaluator = dict(
    _delete_=True,
    type='MultiDatasetsEvaluator',
    metrics=[dict(type='OMRFragmentMetric', mode='pitch')],
    dataset_prefixes=['Diverse', 'DiversePhoto', 'Leland', 'LelandPhoto'])

# Fine-tune: a smaller ADADELTA step than the paper's 1.0 (the weights
# start trained), 0.15 for the last 750 steps; a checkpoint and a
# validation every 250 steps.
optim_wrapper = dict(optimizer=dict(lr=0.5))
train_cfg = dict(max_iters=3750, val_interval=250)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[3000], gamma=0.3)
]
default_hooks = dict(checkpoint=dict(interval=250))
