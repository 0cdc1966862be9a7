# MJSynth (Jaderberg et al. 2014), the paper's only training data (§3.1).
mjsynth_textrecog_data_root = 'data/mjsynth'

# LMDB as MJSynth is commonly distributed (keys num-samples / image-%09d /
# label-%09d), e.g. data/mjsynth/lmdb/ = data_lmdb_release/training/MJ/*.
# Images come decoded from the LMDB: use a pipeline without a loader.
mjsynth_lmdb_train = dict(
    type='LMDBTextRecogDataset',
    data_root=mjsynth_textrecog_data_root,
    ann_file='lmdb',
    img_color_type='grayscale',
    pipeline=None)

# MMOCR JSON layout (MMOCR's `prepare_dataset.py mjsynth --task textrecog`).
mjsynth_textrecog_train = dict(
    type='OCRDataset',
    data_root=mjsynth_textrecog_data_root,
    ann_file='textrecog_train.json',
    pipeline=None)
