"""Reading inputs: odd but valid images convert, bad ones name a reason,
and the resize matches MMOCR's RescaleToHeight."""
import cv2
import numpy as np
import pytest
from PIL import Image

from mmocr.datasets.transforms import RescaleToHeight
from crnn_plugin.runtime import (ImageInputError, read_image, rescale,
                                 target_width)


def write(tmp_path, name, array=None, pil=None):
    path = str(tmp_path / name)
    if pil is not None:
        pil.save(path)
    else:
        cv2.imwrite(path, array)
    return path


def test_gray_png_matches_opencv_grayscale(tmp_path):
    img = np.random.default_rng(0).integers(0, 256, (20, 50, 3), np.uint8)
    path = write(tmp_path, 'c.png', img)
    expected = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    assert np.array_equal(read_image(path), expected)
    assert read_image(path, 'color').shape == (20, 50, 3)


def test_sixteen_bit(tmp_path):
    img = np.linspace(0, 65535, 32 * 100).reshape(32, 100).astype(np.uint16)
    out = read_image(write(tmp_path, 'u16.png', img))
    assert out.dtype == np.uint8
    assert np.abs(out.astype(int) - (img >> 8)).max() <= 1
    assert np.array_equal(read_image(img), (img >> 8).astype(np.uint8))


def test_transparent_text_is_composited_over_white(tmp_path):
    rgba = np.zeros((32, 100, 4), np.uint8)  # transparent black...
    rgba[10:20, 10:90, 3] = 255  # ...with an opaque black bar
    out = read_image(write(tmp_path, 'rgba.png', rgba))
    assert out[0, 0] == 255 and out[15, 50] == 0
    gray_alpha = Image.fromarray(rgba[:, :, [0, 3]], 'LA')
    out = read_image(write(tmp_path, 'la.png', pil=gray_alpha))
    assert out[0, 0] == 255 and out[15, 50] == 0


def test_palette_image(tmp_path):
    rgb = np.zeros((32, 100, 3), np.uint8)
    rgb[:, 50:] = 200
    pil = Image.fromarray(rgb).convert('P')
    out = read_image(write(tmp_path, 'p.png', pil=pil))
    assert out.shape == (32, 100) and out[0, 0] == 0
    assert abs(int(out[0, 99]) - 200) <= 8  # nearest palette colour
    pil.info['transparency'] = pil.getpixel((0, 0))  # black -> transparent
    out = read_image(write(tmp_path, 'pt.png', pil=pil))
    assert out[0, 0] == 255


@pytest.mark.parametrize('content,reason', [
    (b'', 'empty file'),
    (b'definitely not an image', 'not decodable'),
])
def test_bad_bytes(tmp_path, content, reason):
    path = tmp_path / 'bad.png'
    path.write_bytes(content)
    with pytest.raises(ImageInputError) as err:
        read_image(str(path))
    assert err.value.reason == reason and err.value.source == str(path)


def test_truncated_missing_and_folder(tmp_path):
    path = write(tmp_path, 'ok.png', np.zeros((32, 100), np.uint8))
    data = open(path, 'rb').read()
    with pytest.raises(ImageInputError, match='truncated'):
        read_image(data[:len(data) // 2])
    with pytest.raises(ImageInputError, match='No such file'):
        read_image(str(tmp_path / 'missing.png'))
    with pytest.raises(ImageInputError):
        read_image(str(tmp_path))


def test_too_many_pixels_refused_from_header(tmp_path):
    path = write(tmp_path, 'big.png', pil=Image.new('L', (3000, 2000)))
    with pytest.raises(ImageInputError, match='too large'):
        read_image(path, max_pixels=1_000_000)
    assert read_image(path).shape == (2000, 3000)


def test_unsupported_arrays():
    with pytest.raises(ImageInputError, match='pixel type'):
        read_image(np.zeros((4, 4), np.float32))
    with pytest.raises(ImageInputError, match='shape'):
        read_image(np.zeros((4, 4, 5), np.uint8))


@pytest.mark.parametrize('shape', [(32, 100), (64, 300), (10, 17), (50, 30),
                                   (7, 333), (45, 451)])
@pytest.mark.parametrize('options', [
    dict(min_width=100),
    dict(min_width=32, width_divisor=16),
    dict(min_width=None, max_width=128),
])
def test_rescale_matches_mmocr(shape, options):
    img = np.random.default_rng(1).integers(0, 256, shape, np.uint8)
    expected = RescaleToHeight(height=32, **options)(dict(img=img))['img']
    width = target_width(*shape, height=32, **options)
    assert np.array_equal(rescale(img, width), expected)
