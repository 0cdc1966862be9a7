"""Saved config text is evaluated as data only."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from crnn_plugin.checkpoint import (ConfigTextError, config_from_text,
                                    parse_config_text)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.mark.parametrize('name', ['crnn_mini-vgg_synth', 'crnn_omr_reduced'])
def test_shipped_checkpoints_read_as_before(name):
    text = torch.load(osp.join(ROOT, 'checkpoints', f'{name}.pth'),
                      weights_only=True)['meta']['cfg']
    assert config_from_text(text).to_dict() == Config.fromstring(
        text, '.py').to_dict()


def test_every_config_dump_reads_as_before():
    leaves = [p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                                   recursive=True) if '_base_' not in p]
    assert len(leaves) >= 6
    for path in leaves:
        text = Config.fromfile(path).pretty_text
        assert parse_config_text(text) == Config.fromstring(
            text, '.py').to_dict(), path


def test_data_forms():
    cfg = parse_config_text(
        "a = dict(x=[1, -2.5, +3], y=('s', None, True), z={'k': {1, 2}})\n"
        "b = dict(a, w=list((1, 2)))\n'''doc'''\n__hidden = 1\n")
    assert cfg == dict(a=dict(x=[1, -2.5, 3], y=('s', None, True),
                              z={'k': {1, 2}}),
                       b=dict(x=[1, -2.5, 3], y=('s', None, True),
                              z={'k': {1, 2}}, w=[1, 2]))
    cfg['b']['x'].append(0)  # names are copies, not aliases
    assert cfg['a']['x'] == [1, -2.5, 3]


@pytest.mark.parametrize('text, reason', [
    ("x = 1\ny = __import__('os').system('true')", 'line 2: a call of'),
    ('import os', 'Import statements'),
    ('from os import path', 'ImportFrom statements'),
    ('x = dict.fromkeys', 'attribute access'),
    ('x = dict.fromkeys([1])', 'a call of dict.fromkeys'),
    ('x = open("f")', 'a call of open'),
    ('x = lambda: 0', 'Lambda'),
    ('x = [i for i in (1, 2)]', 'ListComp'),
    ('x = 2 ** 99999', 'BinOp'),
    ('x = y', "name 'y' is not assigned"),
    ("_base_ = ['a.py']", 'inheritance'),
    ('x = dict(**{})', 'unpacking'),
    ('x = list(1, 2)', 'at most one'),
    ('x = (', 'not valid Python'),
    ('def f():\n    pass', 'FunctionDef'),
    ('x: int = 1', 'AnnAssign'),
    ('a, b = 1, 2', 'only "name = value"'),
    ("custom_imports = dict(imports=['os'])", 'custom_imports may only'),
])
def test_rejects_code(text, reason):
    with pytest.raises(ConfigTextError, match=reason) as info:
        config_from_text(text, 'x.pth (meta.cfg)')
    assert str(info.value).startswith('x.pth (meta.cfg)')
    assert '\n' not in str(info.value)


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(ConfigTextError):
        parse_config_text('x = ' + '[' * 100000 + ']' * 100000)
