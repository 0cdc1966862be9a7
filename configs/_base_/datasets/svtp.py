# SVTP test set, MMOCR layout (prepare it with MMOCR's
# `python tools/dataset_converters/prepare_dataset.py svtp --task textrecog`).
svtp_textrecog_data_root = 'data/svtp'

svtp_textrecog_test = dict(
    type='OCRDataset',
    data_root=svtp_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
