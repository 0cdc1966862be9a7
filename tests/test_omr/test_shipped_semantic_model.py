"""The shipped semantic OMR model reads the committed sample fragments,
and its MusicXML / MIDI carry what it read.

``demo/scores_semantic/labels.tsv`` lists ``file<TAB>semantic symbols``:
fragments of the held-out yardstick in the music font never drawn for
training (verovio Leland), clean and photo-like (see
``demo/scores_semantic/README.md``). They are read through
``omr/recognize.py --mode semantic`` as a user runs it (the shipped model
by default).
"""
import os.path as osp

import pytest
from demo_samples import demo_dir, demo_labels

from omr import recognize

DEMO = demo_dir('scores_semantic')
SAMPLES = list(demo_labels('scores_semantic').items())


def test_model_and_samples_are_committed():
    assert osp.isfile(recognize.SEMANTIC_CHECKPOINT)
    assert osp.isfile(recognize.SEMANTIC_TORCH_CHECKPOINT)
    symbols = ' '.join(label for _, label in SAMPLES)
    assert any(name.startswith('aug_') for name, _ in SAMPLES)
    for kind in ('clef-F4', 'timeSignature-', '.', 'thirty_second',
                 'repeat-end'):
        assert kind in symbols


@pytest.mark.parametrize('name,symbols', SAMPLES)
def test_reads_sample(name, symbols, capsys):
    assert recognize.main([osp.join(DEMO, name), '--mode', 'semantic']) == 0
    assert capsys.readouterr().out == symbols + '\n'


def test_onnx_reads_like_the_checkpoint(capsys):
    paths = [osp.join(DEMO, name) for name, _ in SAMPLES]
    lines = []
    for backend in ('runtime', 'torch'):
        assert recognize.main(paths + ['--mode', 'semantic', '--backend',
                                       backend]) == 0
        lines.append(capsys.readouterr().out.splitlines())
    assert lines[0] == lines[1]
    assert [line.split('\t')[1] for line in lines[0]] == [
        symbols for _, symbols in SAMPLES]


def test_musicxml_and_midi_carry_the_reading(tmp_path, capsys):
    music21 = pytest.importorskip('music21')
    from omr.semantic_stream import stream_semantic
    name, symbols = SAMPLES[0]
    xml, mid = str(tmp_path / 'f.musicxml'), str(tmp_path / 'f.mid')
    assert recognize.main([osp.join(DEMO, name), '--mode', 'semantic',
                           '--musicxml', xml, '--midi', mid]) == 0
    assert capsys.readouterr().out == symbols + '\n'
    assert ' '.join(stream_semantic(music21.converter.parse(xml))) == symbols
    # MIDI: the read pitches and durations, the repeat played twice
    notes = [(n.nameWithOctave, float(n.quarterLength)) for n in
             music21.converter.parse(mid, quantizePost=False).recurse().notes]
    once = [(s[5:].split('_')[0], None) for s in symbols.split()
            if s.startswith('note-')]
    assert [p for p, _ in notes] == [p for p, _ in once] * 2
    assert notes[:len(once)] == [
        ('D5', .125), ('C5', .25), ('B4', .25), ('A4', .25), ('G4', .25),
        ('F#4', 1.), ('B4', .75), ('A4', .25)]


def test_score_reader_returns_semantic_symbols():
    """The Python API reads the shipped semantic model's symbols, one
    confidence each, as ``recognize.py`` prints them."""
    from crnn_plugin.runtime import ScoreReader
    reader = ScoreReader(recognize.SEMANTIC_CHECKPOINT)
    results = reader([osp.join(DEMO, name) for name, _ in SAMPLES])
    for (symbols, scores), (_, label) in zip(results, SAMPLES):
        assert symbols == label.split()
        assert len(scores) == len(symbols)
        assert all(0 < s <= 1 for s in scores)


def test_recipe_describes_the_shipped_file():
    """The shipped file's saved config (read as data) is its recipe."""
    from mmengine import Config

    from crnn_plugin.apis import config_for_checkpoint
    from crnn_plugin.checkpoint import read_checkpoint
    path = recognize.SEMANTIC_TORCH_CHECKPOINT
    saved = config_for_checkpoint(None, path, read_checkpoint(path))
    recipe = Config.fromfile(
        osp.join(osp.dirname(osp.dirname(path)), 'configs', 'omr',
                 'crnn_omr_reduced_semantic_accidentals.py'))
    assert saved.model == recipe.model
    assert saved.train_dataloader.dataset.datasets == (
        recipe.train_dataloader.dataset.datasets)
    assert saved.load_from == recipe.load_from


def test_score_reader_joins_the_pitch_models_pitches():
    """``pitch_model`` reads as ``recognize.py --mode semantic``: the
    semantic symbols with the pitch model's pitches (the samples read
    right either way), and refuses models of the wrong mode."""
    from crnn_plugin.runtime import ScoreReader
    from omr.pitch_fusion import with_pitches
    paths = [osp.join(DEMO, name) for name, _ in SAMPLES]
    joined = ScoreReader(recognize.SEMANTIC_CHECKPOINT,
                         pitch_model=recognize.DEFAULT_CHECKPOINT)(paths)
    alone = ScoreReader(recognize.SEMANTIC_CHECKPOINT)(paths)
    pitches = ScoreReader(recognize.DEFAULT_CHECKPOINT)(paths)
    assert joined == [with_pitches(symbols, notes, scores, note_scores)[:2]
                      for (symbols, scores), (notes, note_scores) in zip(
                          alone, pitches)]
    assert [symbols for symbols, _ in joined] == [
        label.split() for _, label in SAMPLES]
    with pytest.raises(ValueError, match='reads pitch tokens'):
        ScoreReader(recognize.DEFAULT_CHECKPOINT,
                    pitch_model=recognize.DEFAULT_CHECKPOINT)
    with pytest.raises(ValueError, match='not a pitch-mode model'):
        ScoreReader(recognize.SEMANTIC_CHECKPOINT,
                    pitch_model=recognize.SEMANTIC_CHECKPOINT)
