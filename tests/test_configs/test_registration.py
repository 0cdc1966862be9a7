"""Configs that import the bare package names still register our modules."""
import subprocess
import sys

SCRIPT = '''
import mmengine  # noqa: F401  (as when a config's custom_imports runs)
from mmengine.utils import import_modules_from_strings
import_modules_from_strings(['crnn_plugin', 'omr'])
from mmocr.registry import DATASETS, MODELS, TASK_UTILS
assert MODELS.get('CRNNVGG') is not None
assert DATASETS.get('SynthWordDataset') is not None
assert TASK_UTILS.get('PitchDictionary') is not None
print('registered')
'''


def test_bare_package_imports_register_modules_under_mmengine():
    out = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == 'registered'
