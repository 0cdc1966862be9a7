"""Font families: train/held-out split, discovery, missing-package errors."""
import glob
import os.path as osp

import pytest
from synth_helpers import debian_fonts, make_fake_font_root, tiny_corpus

from crnn_plugin.synth import (FONT_FAMILIES, HELD_OUT_FAMILIES,
                               MissingFontError, SynthWordGenerator,
                               families_of_split, find_font_files)


def test_splits_partition_the_families():
    train = {f.name for f in families_of_split('train')}
    val = {f.name for f in families_of_split('val')}
    assert val == set(HELD_OUT_FAMILIES) and len(val) >= 3
    assert not train & val
    assert train | val == {f.name for f in families_of_split('all')}
    assert len({f.name for f in FONT_FAMILIES}) == len(FONT_FAMILIES)
    with pytest.raises(ValueError, match='split'):
        families_of_split('test')


def test_fake_tree_every_file_in_its_own_family(tmp_path):
    made = make_fake_font_root(str(tmp_path))
    found = find_font_files('all', str(tmp_path))
    assert {f.path: f.family for f in found} == made


def test_train_mode_never_uses_held_out_fonts(tmp_path):
    made = make_fake_font_root(str(tmp_path))
    train = find_font_files('train', str(tmp_path))
    assert train and not {f.family for f in train} & set(HELD_OUT_FAMILIES)
    held_out_paths = {p for p, fam in made.items()
                      if fam in HELD_OUT_FAMILIES}
    assert not held_out_paths & {f.path for f in train}
    gen = SynthWordGenerator(tiny_corpus(), train, seed=3)
    used = {gen.draw_text_and_font(gen.rng(i))[1] for i in range(300)}
    assert {f.family for f in used} <= {f.family for f in train}
    assert not {f.path for f in used} & held_out_paths
    assert len({f.family for f in used}) > len(train) // 2  # all get drawn
    val = find_font_files('val', str(tmp_path))
    assert {f.family for f in val} == set(HELD_OUT_FAMILIES)


def test_missing_fonts_error_names_the_packages(tmp_path):
    with pytest.raises(MissingFontError) as info:
        find_font_files('train', str(tmp_path))
    msg = str(info.value)
    assert 'apt-get install -y' in msg
    for family in families_of_split('train'):
        assert family.package in msg
    assert isinstance(info.value, FileNotFoundError)


def test_partly_missing_fonts(tmp_path):
    make_fake_font_root(str(tmp_path), families={'DejaVu Sans', 'FreeSans'})
    with pytest.raises(MissingFontError) as info:
        find_font_files('train', str(tmp_path))
    missing = {f.name for f in info.value.families}
    assert missing == {f.name for f in families_of_split('train')} - {
        'DejaVu Sans', 'FreeSans'}
    assert {'fonts-urw-base35', 'fonts-dejavu'} <= set(info.value.packages)
    assert 'fonts-freefont-ttf' in info.value.packages  # FreeSerif, FreeMono
    found = find_font_files('train', str(tmp_path), allow_missing=True)
    assert {f.family for f in found} == {'DejaVu Sans', 'FreeSans'}


def test_debian_families_are_disjoint_and_held_out():
    """On a machine with the packages: no file in two families."""
    fonts = debian_fonts('all')
    paths = [f.path for f in fonts]
    assert len(paths) == len(set(paths))
    train = {f.path for f in find_font_files('train')}
    for family in FONT_FAMILIES:
        if family.held_out:
            for pattern in family.patterns:
                files = glob.glob(osp.join('/usr/share/fonts', pattern))
                assert files and not set(files) & train
