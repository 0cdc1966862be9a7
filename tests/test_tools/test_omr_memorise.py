import os.path as osp
import re
import sys

import cv2
import pytest

from crnn_plugin.datasets.lmdb_writer import write_recog_lmdb

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
sys.path.insert(0, osp.join(ROOT, 'tests', 'test_omr'))
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis'))
import omr_memorise  # noqa: E402
from omr_model_helpers import staff_image  # noqa: E402

CONFIG = osp.join(ROOT, 'configs', 'omr', 'crnn_omr_reduced.py')


@pytest.fixture
def two_fragments(tmp_path):
    rows = [(26, 30, 34), (38, 34, 30)]
    samples = [(cv2.imencode('.png', staff_image(width=130, note_rows=r))[1]
                .tobytes(), text)
               for r, text in zip(rows, ('E5 C5 A4', 'F4 A4 C5'))]
    out = str(tmp_path / 'lmdb')
    write_recog_lmdb(samples, out, show_progress=False)
    return out


@pytest.mark.parametrize('variant',
                         ['paper', 'adam+bn-all+flatten', 'text-init'])
def test_loss_falls_on_two_fragments(two_fragments, variant, capsys):
    omr_memorise.main([
        CONFIG, '--variant', variant, '--lmdb', two_fragments, '--num', '2',
        '--batch-size', '2', '--steps', '20', '--log-interval', '5'
    ])
    losses = [float(x) for x in
              re.findall(r'loss (\d+\.\d+)', capsys.readouterr().out)]
    assert len(losses) == 4
    assert losses[-1] < losses[0]


def test_text_init_copies_the_text_convs():
    from crnn_plugin.apis import load_recognizer
    from crnn_plugin.models.backbones import CRNNVGG
    omr = CRNNVGG(skip_convs=(4, 6), bn_after=(5, ))
    assert omr_memorise.copy_text_convs(omr) == [1, 2, 3, 5, 7]
    _, text = load_recognizer(checkpoint=omr_memorise.TEXT_CHECKPOINT)
    for idx, (conv, *bn) in omr.paper_convs().items():
        source = text.backbone.paper_convs()[idx]
        assert conv.weight.equal(source[0].weight)
        if bn:
            assert bn[0].running_mean.equal(source[1].running_mean)


def test_unknown_variant():
    with pytest.raises(SystemExit, match='unknown variant'):
        omr_memorise.main([CONFIG, '--variant', 'paper+wider'])


def test_max_tokens_filter(two_fragments, capsys):
    omr_memorise.main([
        CONFIG, '--lmdb', two_fragments, '--max-tokens', '3', '--steps', '1'
    ])
    assert '2 fragments in 1 batches' in capsys.readouterr().out
    with pytest.raises(SystemExit, match='at most 2 notes'):
        omr_memorise.main([CONFIG, '--lmdb', two_fragments,
                           '--max-tokens', '2', '--steps', '1'])
