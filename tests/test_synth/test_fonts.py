"""Font families: train/held-out split, discovery, missing-package errors."""
import glob
import os.path as osp

import pytest
from synth_helpers import debian_fonts, make_fake_font_root, tiny_corpus

from crnn_plugin.synth import (FONT_FAMILIES, HELD_OUT_FAMILIES,
                               MissingFontError, SynthWordGenerator,
                               families_of_split, find_font_files)
from crnn_plugin.synth.fonts import (CLONES, DEFAULT_FONT_ROOT,
                                     HELD_OUT_DESIGNS, MULTI_DESIGN_PACKAGES,
                                     split_of_family)


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
    assert len({f.family for f in used}) > 100  # many families get drawn
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
    train = families_of_split('train')
    present = {train[0].name, train[-1].name}
    make_fake_font_root(str(tmp_path), families=present)
    with pytest.raises(MissingFontError) as info:
        find_font_files('train', str(tmp_path))
    missing = {f.name for f in info.value.families}
    assert missing == {f.name for f in train} - present
    assert {f.package for f in train[1:-1]} <= set(info.value.packages)
    found = find_font_files('train', str(tmp_path), allow_missing=True)
    assert {f.family for f in found} == present


def test_catalog_families_are_distinct_and_clones_share_a_split():
    names = [f.name for f in FONT_FAMILIES]
    assert len(names) == len(set(names)) >= 150
    by_name = {f.name: f for f in FONT_FAMILIES}
    for design in set(CLONES.values()):
        splits = {by_name[c].held_out for c, d in CLONES.items()
                  if d == design and c in by_name}
        assert len(splits) <= 1, design
        if design in HELD_OUT_DESIGNS:
            assert splits <= {True}
    assert split_of_family('TeX Gyre Heros', 'fonts-texgyre') == \
        split_of_family('Nimbus Sans', 'fonts-urw-base35')
    # A one-design package is split as a whole.
    for package in {f.package for f in FONT_FAMILIES}:
        if package in MULTI_DESIGN_PACKAGES:
            continue
        splits = {f.held_out for f in FONT_FAMILIES
                  if f.package == package and f.name not in CLONES}
        assert len(splits) <= 1, package


def test_debian_families_are_disjoint_and_held_out():
    """On a machine with the packages: no file in two families."""
    fonts = debian_fonts('all')
    paths = [f.path for f in fonts]
    assert len(paths) == len(set(paths))
    train = {f.path for f in find_font_files('train')}
    for family in FONT_FAMILIES:
        if family.held_out:
            for pattern in family.patterns:
                files = glob.glob(osp.join(DEFAULT_FONT_ROOT,
                                           glob.escape(pattern)))
                assert files and not set(files) & train
