"""SafeLoadImageFromFile: counted skips; OCRDataset keeps training."""
import json

import mmcv
import pytest
import torch
from datasets_helpers import encode_image, warnings_of
from mmocr.registry import DATASETS, TRANSFORMS

from crnn_plugin.datasets import SafeLoadImageFromFile, write_recog_lmdb


@pytest.fixture
def img_dir(tmp_path):
    good = encode_image(0, height=32, width=64)
    (tmp_path / 'good.png').write_bytes(good)
    (tmp_path / 'empty.png').write_bytes(b'')
    (tmp_path / 'text.png').write_bytes(b'this is not an image')
    (tmp_path / 'trunc.png').write_bytes(good[:len(good) // 2])
    return tmp_path


def test_counts_and_logs_bad_files(img_dir, log_records):
    loader = TRANSFORMS.build(
        dict(type='SafeLoadImageFromFile', color_type='grayscale'))
    assert isinstance(loader, SafeLoadImageFromFile)
    out = loader(dict(img_path=str(img_dir / 'good.png')))
    assert out['img'].shape == (32, 64) and out['img_shape'] == (32, 64)
    for name in ('empty.png', 'text.png', 'trunc.png', 'missing.png'):
        assert loader(dict(img_path=str(img_dir / name))) is None
    assert dict(loader.skip_counter.by_reason) == {
        'empty file': 1, 'not decodable': 1, 'truncated': 1, 'missing': 1}
    warned = warnings_of(log_records)
    assert len(warned) == 4
    assert any('empty.png: empty file (skipped so far: 1' in m
               for m in warned)


def test_placeholder_and_strict_modes(img_dir):
    loader = SafeLoadImageFromFile(placeholder_shape=(32, 100))
    out = loader(dict(img_path=str(img_dir / 'text.png')))
    assert out['img'].shape == (32, 100, 3) and out['img'].max() == 0
    assert loader.skip_counter.num_skipped == 1
    strict = SafeLoadImageFromFile(ignore_empty=False)
    with pytest.raises(IOError, match='empty file'):
        strict(dict(img_path=str(img_dir / 'empty.png')))
    assert strict.skip_counter.num_skipped == 1


def test_ocr_dataset_skips_bad_files_in_train_mode(img_dir, log_records):
    names = ['good.png', 'empty.png', 'text.png', 'trunc.png']
    ann = dict(metainfo=dict(task_name='textrecog'), data_list=[
        dict(img_path=n, instances=[dict(text=n[:-4])]) for n in names])
    (img_dir / 'labels.json').write_text(json.dumps(ann))
    dataset = DATASETS.build(dict(
        type='OCRDataset', data_root=str(img_dir), ann_file='labels.json',
        serialize_data=False,
        pipeline=[
            dict(type='SafeLoadImageFromFile', color_type='grayscale'),
            dict(type='Resize', scale=(100, 32), keep_ratio=False),
            dict(type='LoadOCRAnnotations', with_text=True),
            dict(type='PackTextRecogInputs',
                 meta_keys=('img_path', 'ori_shape', 'img_shape')),
        ]))
    for i in range(len(names)):  # every fetch falls back to the good one
        out = dataset[i]
        assert out['data_samples'].gt_text.item == 'good'
        assert out['inputs'].shape == torch.Size([1, 32, 100])
    loader = dataset.pipeline.transforms[0]
    assert loader.skip_counter.num_bad_keys == 3
    assert len(warnings_of(log_records)) == 3


def test_adopts_images_decoded_by_lmdb_dataset(tmp_path, log_records):
    # One pipeline (loader first) for JSON and LMDB datasets alike.
    write_recog_lmdb([(encode_image(0, width=64), 'abc'),
                      (encode_image(1, height=1, width=64), 'thin')],
                     str(tmp_path / 'x.lmdb'), show_progress=False)
    dataset = DATASETS.build(dict(
        type='LMDBTextRecogDataset', ann_file=str(tmp_path / 'x.lmdb'),
        img_color_type='color', serialize_data=False,
        pipeline=[
            dict(type='SafeLoadImageFromFile', color_type='grayscale',
                 min_size=2),
            dict(type='LoadOCRAnnotations', with_text=True),
            dict(type='Resize', scale=(100, 32), keep_ratio=False),
            dict(type='PackTextRecogInputs',
                 meta_keys=('img_path', 'ori_shape', 'img_shape')),
        ]))
    out = dataset[0]
    assert out['inputs'].shape == torch.Size([1, 32, 100])  # BGR -> gray
    assert out['data_samples'].gt_text.item == 'abc'
    assert dataset[1]['data_samples'].gt_text.item == 'abc'  # 1 px: skipped
    loader = dataset.pipeline.transforms[0]
    assert loader.skip_counter.bad_keys == {
        str(tmp_path / 'x.lmdb' / 'image-000000002')}  # refetch may repeat
    assert set(loader.skip_counter.by_reason) == {'too small'}
    color = SafeLoadImageFromFile(color_type='color')
    gray = encode_image(2)
    res = color(dict(img=mmcv.imfrombytes(gray, flag='grayscale'),
                     img_path='k'))
    assert res['img'].shape == (32, 60, 3)
