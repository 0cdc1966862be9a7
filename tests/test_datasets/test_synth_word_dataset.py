"""SynthWordDataset: renders sample i on the fly, deterministically."""
import numpy as np
import pytest

from crnn_plugin.datasets import SynthWordDataset
from crnn_plugin.synth import FontFile, WordCorpus
from crnn_plugin.synth.fonts import BUILTIN_FONT


@pytest.fixture
def dataset(monkeypatch):
    # No Debian fonts or word lists needed: the built-in font and 3 words.
    import crnn_plugin.synth as synth
    monkeypatch.setattr(synth, 'find_font_files',
                        lambda split: [FontFile(BUILTIN_FONT, 'Aileron')])
    monkeypatch.setattr(
        synth, 'WordCorpus', lambda split, **kwargs: WordCorpus(
            word_lists=(), words=['cat', 'Dog', 'emu'], split='all',
            **kwargs))
    return SynthWordDataset(num_samples=1000, seed=4, pipeline=[
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='Resize', scale=(100, 32), keep_ratio=False),
        dict(type='PackTextRecogInputs',
             meta_keys=('img_path', 'ori_shape', 'img_shape'))
    ])


def test_samples_are_a_function_of_the_index(dataset):
    a, b = dataset[7], dataset[7]
    assert len(dataset) == 1000
    assert a['inputs'].shape == (1, 32, 100)  # grayscale, resized
    assert np.array_equal(a['inputs'].numpy(), b['inputs'].numpy())
    assert a['data_samples'].gt_text.item == b['data_samples'].gt_text.item
    texts = {dataset[i]['data_samples'].gt_text.item for i in range(40)}
    assert len(texts) > 10  # random strings beside the 3 words
    assert all(t == t.lower() for t in texts)  # lower_digits labels


def test_rejects_an_empty_index_space():
    with pytest.raises(ValueError, match='num_samples'):
        SynthWordDataset(num_samples=0)


def test_mixes_in_mmengine_dataset_wrappers(dataset):
    # A config mixing two render streams, e.g. distorted and clean.
    import crnn_plugin.registration  # noqa: F401
    from mmocr.datasets import ConcatDataset
    pipeline = dataset.pipeline.transforms
    mix = ConcatDataset([
        dict(type='SynthWordDataset', num_samples=5, seed=4,
             pipeline=pipeline),
        dict(type='SynthWordDataset', num_samples=1000, seed=4, clean=True,
             pipeline=pipeline),
    ])
    assert len(mix) == 1005
    assert np.array_equal(mix[3]['inputs'].numpy(),
                          dataset[3]['inputs'].numpy())
    # Index 12 of the mix is sample 7 of the second (clean) data set.
    assert not np.array_equal(mix[12]['inputs'].numpy(),
                              dataset[7]['inputs'].numpy())
    assert (mix[12]['data_samples'].gt_text.item
            == dataset[7]['data_samples'].gt_text.item)
