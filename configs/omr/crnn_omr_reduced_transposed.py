# The reduced OMR model (crnn_omr_reduced.py) trained on the clean corpus
# renders plus a second set moved to random key signatures
# (tools/data/omr_synth.py --transpose -> data/omr/train_tr), so that local
# accidentals and key signatures come in every spelling rather than in the
# few keys the corpus favours. Validation is unchanged (untransposed
# held-out pieces). Used to continue the paper-recipe run:
#   python tools/train.py configs/omr/crnn_omr_reduced_transposed.py \
#       --resume work_dirs/crnn_omr_reduced/iter_8000.pth
_base_ = ['./crnn_omr_reduced.py']

train_dataset = dict(
    _delete_=True,
    type='ConcatDataset',
    datasets=[
        dict(
            type='LMDBTextRecogDataset',
            data_root=_base_.omr_data_root,
            ann_file=split,
            img_color_type='grayscale') for split in ('train', 'train_tr')
    ],
    pipeline=_base_.train_pipeline)
train_dataloader = dict(dataset=train_dataset)
