# IC15 test set, MMOCR layout (prepare it with MMOCR's
# `python tools/dataset_converters/prepare_dataset.py icdar2015 --task textrecog`).
icdar2015_textrecog_data_root = 'data/icdar2015'

icdar2015_textrecog_test = dict(
    type='OCRDataset',
    data_root=icdar2015_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
