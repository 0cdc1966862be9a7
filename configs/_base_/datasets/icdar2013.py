# IC13 test set, MMOCR layout (prepare it with MMOCR's
# `python tools/dataset_converters/prepare_dataset.py icdar2013 --task textrecog`).
icdar2013_textrecog_data_root = 'data/icdar2013'

icdar2013_textrecog_test = dict(
    type='OCRDataset',
    data_root=icdar2013_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
