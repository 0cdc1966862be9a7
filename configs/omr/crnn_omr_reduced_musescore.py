# Stage 3 of the shipped OMR model (its weights: git show
# c1242ae:checkpoints/crnn_omr_reduced.pth; crnn_omr_reduced_accidentals.py
# fine-tunes them into the shipped file): the diverse recipe's weights
# (crnn_omr_reduced_diverse.py) fine-tuned with a third engraver drawn for
# training, MuseScore 3 in its Bravura and Gonville fonts
# (omr.engravers.TRAIN_STYLES), beside fresh verovio/abcm2ps
# renders so their look is kept. MuseScore's Emmentaler and MuseJazz fonts,
# the font verovio/Leland and the engraver LilyPond stay held out
# (omr.engravers.HELD_OUT). Same net, input rule and staff crop as the
# diverse recipe.
# Data (see docs/omr.md, "Reading other engravers"; MuseScore needs the
# Debian package musescore3, installed by tools/setup.sh --with-synth):
#   python tools/data/omr_synth.py --out data/omr_ms --engine diverse \
#       --train 1800 --splits train --seed 29 --workers 2 \
#       --styles musescore/Bravura musescore/Gonville
#   python tools/data/omr_synth.py --out data/omr_ms --engine diverse \
#       --train 1500 --splits train --train-name train_tr --transpose \
#       --seed 37 --workers 2 --styles musescore/Bravura musescore/Gonville
#   python tools/data/omr_synth.py --out data/omr_ft --engine diverse \
#       --train 12000 --splits train --seed 23 --workers 2 \
#       --styles verovio/Leipzig verovio/Bravura verovio/Gootville \
#       verovio/Petaluma abcm2ps/abcm2ps
#   python tools/data/omr_synth.py --out data/omr_ft --engine diverse \
#       --train 8000 --splits train --train-name train_tr --transpose \
#       --seed 31 --workers 2 --styles verovio/Leipzig verovio/Bravura \
#       verovio/Gootville verovio/Petaluma abcm2ps/abcm2ps
# The starting weights (the diverse recipe's file, kept in git history):
#   git show 41f0427:checkpoints/crnn_omr_reduced.pth \
#       > checkpoints/crnn_omr_reduced_diverse.pth
# Train, resumable after any interruption (bare --resume), then publish the
# mean of the last two checkpoints (checkpoints/README.md):
#   python tools/train.py configs/omr/crnn_omr_reduced_musescore.py \
#       --work-dir work_dirs/crnn_omr_reduced_musescore --amp [--resume]
_base_ = ['crnn_omr_reduced_diverse.py']

load_from = 'checkpoints/crnn_omr_reduced_diverse.pth'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # The MuseScore renders three times (a third of the samples), then
        # the verovio/abcm2ps ones; plain and transposed of each.
        datasets=[
            dict(_base_.lmdb, data_root='data/omr_ms', ann_file=split)
            for split in ('train', 'train_tr')
        ] * 3 + [
            dict(_base_.lmdb, data_root='data/omr_ft', ann_file=split)
            for split in ('train', 'train_tr')
        ],
        pipeline=_base_.train_pipeline))

# Fine-tune of trained weights: ADADELTA 0.3, x0.3 from step 451, 600
# steps (19,200 samples), a checkpoint every 50.
optim_wrapper = dict(optimizer=dict(lr=0.3))
train_cfg = dict(max_iters=600, val_interval=100000)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[450], gamma=0.3)
]
default_hooks = dict(checkpoint=dict(interval=50))
