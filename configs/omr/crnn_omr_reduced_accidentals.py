# Recipe of the shipped OMR model (checkpoints/crnn_omr_reduced.pth): the
# MuseScore recipe's weights (crnn_omr_reduced_musescore.py) fine-tuned with
# altered accidentals: fragments in which 15% of the untied notes got another
# accidental after transposition (omr.chromatic), so that the printed sign,
# not the key and the melody around it, gives the pitch; beside them the
# MuseScore recipe's renders, so their look is kept. Same net, input rule,
# staff crop and held-out styles (omr.engravers.HELD_OUT) as the MuseScore
# recipe.
# Data (the MuseScore recipe's data/omr_ms and data/omr_ft, see its config,
# plus):
#   python tools/data/omr_synth.py --out data/omr_alt --engine diverse \
#       --splits train --train 4000 --transpose --alter 0.15 --seed 41 \
#       --workers 1
# The starting weights (the MuseScore recipe's file, kept in git history):
#   git show c1242ae:checkpoints/crnn_omr_reduced.pth \
#       > checkpoints/crnn_omr_reduced_musescore.pth
# Two training stages, each resumable after any interruption (bare
# --resume), each ending in the mean of its last two checkpoints, then a
# third that only averages (tools/average_checkpoints.py; W=work_dirs):
#   1. the altered renders twice (a quarter of the samples), 400 steps,
#      x0.3 from step 301:
#      python tools/train.py configs/omr/crnn_omr_reduced_accidentals.py \
#          --work-dir $W/accidentals_1 --amp --cfg-options \
#          train_dataloader.dataset.datasets.0.times=2 \
#          train_cfg.max_iters=400 param_scheduler.0.milestones=[300] \
#          load_from=checkpoints/crnn_omr_reduced_musescore.pth
#      python tools/average_checkpoints.py $W/accidentals_1/iter_350.pth \
#          $W/accidentals_1/iter_400.pth -o $W/accidentals_1/mean.pth
#   2. this file as it stands: the altered renders four times (41% of the
#      samples), 800 steps from stage 1's mean, x0.3 from step 601:
#      python tools/train.py configs/omr/crnn_omr_reduced_accidentals.py \
#          --work-dir $W/accidentals_2 --amp
#      python tools/average_checkpoints.py $W/accidentals_2/iter_750.pth \
#          $W/accidentals_2/iter_800.pth -o $W/accidentals_2/mean.pth
#   3. the midpoint of the starting weights and stage 2's mean (WiSE-FT,
#      Wortsman et al. 2022: it kept the blurred fragments' accidentals that
#      stage 2 alone read worse; model card), then publish it
#      (checkpoints/README.md):
#      python tools/average_checkpoints.py \
#          checkpoints/crnn_omr_reduced_musescore.pth \
#          $W/accidentals_2/mean.pth -o $W/accidentals.pth
_base_ = ['crnn_omr_reduced_musescore.py']

load_from = 'work_dirs/accidentals_1/mean.pth'

# Each set carries the pipeline itself (MMOCR's ConcatDataset can only hand
# one to plain datasets, not to a RepeatDataset).
lmdb = dict(_base_.lmdb, pipeline=_base_.train_pipeline)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # The altered renders repeated, then the MuseScore recipe's renders
        # once each, plain and transposed.
        datasets=[
            dict(type='RepeatDataset', times=4,
                 dataset=dict(lmdb, data_root='data/omr_alt',
                              ann_file='train'))
        ] + [
            dict(lmdb, data_root=root, ann_file=split)
            for root in ('data/omr_ms', 'data/omr_ft')
            for split in ('train', 'train_tr')
        ]))

# ADADELTA 0.3, x0.3 from step 601, 800 steps (25,600 samples), a
# checkpoint every 50.
train_cfg = dict(max_iters=800)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[600], gamma=0.3)
]
