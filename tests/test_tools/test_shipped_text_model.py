"""The shipped text checkpoint reads the committed sample word images.

``demo/words/labels.tsv`` lists ``file<TAB>word``: renders by
``tools/data/synth_text.py`` in font families and words held out of
training (see ``demo/words/README.md``), read through ``tools/infer.py``
exactly as a user runs it (default checkpoint, default backend).
"""
import os.path as osp

from demo_samples import demo_dir, demo_labels
from tools_helpers import load_tool

DEMO = demo_dir('words')
SAMPLES = list(demo_labels('words').items())


def test_checkpoint_and_samples_are_committed():
    tool = load_tool('infer')
    assert osp.isfile(tool.DEFAULT_CHECKPOINT)
    assert len(SAMPLES) >= 4


def test_reads_samples_with_the_default_checkpoint(capsys):
    paths = [osp.join(DEMO, name) for name, _ in SAMPLES]
    assert load_tool('infer').main(paths) == 0
    lines = capsys.readouterr().out.splitlines()
    read = {}
    for line in lines:
        path, text, confidence = line.split('\t')
        read[path] = text
        assert 0 < float(confidence) <= 1
    assert read == {p: word for p, (_, word) in zip(paths, SAMPLES)}


def test_lexicon_margin_keeps_a_confident_reading(capsys, tmp_path):
    """Closed vocabulary turns the random string 'pfj50' into the nearby
    lexicon word; with a margin the model's confident reading stays."""
    name = next(n for n, word in SAMPLES if word == 'pfj50')
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('pfj5\nreachability\n')
    path = osp.join(DEMO, name)
    infer = load_tool('infer')
    assert infer.main([path, '--lexicon', str(lexicon)]) == 0
    assert capsys.readouterr().out.split('\t')[1] == 'pfj5'
    assert infer.main([path, '--lexicon', str(lexicon),
                       '--lexicon-margin', '7']) == 0
    assert capsys.readouterr().out.split('\t')[1] == 'pfj50'
