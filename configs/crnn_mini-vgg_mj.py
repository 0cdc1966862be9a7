# The paper's text-recognition setup (Shi et al. 2015, §3.2): CRNN trained
# on MJSynth at 100x32, ADADELTA (rho 0.9); tested on IIIT5K, SVT, IC13,
# IC15, SVTP and CUTE80 at height 32, width >= 100, lexicon-free.
_base_ = [
    '_base_/datasets/mjsynth.py',
    '_base_/datasets/cute80.py',
    '_base_/datasets/iiit5k.py',
    '_base_/datasets/svt.py',
    '_base_/datasets/svtp.py',
    '_base_/datasets/icdar2013.py',
    '_base_/datasets/icdar2015.py',
    '_base_/default_runtime.py',
    '_base_/schedules/schedule_adadelta_5e.py',
    '_base_/models/crnn_mini-vgg.py',
]
custom_imports = dict(
    imports=['crnn_plugin.registration'], allow_failed_imports=False)

# LMDB images arrive decoded: drop the file loader from the pipeline. For
# the MMOCR JSON layout use _base_.mjsynth_textrecog_train with
# _base_.train_pipeline instead.
mjsynth_train = _base_.mjsynth_lmdb_train.copy()
mjsynth_train.update(pipeline=_base_.train_pipeline[1:])
train_list = [mjsynth_train]
test_list = [
    _base_.cute80_textrecog_test, _base_.iiit5k_textrecog_test,
    _base_.svt_textrecog_test, _base_.svtp_textrecog_test,
    _base_.icdar2013_textrecog_test, _base_.icdar2015_textrecog_test
]

default_hooks = dict(logger=dict(type='LoggerHook', interval=50))
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='ConcatDataset', datasets=train_list))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=test_list,
        pipeline=_base_.test_pipeline))
val_dataloader = test_dataloader

val_evaluator = dict(
    dataset_prefixes=['CUTE80', 'IIIT5K', 'SVT', 'SVTP', 'IC13', 'IC15'])
test_evaluator = val_evaluator

auto_scale_lr = dict(base_batch_size=64)
