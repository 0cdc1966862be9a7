# crnn_omr_reduced_transposed.py with a second transposed set from other
# corpus files (tools/data/omr_synth.py --splits train --train-name
# train_tr2 --transpose --train 16000 --seed 2 -> data/omr/train_tr2): more
# pieces in flat keys and more accidentals, against the sharp-key bias of the
# corpus. Used to continue the transposed run from step 11,000:
#   python tools/train.py configs/omr/crnn_omr_reduced_transposed2.py \
#       --resume work_dirs/crnn_omr_reduced/iter_11000.pth
_base_ = ['./crnn_omr_reduced_transposed.py']

train_dataset = dict(datasets=[
    dict(
        type='LMDBTextRecogDataset',
        data_root=_base_.omr_data_root,
        ann_file=split,
        img_color_type='grayscale')
    for split in ('train', 'train_tr', 'train_tr2')
])
train_dataloader = dict(dataset=train_dataset)
