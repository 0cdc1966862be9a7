# CT80 test set, MMOCR layout (prepare it with MMOCR's
# `python tools/dataset_converters/prepare_dataset.py cute80 --task textrecog`).
cute80_textrecog_data_root = 'data/cute80'

cute80_textrecog_test = dict(
    type='OCRDataset',
    data_root=cute80_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
