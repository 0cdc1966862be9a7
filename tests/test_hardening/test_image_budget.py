"""Images are vetted by their header before any pixel is decoded.

A "decompression bomb" (a PNG of 30000x30000 pixels that takes ~110 KB)
must be refused without the memory of decoding it; OpenCV must never see
bytes Pillow could not identify; GIFs decode (first frame).
"""
import io
import json
import os.path as osp
import struct
import subprocess
import sys
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from crnn_plugin.apis import ImageInputError, read_image
from crnn_plugin.datasets import BadImageError, decode_image_bytes
from crnn_plugin.runtime.image_decoding import (DEFAULT_MAX_PIXELS,
                                                vet_image_bytes)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit grayscale PNG of zeros, compressed (never held in
    memory as pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack('>I', len(data)) + kind + data + struct.pack(
            '>I', zlib.crc32(kind + data) & 0xffffffff)

    row = bytes(1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    idat = b''.join(packer.compress(row) for _ in range(height))
    idat += packer.flush()
    header = struct.pack('>IIBBBBB', width, height, 1, 0, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) +
            chunk(b'IDAT', idat) + chunk(b'IEND', b''))


@pytest.fixture(scope='module')
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp('bomb') / 'bomb.png'
    path.write_bytes(png_bomb(30000, 30000))
    return str(path)


def test_bomb_is_small_and_refused(bomb):
    assert osp.getsize(bomb) < 1 << 20
    with pytest.raises(ImageInputError, match='too large'):
        read_image(bomb)
    with open(bomb, 'rb') as f:
        with pytest.raises(BadImageError, match='too large'):
            decode_image_bytes(f.read())


def test_pixel_budget_is_checked_and_configurable():
    data = png_bomb(10000, 10000)  # over 50 Mpx, under Pillow's own error
    with pytest.raises(BadImageError, match=r'10000x10000 px, limit '
                       f'{DEFAULT_MAX_PIXELS}'):
        vet_image_bytes(data)
    small = cv2.imencode('.png', np.zeros((40, 100), np.uint8))[1].tobytes()
    assert read_image(small).shape == (40, 100)
    with pytest.raises(ImageInputError, match='limit 3999 px'):
        read_image(small, max_pixels=3999)
    with pytest.raises(ImageInputError, match='file too large'):
        read_image(small, max_bytes=len(small) - 1)


def test_opencv_never_decodes_what_pillow_cannot_vet():
    img = np.full((20, 30, 3), 0.5, np.float32)
    hdr = cv2.imencode('.hdr', img)[1].tobytes()  # Radiance: OpenCV only
    assert cv2.imdecode(np.frombuffer(hdr, np.uint8), -1) is not None
    with pytest.raises(BadImageError, match='not decodable'):
        decode_image_bytes(hdr)


def test_gif_first_frame():
    frames = [Image.new('L', (60, 20), v) for v in (30, 200)]
    buf = io.BytesIO()
    frames[0].save(buf, 'GIF', save_all=True, append_images=frames[1:])
    gray = read_image(buf.getvalue())
    assert gray.shape == (20, 60) and abs(int(gray.mean()) - 30) <= 2
    color = decode_image_bytes(buf.getvalue(), 'color')
    assert color.shape == (20, 60, 3)


PEAK_RSS = """
import importlib.util, json, resource, sys
spec = importlib.util.spec_from_file_location('decoding', sys.argv[1])
decoding = importlib.util.module_from_spec(spec)
spec.loader.exec_module(decoding)
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
normal = open(sys.argv[2], 'rb').read()
decoding.decode_image_bytes(normal)
before = peak()
try:
    decoding.decode_image_bytes(open(sys.argv[3], 'rb').read())
    result = 'decoded'
except decoding.BadImageError as err:
    result = err.reason
print(json.dumps(dict(before=before, after=peak(), result=result)))
"""


def test_bomb_costs_no_memory(bomb, tmp_path):
    """Peak RSS of a process that refuses the bomb stays at that of one
    that decoded a normal image (decoding it would need >= 900 MB)."""
    normal = tmp_path / 'normal.png'
    cv2.imwrite(str(normal), np.zeros((32, 100), np.uint8))
    module = osp.join(ROOT, 'crnn_plugin', 'runtime', 'image_decoding.py')
    out = subprocess.run(
        [sys.executable, '-c', PEAK_RSS, module, str(normal), bomb],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record['result'].startswith('too large')
    assert record['after'] - record['before'] < 20 * 1024  # KiB
