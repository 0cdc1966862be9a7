# IIIT5K test set, MMOCR layout (prepare it with MMOCR's
# `python tools/dataset_converters/prepare_dataset.py iiit5k --task textrecog`).
iiit5k_textrecog_data_root = 'data/iiit5k'

iiit5k_textrecog_test = dict(
    type='OCRDataset',
    data_root=iiit5k_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
