"""Every shipped config parses, imports our modules and builds its model."""
import glob
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine import Config

from mmocr.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
LEAF_CONFIGS = sorted(
    glob.glob(osp.join(ROOT, 'configs', '*.py')) +
    glob.glob(osp.join(ROOT, 'configs', 'examples', '*.py')))


def test_leaf_configs_found():
    names = {osp.basename(p) for p in LEAF_CONFIGS}
    assert {'crnn_mini-vgg_mj.py', 'crnn_mini-vgg_toy.py',
            'inherit_mmocr_crnn.py'} <= names


@pytest.mark.parametrize('path', LEAF_CONFIGS, ids=osp.basename)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports == dict(
        imports=['crnn_plugin.registration'], allow_failed_imports=False)
    assert cfg.default_scope == 'mmocr'
    model = MODELS.build(cfg.model)
    assert type(model.backbone).__name__ == 'CRNNVGG'
    assert type(model.encoder).__name__ == 'DeepBiLSTMEncoder'
    assert type(model.decoder).__name__ == 'CTCDecoder'
    out = model(torch.rand(1, 1, 32, 100), None, mode='tensor')
    assert out.shape == (1, 26, 37)


def test_paper_setup():
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'crnn_mini-vgg_mj.py'))
    assert cfg.optim_wrapper.optimizer == dict(type='Adadelta', lr=1.0,
                                               rho=0.9)
    resize = [t for t in cfg.train_pipeline if t['type'] == 'Resize'][0]
    assert resize['scale'] == (100, 32) and not resize['keep_ratio']
    rescale = [t for t in cfg.test_pipeline
               if t['type'] == 'RescaleToHeight'][0]
    assert rescale['height'] == 32 and rescale['min_width'] == 100
    metrics = {m['type'] for m in cfg.test_evaluator.metrics}
    assert metrics == {'WordMetric', 'CharMetric', 'OneMinusNEDMetric'}
    assert cfg.test_evaluator.dataset_prefixes == [
        'CUTE80', 'IIIT5K', 'SVT', 'SVTP', 'IC13', 'IC15']


def test_custom_imports_register_modules_in_fresh_process():
    """The config alone (no prior `import crnn_plugin`) finds our modules,
    also after `import crnn_plugin` under MMEngine (which registers them)."""
    code = (
        'from mmengine import Config\n'
        'from mmocr.utils import register_all_modules\n'
        'register_all_modules()\n'
        'from mmocr.registry import MODELS\n'
        'import sys, crnn_plugin\n'
        f'cfg = Config.fromfile({LEAF_CONFIGS[0]!r})\n'
        "assert 'crnn_plugin.registration' in sys.modules\n"
        'm = MODELS.build(cfg.model)\n'
        'print(type(m.backbone).__name__)\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith('CRNNVGG')
