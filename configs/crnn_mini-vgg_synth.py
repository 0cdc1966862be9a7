# The paper's CRNN trained on our synthetic words, rendered on the fly
# (SynthWordDataset: ~660 training font families, full distortion) and
# validated on an LMDB of held-out font families and words
# (tools/data/synth_text.py --fonts val). Iteration-based with frequent
# atomic checkpoints, so long CPU runs can be interrupted and resumed
# (`tools/train.py ... --resume`). Adam with a short warm-up instead of
# the paper's ADADELTA, whose constant step made single checkpoints wander
# by several points (model card).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/schedules/schedule_adadelta_5e.py',
    '_base_/models/crnn_mini-vgg.py',
]
custom_imports = dict(
    imports=['crnn_plugin.registration'], allow_failed_imports=False)

synth_data_root = 'data/synth'
# Rendered images arrive decoded: the pipelines start after the file loader.
train_dataset = dict(
    type='SynthWordDataset',
    num_samples=10_000_000,  # 156k batches of 64
    fonts='train',
    mark_share=0.15,  # punctuation drawn, left out of the label
    seed=0,
    pipeline=_base_.train_pipeline[1:])
val_dataset = dict(
    type='LMDBTextRecogDataset',
    data_root=synth_data_root,
    ann_file='val',  # held-out font families and words
    img_color_type='grayscale',
    test_mode=True,
    placeholder_shape=(32, 100),
    pipeline=_base_.test_pipeline[1:])

train_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=True,
    # Each index is an independent random render: no shuffling needed.
    sampler=dict(type='InfiniteSampler', shuffle=False),
    dataset=train_dataset)
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=val_dataset)
test_dataloader = val_dataloader

optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=3e-4),
    clip_grad=dict(max_norm=5.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=200)
]
train_cfg = dict(
    _delete_=True,
    type='SkipAheadIterBasedTrainLoop',
    max_iters=300000,
    val_interval=2000)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='AtomicCheckpointHook',
        interval=500,
        by_epoch=False,
        max_keep_ckpts=3))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
val_evaluator = dict(dataset_prefixes=['SynthVal'])
test_evaluator = val_evaluator
