"""LMDBTextRecogDataset: round trip, skip-and-count, placeholder, fork."""
import os
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from datasets_helpers import (encode_image, recog_entries, warnings_of,
                              write_raw_lmdb)
from mmengine.dataset import pseudo_collate
from mmocr.registry import DATASETS

from crnn_plugin.datasets import (LMDBTextRecogDataset, lmdb_env,
                                  write_recog_lmdb)

PIPELINE = [
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='PackTextRecogInputs',
         meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]
WORDS = ['abc', 'hello', 'w0rld', 'crnn', 'lmdb', 'x9y']


def build(ann_file, **kwargs):
    # serialize_data=False only skips MMEngine's slow gc.collect() in tests
    cfg = dict(type='LMDBTextRecogDataset', ann_file=ann_file,
               img_color_type='grayscale', pipeline=PIPELINE,
               serialize_data=False)
    cfg.update(kwargs)
    return DATASETS.build(cfg)


@pytest.fixture
def good_lmdb(tmp_path):
    samples = [(encode_image(i, width=40 + 10 * i), w)
               for i, w in enumerate(WORDS)]
    write_recog_lmdb(samples, str(tmp_path / 'good.lmdb'),
                     show_progress=False)
    return str(tmp_path / 'good.lmdb')


@pytest.fixture
def bad_lmdb(tmp_path):
    """Entry 2 corrupt bytes, 4 truncated PNG, 5 empty; 1, 3, 6 valid."""
    png = encode_image(7)
    samples = [(encode_image(1), b'one'), (b'not an image', b'two'),
               (encode_image(3), b'three'), (png[:len(png) // 2], b'four'),
               (b'', b'five'), (encode_image(6), b'six')]
    return write_raw_lmdb(str(tmp_path / 'bad.lmdb'), recog_entries(samples))


def test_round_trip_through_mmocr_pipeline(good_lmdb):
    dataset = build(good_lmdb, serialize_data=True)
    assert isinstance(dataset, LMDBTextRecogDataset)
    assert len(dataset) == len(WORDS)
    for i, word in enumerate(WORDS):
        out = dataset[i]
        # grayscale (H, W) -> Resize to 32x100 -> packed (1, 32, 100)
        assert out['inputs'].shape == torch.Size([1, 32, 100])
        sample = out['data_samples']
        assert sample.gt_text.item == word
        assert sample.ori_shape == (32, 40 + 10 * i)
        assert sample.img_path == osp.join(good_lmdb, f'image-{i + 1:09d}')


def test_color_type_and_data_file_path(good_lmdb):
    # ann_file may also point at data.mdb; 'color' gives 3 channels.
    dataset = build(osp.join(good_lmdb, 'data.mdb'), img_color_type='color')
    assert dataset[0]['inputs'].shape == torch.Size([3, 32, 100])


def test_train_mode_skips_and_counts_bad_images(bad_lmdb, log_records):
    dataset = build(bad_lmdb)
    assert len(dataset) == 6
    # Direct fetch of a bad index returns None (BaseDataset then refetches).
    assert dataset.prepare_data(1) is None
    texts = [dataset[i]['data_samples'].gt_text.item for i in range(6)]
    assert set(texts) <= {'one', 'three', 'six'}
    assert texts[0] == 'one' and texts[2] == 'three' and texts[5] == 'six'
    counter = dataset.skip_counter
    assert counter.num_skipped >= 4  # idx 1 twice, 3 and 4 at least once
    assert counter.bad_keys == {
        'image-000000002', 'image-000000004', 'image-000000005'}
    assert counter.by_reason['not decodable'] >= 2
    assert counter.by_reason['truncated'] >= 1
    assert counter.by_reason['empty file'] >= 1
    warned = warnings_of(log_records)
    assert len(warned) == 3  # one warning per distinct bad entry
    assert any('image-000000002: not decodable' in m for m in warned)
    assert all('skipped so far' in m for m in warned)


def test_test_mode_uses_placeholder(bad_lmdb, log_records):
    dataset = build(bad_lmdb, test_mode=True, placeholder_shape=(32, 80))
    out = dataset[1]  # would raise in BaseDataset if None were returned
    assert out['data_samples'].gt_text.item == 'two'  # label kept: a miss
    assert out['data_samples'].ori_shape == (32, 80)
    assert out['inputs'].shape == torch.Size([1, 32, 100])
    assert int(out['inputs'].max()) == 0  # blank
    assert dataset.skip_counter.num_skipped == 1
    assert len(warnings_of(log_records)) == 1
    color = build(bad_lmdb, test_mode=True, img_color_type='color')
    assert color[4]['inputs'].shape == torch.Size([3, 32, 100])


def test_missing_image_key(tmp_path, log_records):
    path = write_raw_lmdb(
        str(tmp_path / 'm.lmdb'),
        recog_entries([(encode_image(0), b'ok'), (None, b'noimg')]))
    dataset = build(path)
    assert len(dataset) == 2
    assert dataset.prepare_data(1) is None
    assert dataset.skip_counter.by_reason == {'missing': 1}
    assert dataset[1]['data_samples'].gt_text.item == 'ok'  # refetched


def test_missing_and_non_utf8_labels_dropped_at_load(tmp_path, log_records):
    path = write_raw_lmdb(
        str(tmp_path / 'l.lmdb'),
        recog_entries([(encode_image(0), b'good'),
                       (encode_image(1), b'\xff\xfebad'),
                       (encode_image(2), None),
                       (encode_image(3), 'caf\u00e9'.encode())]))
    dataset = build(path)
    assert len(dataset) == 2
    assert [dataset[i]['data_samples'].gt_text.item for i in range(2)] == [
        'good', 'caf\u00e9']
    assert dict(dataset.skip_counter.by_reason) == {
        'label not UTF-8': 1, 'missing label': 1}
    warned = warnings_of(log_records)
    assert any('label-000000002: label not UTF-8' in m for m in warned)
    assert any('label-000000003: missing label' in m for m in warned)


def test_label_prefix_reads_labels_stored_beside(tmp_path, log_records):
    samples = [(encode_image(0), 'C5 D5', dict(semantic='clef-G2 note-C5')),
               (encode_image(1), 'E5', {}),
               (encode_image(2), 'F5', dict(semantic='clef-F4 barline'))]
    path = str(tmp_path / 's.lmdb')
    write_recog_lmdb(samples, path, show_progress=False)
    pitch = build(path)
    semantic = build(path, label_prefix='semantic')
    assert [pitch[i]['data_samples'].gt_text.item for i in range(3)] == [
        'C5 D5', 'E5', 'F5']
    # entry 2 has no semantic label: dropped and counted, images follow
    assert len(semantic) == 2
    assert [semantic[i]['data_samples'].gt_text.item for i in range(2)] == [
        'clef-G2 note-C5', 'clef-F4 barline']
    assert semantic[1]['data_samples'].img_path.endswith('image-000000003')
    assert dict(semantic.skip_counter.by_reason) == {'missing label': 1}
    assert any('semantic-000000002: missing label' in m
               for m in warnings_of(log_records))


def test_clear_errors_for_non_recognition_lmdb(tmp_path):
    path = write_raw_lmdb(str(tmp_path / 'x.lmdb'), {b'foo': b'bar'})
    with pytest.raises(ValueError, match='num-samples'):
        build(path)
    with pytest.raises(FileNotFoundError):
        build(str(tmp_path / 'nope.lmdb'))


def env_owner(dataset) -> int:
    """Pid recorded for the dataset's cached LMDB handle."""
    return lmdb_env._ENVS[osp.realpath(dataset.ann_file)][0]


def test_two_datasets_share_one_lmdb(good_lmdb):
    # e.g. the toy config trains and validates on the same LMDB
    train, val = build(good_lmdb), build(good_lmdb, test_mode=True)
    assert train.env is val.env
    assert val[2]['data_samples'].gt_text.item == WORDS[2]
    train.close()  # the other dataset reopens lazily
    assert val[3]['data_samples'].gt_text.item == WORDS[3]


def test_env_reopened_when_pid_changes(good_lmdb, monkeypatch):
    dataset = build(good_lmdb)
    first_env = dataset.env
    assert env_owner(dataset) == os.getpid()
    assert dataset.env is first_env  # reused within a process
    fake_pid = os.getpid() + 100000  # as seen by a forked child
    monkeypatch.setattr(os, 'getpid', lambda: fake_pid)
    assert dataset[2]['data_samples'].gt_text.item == WORDS[2]
    assert dataset.env is not first_env and env_owner(dataset) == fake_pid


def test_dataloader_workers_open_their_own_env(good_lmdb):
    dataset = build(good_lmdb, serialize_data=True)  # as in a real run
    dataset[0]  # the parent holds an open env when the workers fork
    parent_pid = os.getpid()
    # Record, inside the worker, which process owns the env it read from.
    dataset.pipeline.transforms.append(
        lambda r: dict(r, pid=os.getpid(), env_pid=env_owner(dataset)))
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=2, num_workers=2, collate_fn=pseudo_collate,
        multiprocessing_context='fork')
    texts, pids = [], set()
    for batch in loader:
        texts += [s.gt_text.item for s in batch['data_samples']]
        assert batch['pid'] == batch['env_pid']
        pids.update(batch['pid'])
    assert texts == WORDS
    assert parent_pid not in pids and len(pids) == 2
    assert env_owner(dataset) == parent_pid
    assert dataset[3]['data_samples'].gt_text.item == WORDS[3]  # parent ok


def test_pickle_round_trip(good_lmdb):
    dataset = build(good_lmdb)
    dataset[0]
    clone = pickle.loads(pickle.dumps(dataset))  # spawn-started workers
    assert clone[1]['data_samples'].gt_text.item == WORDS[1]


def test_committed_toy_lmdb_matches_json():
    root = osp.join(osp.dirname(__file__), '..', 'data', 'toy_words')
    lmdb_set = build(osp.join(root, 'lmdb'), pipeline=[], test_mode=True)
    json_set = DATASETS.build(
        dict(type='OCRDataset', data_root=root, ann_file='labels.json',
             test_mode=True,
             pipeline=[dict(type='LoadImageFromFile',
                            color_type='grayscale')]))
    assert len(lmdb_set) == len(json_set) == 64
    for i in (0, 31, 63):
        a, b = lmdb_set[i], json_set[i]
        assert a['instances'][0]['text'] == b['instances'][0]['text']
        np.testing.assert_array_equal(a['img'], b['img'])
    assert lmdb_set.skip_counter.num_skipped == 0
