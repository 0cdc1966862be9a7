"""Reading with the runtime imports neither torch nor OpenMMLab."""
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HEAVY = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet', 'mmocr')


def test_reading_words_and_scores_stays_light():
    code = f"""
import glob, sys
from crnn_plugin import ScoreReader, TextReader
words = TextReader()(sorted(glob.glob('demo/words/*.png')))
scores = ScoreReader()(sorted(glob.glob('demo/scores/*.png')))
assert all(text for text, _ in words) and all(t for t, _ in scores)
import omr.pitch_tokens, omr.export, omr.engrave
heavy = [m for m in {HEAVY!r} if m in sys.modules]
print('heavy:', heavy)
"""
    out = subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == 'heavy: []'
