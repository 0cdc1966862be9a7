"""decode_image_bytes: one exception with a reason for every bad input."""
import pytest
from datasets_helpers import encode_image

from crnn_plugin.datasets import BadImageError, decode_image_bytes


@pytest.mark.parametrize('ext', ['.png', '.jpg'])
def test_decodes_and_detects_truncation(ext):
    data = encode_image(0, height=32, width=50, ext=ext)
    assert decode_image_bytes(data, 'grayscale').shape == (32, 50)
    assert decode_image_bytes(data, 'color').shape == (32, 50, 3)
    assert decode_image_bytes(data + b'\x00' * 8).shape == (32, 50, 3)
    with pytest.raises(BadImageError, match='truncated'):
        decode_image_bytes(data[:len(data) * 2 // 3])


@pytest.mark.parametrize('data,reason', [(None, 'missing'),
                                         (b'', 'empty file'),
                                         (b'plain text', 'not decodable')])
def test_bad_inputs(data, reason):
    with pytest.raises(BadImageError) as info:
        decode_image_bytes(data)
    assert info.value.reason == reason


def test_min_size():
    with pytest.raises(BadImageError, match='too small'):
        decode_image_bytes(encode_image(0, height=4, width=50), min_size=8)
