# The OMR yardstick: one figure per engraver/font, clean and photo-like.
# Sets written by tools/data/omr_heldout.py into data/omr_heldout/
# <engraver>_<font>/{val,val_aug}: validation pieces engraved by the
# diverse score engine (omr.engravers) in one style each, cropped as a
# user would (ink + random margins, random staff size). verovio/Leland,
# LilyPond and MuseScore's Emmentaler and MuseJazz are never trained on
# (omr.engravers.HELD_OUT). The test pipeline is the
# classic recipe's input rule (height 64 -> 32 with the width kept:
# StretchedRescaleToHeight, width_scale 2, as crnn_omr_reduced.py), for the
# classic weights; the shipped model (StaffNormalize first) is measured
# with crnn_omr_reduced_accidentals.py, which inherits these sets:
#   python tools/test.py configs/omr/crnn_omr_reduced_heldout-test.py \
#       checkpoints/crnn_omr_reduced_classic.pth
_base_ = ['crnn_omr_reduced.py']

test_pipeline = _base_.test_pipeline

omr_heldout_root = 'data/omr_heldout'
omr_heldout_styles = [
    'verovio_Leipzig', 'verovio_Bravura', 'verovio_Gootville',
    'verovio_Leland', 'verovio_Petaluma', 'abcm2ps_abcm2ps',
    'lilypond_Emmentaler', 'musescore_Emmentaler', 'musescore_Gonville',
    'musescore_MuseJazz', 'musescore_Bravura'
]
omr_heldout_sets = [(style, split) for style in omr_heldout_styles
                    for split in ('val', 'val_aug')]
test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(
                type='LMDBTextRecogDataset',
                data_root=f'{omr_heldout_root}/{style}',
                ann_file=split,
                img_color_type='grayscale',
                test_mode=True,
                placeholder_shape=(64, 200),
                placeholder_value=255) for style, split in omr_heldout_sets
        ],
        pipeline=test_pipeline))
test_evaluator = dict(
    _delete_=True,
    type='MultiDatasetsEvaluator',
    metrics=[dict(type='OMRFragmentMetric', mode='pitch')],
    dataset_prefixes=[
        style.replace('_', '-') + ('-photo' if split == 'val_aug' else '')
        for style, split in omr_heldout_sets
    ])
