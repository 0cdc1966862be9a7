# Recipe of the shipped semantic OMR model
# (checkpoints/crnn_omr_reduced_semantic.pth): the first semantic file
# (crnn_omr_reduced_semantic.py, then GPU stages; model card) fine-tuned
# with altered accidentals, as the pitch model was
# (crnn_omr_reduced_accidentals.py): a quarter of the samples are fragments
# in which 15% of the untied notes got another accidental after
# transposition (omr.chromatic), so the printed sign, not the key and the
# melody, gives the pitch; the rest are MuseScore 3 (Bravura, Gonville) and
# verovio/abcm2ps renders, plain and transposed, so their look is kept, and
# MuseScore is drawn for training for the first time (its Emmentaler and
# MuseJazz fonts stay held out, omr.engravers.HELD_OUT). Same net, input and
# staff crop as the first file.
# Data: the pitch recipes' data/omr_alt, data/omr_ms and data/omr_ft (their
# configs give the commands; every set carries semantic labels too).
# The starting weights (the first semantic file, kept in git history):
#   git show 6e9d87f:checkpoints/crnn_omr_reduced_semantic.pth \
#       > checkpoints/crnn_omr_reduced_semantic_first.pth
# Train (resumable, bare --resume), average the last two checkpoints, then
# take the midpoint of the starting weights and that mean (WiSE-FT,
# Wortsman et al. 2022: the fine-tune alone read the held-out font worse,
# photo-like most; model card) and publish it (W=work_dirs):
#   python tools/train.py \
#       configs/omr/crnn_omr_reduced_semantic_accidentals.py \
#       --work-dir $W/semantic_accidentals --amp
#   python tools/average_checkpoints.py $W/semantic_accidentals/iter_350.pth \
#       $W/semantic_accidentals/iter_400.pth -o $W/semantic_accidentals.pth
#   python tools/average_checkpoints.py \
#       checkpoints/crnn_omr_reduced_semantic_first.pth \
#       $W/semantic_accidentals.pth -o $W/semantic_midpoint.pth
_base_ = ['crnn_omr_reduced_semantic.py']

load_from = 'checkpoints/crnn_omr_reduced_semantic_first.pth'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # The altered renders twice, then the MuseScore and verovio/abcm2ps
        # renders once each, plain and transposed.
        datasets=[dict(_base_.lmdb, data_root='data/omr_alt',
                       ann_file='train')] * 2 + [
            dict(_base_.lmdb, data_root=root, ann_file=split)
            for root in ('data/omr_ms', 'data/omr_ft')
            for split in ('train', 'train_tr')
        ],
        pipeline=_base_.train_pipeline))

# Fine-tune of trained weights: ADADELTA 0.2, x0.3 from step 301, 400 steps
# (12,800 samples), a checkpoint every 50.
optim_wrapper = dict(optimizer=dict(lr=0.2))
train_cfg = dict(max_iters=400)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[300], gamma=0.3)
]
default_hooks = dict(checkpoint=dict(interval=50))
