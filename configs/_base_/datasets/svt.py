# SVT test set, MMOCR layout (prepare it with MMOCR's
# `python tools/dataset_converters/prepare_dataset.py svt --task textrecog`).
svt_textrecog_data_root = 'data/svt'

svt_textrecog_test = dict(
    type='OCRDataset',
    data_root=svt_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
