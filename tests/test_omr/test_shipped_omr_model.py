"""The shipped OMR checkpoint reads the committed sample fragments.

``demo/scores/labels.tsv`` lists ``file<TAB>pitch tokens``: validation
fragments (corpus files never used in training) rendered by
``tools/data/omr_synth.py``, clean and augmented, with their ground truth
(see ``demo/scores/README.md``). They are read through ``omr/recognize.py``
as a user runs it (default checkpoint).
"""
import os.path as osp

import pytest
from demo_samples import demo_labels

from omr import recognize
from omr.pitch_dictionary import strip_accidental

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'demo', 'scores')
SAMPLES = list(demo_labels('scores').items())


def test_checkpoint_and_samples_are_committed():
    assert osp.isfile(recognize.DEFAULT_CHECKPOINT)
    assert len(SAMPLES) >= 4
    assert any(name.startswith('aug_') for name, _ in SAMPLES)
    assert any('#' in tokens or 'b' in tokens for _, tokens in SAMPLES)
    # bass clef: every note below middle C's octave
    assert any(all(t[-1] in '23' for t in tokens.split())
               for _, tokens in SAMPLES)


@pytest.mark.parametrize('name,tokens', SAMPLES)
def test_reads_sample_in_both_modes(name, tokens, capsys):
    path = osp.join(DEMO, name)
    assert recognize.main([path]) == 0
    assert capsys.readouterr().out == tokens + '\n'
    paper = ' '.join(strip_accidental(t) for t in tokens.split())
    assert recognize.main([path, '--mode', 'paper']) == 0
    assert capsys.readouterr().out == paper + '\n'
