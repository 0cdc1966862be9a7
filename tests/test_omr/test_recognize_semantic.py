"""omr/recognize.py with semantic models: modes, JSON, exports, render."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine import Config
from mmocr.registry import MODELS
from omr_model_helpers import staff_image

from crnn_plugin.runtime import Recognition
from omr import recognize
from omr.semantic_tokens import VOCABULARY

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
CONFIG = osp.join(ROOT, 'configs', 'omr', 'crnn_omr_reduced_semantic.py')

# What a semantic model reads: model tokens and their confidences.
TOKENS = ['clef-G2', 'keySignature-1', 'timeSignature-3', '/4', 'note-F#5',
          '_quarter.', 'note-G5', '_eighth', 'tie', 'barline', 'note-G5',
          '_half', 'rest-quarter', 'barline-end']
SCORES = [.9, .8, .7, .95, .6, .5, .9, .99, .3, 1., .8, .7, .4, .2]
SYMBOLS = ['clef-G2', 'keySignature-1', 'timeSignature-3/4',
           'note-F#5_quarter.', 'note-G5_eighth', 'tie', 'barline',
           'note-G5_half', 'rest-quarter', 'barline-end']
# What the pitch model reads from the same image: the same three notes.
PITCHES = ['F#5', 'G5', 'G5']


class FakeReader:
    """A loaded model that reads ``tokens`` (default :data:`TOKENS`) from
    any image."""

    def __init__(self, mode, tokens=TOKENS, scores=SCORES):
        self.mode, self.tokens, self.scores = mode, tokens, scores

    def read(self, paths, on_error='return'):
        for _ in paths:
            yield Recognition(' '.join(self.tokens),
                              float(np.mean(self.scores)), self.scores,
                              np.zeros(0))


@pytest.fixture
def image(tmp_path):
    path = str(tmp_path / 'staff.png')
    cv2.imwrite(path, staff_image())
    return path


def run(monkeypatch, capsys, mode, *args, pitches=PITCHES,
        pitch_scores=None, pitch_mode='pitch'):
    """Run the command with a fake ``mode`` model and, for a semantic
    reading, a fake pitch model reading ``pitches``; returns the status
    and the printed lines."""
    loaded = []

    def load_reader(args, checkpoint=None):
        loaded.append(checkpoint)
        if checkpoint is None:
            return FakeReader(mode)
        return FakeReader(pitch_mode, pitches,
                          pitch_scores or [1.] * len(pitches))

    monkeypatch.setattr(recognize, 'load_reader', load_reader)
    status = recognize.main(list(args))
    out = capsys.readouterr()
    run.loaded = loaded
    return status, out.out, out.err


def test_semantic_model_prints_symbols_by_default(image, monkeypatch,
                                                  capsys):
    status, out, _ = run(monkeypatch, capsys, 'semantic', image)
    assert status == 0 and out == ' '.join(SYMBOLS) + '\n'
    status, out, _ = run(monkeypatch, capsys, 'semantic', image, '--json')
    res = json.loads(out)
    assert res['mode'] == 'semantic' and res['tokens'] == SYMBOLS
    # a note's confidence is the lower of its pitch and duration tokens
    assert [s['confidence'] for s in res['symbols']] == [
        .9, .8, .7, .5, .9, .3, 1., .7, .4, .2]
    assert [s['symbol'] for s in res['symbols']] == SYMBOLS


def test_semantic_reading_takes_the_pitch_models_pitches(
        image, monkeypatch, capsys):
    status, out, _ = run(monkeypatch, capsys, 'semantic', image, '--json',
                         pitches=['F5', 'Ab5', 'G5'],
                         pitch_scores=[.95, .4, 1.])
    res = json.loads(out)
    assert status == 0 and run.loaded == [None,
                                          recognize.DEFAULT_CHECKPOINT]
    assert res['tokens'] == ['clef-G2', 'keySignature-1',
                             'timeSignature-3/4', 'note-F5_quarter.',
                             'note-Ab5_eighth', 'tie', 'barline',
                             'note-G5_half', 'rest-quarter', 'barline-end']
    # a note's confidence: the lower of the two models'
    assert [s['confidence'] for s in res['symbols']][3:5] == [.5, .4]


def test_semantic_reading_stands_when_the_note_counts_differ(
        image, monkeypatch, capsys):
    status, out, _ = run(monkeypatch, capsys, 'semantic', image,
                         pitches=['F5', 'Ab5'])
    assert status == 0 and out == ' '.join(SYMBOLS) + '\n'


def test_pitch_model_none_and_checkpoint_read_with_one_model(
        image, monkeypatch, capsys):
    status, out, _ = run(monkeypatch, capsys, 'semantic', image,
                         '--pitch-model', 'none', pitches=['F5', 'A5', 'E5'])
    assert status == 0 and out == ' '.join(SYMBOLS) + '\n'
    assert run.loaded == [None]
    status, out, _ = run(monkeypatch, capsys, 'semantic', image,
                         '--checkpoint', 'mine.onnx',
                         pitches=['F5', 'A5', 'E5'])
    assert status == 0 and out == ' '.join(SYMBOLS) + '\n'
    assert run.loaded == [None]
    status, out, _ = run(monkeypatch, capsys, 'semantic', image,
                         '--checkpoint', 'mine.onnx', '--pitch-model',
                         'p.onnx', pitches=['F5', 'A5', 'E5'])
    assert status == 0 and out.split()[3:5] == ['note-F5_quarter.',
                                                'note-A5_eighth']
    assert run.loaded == [None, 'p.onnx']


def test_outputs_never_replace_the_pitch_model(image, monkeypatch, capsys,
                                               tmp_path):
    """Not even the default one, which no argument names."""
    pitch_model = tmp_path / 'pitch.onnx'
    pitch_model.write_bytes(b'model')
    monkeypatch.setattr(recognize, 'DEFAULT_CHECKPOINT', str(pitch_model))
    status, out, err = run(monkeypatch, capsys, 'semantic', image,
                           '--mode', 'semantic', '--render',
                           str(pitch_model), '--force')
    assert status == 2 and out == '' and run.loaded == []
    assert err.startswith(f'error: --render {pitch_model} is the input')
    assert pitch_model.read_bytes() == b'model'


def test_pitch_model_of_another_mode_is_one_error_line(image, monkeypatch,
                                                       capsys):
    status, out, err = run(monkeypatch, capsys, 'semantic', image,
                           '--pitch-model', 'paper.onnx',
                           pitch_mode='paper')
    assert status == 2 and out == ''
    assert err == 'error: --pitch-model paper.onnx is not a pitch-mode ' \
        'model\n'


def test_pitch_and_paper_modes_of_a_semantic_model(image, monkeypatch,
                                                   capsys):
    status, out, _ = run(monkeypatch, capsys, 'semantic', image, '--mode',
                         'pitch', '--json')
    res = json.loads(out)
    assert status == 0 and res['tokens'] == ['F#5', 'G5', 'G5']
    assert [n['confidence'] for n in res['notes']] == [.6, .9, .8]
    status, out, _ = run(monkeypatch, capsys, 'semantic', image, '--mode',
                         'paper')
    assert out == 'F5 G5 G5\n'


def test_semantic_mode_of_a_pitch_model_is_one_error_line(
        image, monkeypatch, capsys):
    status, out, err = run(monkeypatch, capsys, 'pitch', image, '--mode',
                           'semantic')
    assert status == 2 and out == ''
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: --mode semantic')


def test_exports_carry_durations_rests_meter_key_clef(image, tmp_path,
                                                      monkeypatch, capsys):
    music21 = pytest.importorskip('music21')
    from omr.semantic_stream import stream_semantic
    xml, mid = str(tmp_path / 'o.musicxml'), str(tmp_path / 'o.mid')
    status, _, _ = run(monkeypatch, capsys, 'semantic', image, '--musicxml',
                       xml, '--midi', mid)
    assert status == 0
    assert stream_semantic(music21.converter.parse(xml)) == SYMBOLS
    sounding = {}
    for n in music21.converter.parse(mid).recurse().notes:
        sounding[n.pitch.midi] = sounding.get(n.pitch.midi, 0) + \
            n.quarterLength
    assert sounding == {78: 1.5, 79: 0.5 + 2}


def test_render_engraves_the_symbols(image, tmp_path, monkeypatch, capsys):
    pytest.importorskip('verovio')
    pytest.importorskip('cairosvg')
    out = str(tmp_path / 'r.png')
    status, _, _ = run(monkeypatch, capsys, 'semantic', image, '--render',
                       out)
    picture = cv2.imread(out, cv2.IMREAD_GRAYSCALE)
    assert status == 0 and picture.shape[0] > 2 * 64
    assert (picture[:64] < 128).mean() > 0.01  # ink of the engraving


@pytest.fixture(scope='module')
def semantic_onnx(tmp_path_factory):
    """A random-weight semantic model exported to ONNX."""
    from crnn_plugin.apis import TextRecognizer, export_onnx
    folder = tmp_path_factory.mktemp('semantic_onnx')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(CONFIG).model)
    model.init_weights()
    checkpoint = str(folder / 'semantic.pth')
    torch.save({'state_dict': model.state_dict()}, checkpoint)
    recognizer = TextRecognizer(CONFIG, checkpoint, backend='torch')
    path = str(folder / 'semantic.onnx')
    export_onnx(recognizer.model, path, metadata=recognizer.metadata())
    return path


def test_exported_semantic_model_carries_its_mode(semantic_onnx, image,
                                                  capsys):
    from crnn_plugin.runtime import ScoreReader
    reader = ScoreReader(semantic_onnx)
    assert reader.mode == 'semantic' and reader.info.kind == 'score'
    assert list(reader.info.tokens[:292]) == list(VOCABULARY)
    assert recognize.main([image, '--checkpoint', semantic_onnx,
                           '--json']) == 0
    res = json.loads(capsys.readouterr().out)
    assert res['mode'] == 'semantic'
    assert len(res['symbols']) == len(res['tokens'])


def test_shipped_pitch_model_refuses_semantic_mode(image, capsys):
    if not osp.isfile(recognize.DEFAULT_CHECKPOINT):
        pytest.skip('shipped OMR model not in this checkout')
    from crnn_plugin.runtime import ScoreReader
    assert ScoreReader().mode == 'pitch'
    assert recognize.main([image, '--mode', 'semantic', '--checkpoint',
                           recognize.DEFAULT_CHECKPOINT]) == 2
    assert 'pitch-mode model' in capsys.readouterr().err


def test_semantic_mode_reads_with_the_shipped_semantic_model(image, capsys):
    if not osp.isfile(recognize.SEMANTIC_CHECKPOINT):
        pytest.skip('shipped semantic OMR model not in this checkout')
    assert recognize.main([image, '--mode', 'semantic', '--json']) == 0
    assert json.loads(capsys.readouterr().out)['mode'] == 'semantic'
