"""tools/analysis/omr_errors.py reads an LMDB with the shipped OMR model."""
import importlib.util
import json
import os.path as osp
import re

from demo_samples import demo_labels

from crnn_plugin.datasets import write_recog_lmdb
from crnn_plugin.runtime import Recognition

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'demo', 'scores')
spec = importlib.util.spec_from_file_location(
    'omr_errors', osp.join(ROOT, 'tools', 'analysis', 'omr_errors.py'))
omr_errors = importlib.util.module_from_spec(spec)
spec.loader.exec_module(omr_errors)


def test_error_classes_of_the_demo_fragments(tmp_path, capsys):
    """The shipped model reads the demo fragments right (see
    test_shipped_omr_model.py); labels changed here make known mistakes."""
    labels = demo_labels('scores')
    changed = {
        'clean_03.png': ('C5 B4 A4', 'letter_wide'),  # Bb4 read
        'clean_44.png': ('D3 F3 F3 E3 A3 D3 E3 F3 G3 A3 B3 C4', 'length'),
        'aug_19.png': (labels['aug_19.png'].replace('F#5 E5', 'F5 E5', 1),
                       'accidental'),  # one F# of several
    }
    names = ['clean_03.png', 'clean_12.png', 'clean_44.png', 'aug_19.png']
    samples = []
    for name in names:
        with open(osp.join(DEMO, name), 'rb') as f:
            samples.append((f.read(), changed.get(name, (labels[name], ))[0]))
    write_recog_lmdb(samples, str(tmp_path / 'val'), show_progress=False)
    out = tmp_path / 'errors.jsonl'
    summary = omr_errors.main([
        osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced.pth'), '--lmdb',
        str(tmp_path / 'val'), '--out', str(out)
    ])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r['index'] for r in rows] == [1, 2, 3, 4]
    assert [r['error'] for r in rows] == [
        changed.get(name, (None, 'correct'))[1] for name in names]
    assert rows[1]['read'] == labels['clean_12.png']
    assert summary['classes'] == dict(correct=1, length=1, staff_position=0,
                                      letter_wide=1, accidental=1)
    assert summary['confusion'] == {('', 'b'): 1, ('', '#'): 1}
    printed = capsys.readouterr().out
    assert '4 fragments of' in printed and 'none -> b' in printed
    # --num reads only the first fragments
    assert omr_errors.main([
        osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced.pth'), '--lmdb',
        str(tmp_path / 'val'), '--num', '2'])['fragments'] == 2


def test_semantic_mode_counts_every_symbol_edit(tmp_path, capsys):
    """A (random) semantic model's readings: one class per symbol edit, the
    symbol error rate as OMRFragmentMetric counts it."""
    from rapidfuzz.distance import Levenshtein
    from tools_helpers import (SEMANTIC_LABELS, write_semantic_lmdb,
                               write_tiny_semantic_model)
    config, checkpoint = write_tiny_semantic_model(str(tmp_path))
    lmdb_path = write_semantic_lmdb(str(tmp_path))
    out = tmp_path / 'errors.jsonl'
    summary = omr_errors.main([checkpoint, '--mode', 'semantic', '--lmdb',
                               lmdb_path, '--out', str(out)])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r['truth'] for r in rows] == SEMANTIC_LABELS
    assert all(len(r['error']) == Levenshtein.distance(
        r['truth'].split(), r['read'].split()) for r in rows)
    assert summary['symbols'] == sum(len(t.split())
                                     for t in SEMANTIC_LABELS)
    assert summary['edits'] == sum(len(r['error']) for r in rows) == sum(
        summary['classes'].values())
    printed = capsys.readouterr().out
    assert f'6 fragments of {lmdb_path}' in printed
    assert 'symbol error rate' in printed


def test_pitch_model_readings_are_recognize_py_readings(tmp_path,
                                                        monkeypatch):
    """``--pitch-model`` reads as ``omr/recognize.py --mode semantic`` does
    with the two shipped models (the committed semantic samples, which it
    reads right)."""
    import pytest
    from tools_helpers import write_semantic_lmdb
    labels = demo_labels('scores_semantic')
    images = []
    for name in labels:
        with open(osp.join(ROOT, 'demo', 'scores_semantic', name), 'rb') as f:
            images.append(f.read())
    lmdb_path = write_semantic_lmdb(str(tmp_path), list(labels.values()),
                                    images)
    out = tmp_path / 'errors.jsonl'
    pitch_model = osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced.pth')
    summary = omr_errors.main([
        osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced_semantic.pth'),
        '--mode', 'semantic', '--pitch-model', pitch_model, '--lmdb',
        lmdb_path, '--out', str(out)])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r['read'] for r in rows] == list(labels.values())
    assert summary['right'] == len(labels)
    # the readings take the pitch model's pitches: one that reads each
    # fragment's notes all as C4
    notes = {image: label.count('note-')
             for image, label in zip(images, labels.values())}
    load = omr_errors.load_recognizer
    monkeypatch.setattr(omr_errors, 'load_recognizer', lambda c, cfg: (
        load(c, cfg) if c != pitch_model else lambda batch: [
            Recognition(' '.join(['C4'] * notes[batch[0]]), 1., [], None)]))
    omr_errors.main([
        osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced_semantic.pth'),
        '--mode', 'semantic', '--pitch-model', pitch_model, '--lmdb',
        lmdb_path, '--out', str(out)])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r['read'] for r in rows] == [
        re.sub(r'note-[A-G][#b]*\d', 'note-C4', label)
        for label in labels.values()]
    with pytest.raises(SystemExit, match='--pitch-model needs'):
        omr_errors.main([pitch_model, '--pitch-model', pitch_model,
                         '--lmdb', lmdb_path])
