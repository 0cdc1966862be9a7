"""Generator: determinism per (seed, index), labels, shapes, styles."""
import numpy as np
from synth_helpers import BUILTIN, tiny_corpus

from crnn_plugin.synth import (CLEAN_STYLE, MARKS, SynthWordGenerator,
                               iter_encoded, render_word)


def _gen(**kwargs):
    kwargs.setdefault('seed', 7)
    return SynthWordGenerator(tiny_corpus(random_share=0.4), BUILTIN,
                              **kwargs)


def test_same_seed_same_bytes_any_order():
    a, b = _gen(), _gen()
    forward = [a(i).to_bytes() for i in range(12)]
    backward = [b(i).to_bytes() for i in reversed(range(12))][::-1]
    assert forward == backward
    other = _gen(seed=8)
    assert sum(other(i).to_bytes() != forward[i] for i in range(12)) >= 10


def test_iter_encoded_workers_identical():
    gen = _gen()
    one = list(iter_encoded(gen, 24, workers=1, start=5))
    two = list(iter_encoded(gen, 24, workers=2, start=5, chunksize=3))
    assert one == two
    assert one[0][0] == gen(5).to_bytes()


def test_labels_and_shapes():
    lower, alnum = _gen(charset='lower_digits'), _gen(charset='alnum')
    for i in range(15):
        s, t = lower(i), alnum(i)
        assert s.text == t.text  # text drawn before anything else
        assert s.label == s.text.lower() and t.label == t.text
        assert s.image.dtype == np.uint8 and s.image.ndim == 2
        assert s.image.shape[0] == 32 and s.image.shape[1] >= 4
    marked = SynthWordGenerator(tiny_corpus(mark_share=1.0), BUILTIN)
    for i in range(15):
        s = marked(i)
        assert set(s.text.lower()) - set(s.label) <= set(MARKS)
        assert not s.text.isalnum()
        assert s.label == ''.join(c for c in s.text.lower() if c.isalnum())
    color = _gen(color=True)(0).image
    assert color.ndim == 3 and color.shape[0] == 32 and color.shape[2] == 3


def test_jpeg_bytes_match_image():
    import cv2
    gen = _gen()
    samples = [gen(i) for i in range(30)]
    jpegs = [s for s in samples if s.encoded is not None]
    assert jpegs and len(jpegs) < len(samples)
    for s in samples:
        decoded = cv2.imdecode(np.frombuffer(s.to_bytes(), np.uint8),
                               cv2.IMREAD_GRAYSCALE)
        assert np.array_equal(decoded, s.image)


def test_clean_style_black_on_white():
    gen = _gen(style=CLEAN_STYLE)
    for i in range(10):
        img = gen(i).image
        assert img.min() < 60 and np.median(img) > 250  # mostly white
        assert gen(i).encoded is None  # no JPEG


def test_distorted_images_keep_contrast():
    gen = _gen()
    for i in range(40):
        img = gen(i).image.astype(np.float32)
        assert img.std() > 8, i  # text remains visible


def test_render_word_long_text_width():
    rng = np.random.default_rng(0)
    short, _ = render_word('ab', BUILTIN[0].path, rng, CLEAN_STYLE)
    rng = np.random.default_rng(0)
    long, _ = render_word('abababababab', BUILTIN[0].path, rng, CLEAN_STYLE)
    assert long.shape[1] > 4 * short.shape[1] * 0.8


def test_workers_fork_safely_after_opencv_threads_ran():
    """Regression: forking while OpenCV's thread pool runs deadlocked the
    workers (their first cv2 call waited on the parent's condition
    variables). A watchdog thread turns a hang into a failure."""
    import threading

    import cv2
    before = cv2.getNumThreads()
    cv2.setNumThreads(2)
    big = np.random.default_rng(0).random((600, 600), dtype=np.float32)
    for _ in range(3):
        cv2.GaussianBlur(big, (0, 0), 3)  # starts the pool's threads
    result = []
    worker = threading.Thread(target=lambda: result.extend(
        iter_encoded(_gen(), 20, workers=2, chunksize=2)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    try:
        assert not worker.is_alive(), 'iter_encoded hung after fork'
        assert len(result) == 20
        assert cv2.getNumThreads() == 2  # the caller's setting restored
    finally:
        cv2.setNumThreads(before)
