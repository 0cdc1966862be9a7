# A small word-image set shipped in the repo (tests/data/toy_words),
# rendered by tools/data/make_toy_dataset.py.
toy_words_data_root = 'tests/data/toy_words'

toy_words_train = dict(
    type='OCRDataset',
    data_root=toy_words_data_root,
    ann_file='labels.json',
    pipeline=None)

toy_words_test = dict(
    type='OCRDataset',
    data_root=toy_words_data_root,
    ann_file='labels.json',
    test_mode=True,
    pipeline=None)
