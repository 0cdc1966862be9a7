"""write_recog_lmdb: de-facto keys, batching, map growth, skips."""
import lmdb
import pytest
from datasets_helpers import encode_image

from crnn_plugin.datasets import SkipCounter, write_recog_lmdb


def read_all(path):
    env = lmdb.open(path, readonly=True, lock=False)
    with env.begin() as txn:
        items = {bytes(k): bytes(v) for k, v in txn.cursor()}
    env.close()
    return items


def test_keys_are_one_based_and_contiguous(tmp_path):
    good = [encode_image(i) for i in range(3)]
    png_file = tmp_path / 'a.png'
    png_file.write_bytes(good[2])
    samples = [(good[0], 'zero'), (b'garbage', 'bad'), (good[1], 'caf\u00e9'),
               (str(tmp_path / 'missing.png'), 'gone'),
               (str(png_file), 'file'), (good[0], None)]
    res = write_recog_lmdb(samples, str(tmp_path / 'out'), batch_size=2,
                           show_progress=False)
    assert res.num_written == 3 and res.num_skipped == 3
    assert dict(res.skip_counter.by_reason) == {
        'not decodable': 1, 'missing file': 1, 'no label': 1}
    items = read_all(str(tmp_path / 'out'))
    assert items[b'num-samples'] == b'3'
    assert items[b'image-000000001'] == good[0]
    assert items[b'label-000000002'] == 'caf\u00e9'.encode('utf-8')
    assert items[b'image-000000003'] == good[2]
    assert items[b'label-000000003'] == b'file'
    assert len(items) == 1 + 2 * 3  # no gaps, nothing else


def test_map_size_grows_when_full(tmp_path):
    # 40 images of ~ 100 KiB each into a map that starts at 256 KiB
    big = [encode_image(i, height=200, width=500) for i in range(40)]
    assert sum(map(len, big)) > 8 * 256 * 1024
    res = write_recog_lmdb([(b, f'w{i}') for i, b in enumerate(big)],
                           str(tmp_path / 'big'), batch_size=8,
                           map_size=256 * 1024, show_progress=False)
    assert res.num_written == 40
    env = lmdb.open(str(tmp_path / 'big'), readonly=True, lock=False)
    assert env.info()['map_size'] >= 8 * 256 * 1024  # doubled >= 3 times
    env.close()
    items = read_all(str(tmp_path / 'big'))
    assert items[b'num-samples'] == b'40'
    assert items[b'image-000000040'] == big[39]


def test_existing_output_needs_overwrite(tmp_path):
    out = str(tmp_path / 'out')
    write_recog_lmdb([(encode_image(0), 'a')], out, show_progress=False)
    with pytest.raises(FileExistsError):
        write_recog_lmdb([(encode_image(1), 'b')], out, show_progress=False)
    write_recog_lmdb([(encode_image(1), 'b')], out, overwrite=True,
                     show_progress=False)
    assert read_all(out)[b'label-000000001'] == b'b'


def test_no_check_keeps_undecodable_bytes_and_shared_counter(tmp_path):
    counter = SkipCounter('shared')
    counter.skip('line 3', 'no label')  # e.g. from an annotation reader
    res = write_recog_lmdb([(b'garbage', 'x')], str(tmp_path / 'o'),
                           check_images=False, show_progress=False,
                           skip_counter=counter)
    assert res.num_written == 1 and res.num_skipped == 1
    assert read_all(str(tmp_path / 'o'))[b'image-000000001'] == b'garbage'
