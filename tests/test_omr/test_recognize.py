"""omr/recognize.py plumbing with tiny checkpoints made here.

The committed sample images with their correct output are tested once the
trained weights are shipped; here the weights are random or rigged so that
every frame says 'C#5'.
"""
import json
import os.path as osp
import subprocess
import sys
import types

import cv2
import numpy as np
import pytest
import torch
from mmengine import Config
from mmocr.registry import MODELS
from demo_samples import demo_labels
from omr_model_helpers import staff_image

from omr import recognize
from omr.export import music21_name
from omr.pitch_dictionary import PitchDictionary

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
SCRIPT = osp.join(ROOT, 'omr', 'recognize.py')
CONFIG = osp.join(ROOT, 'configs', 'omr', 'crnn_omr_reduced.py')


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """Images and two state-dict checkpoints (no config inside)."""
    tmp = tmp_path_factory.mktemp('recognize')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(CONFIG).model)
    model.init_weights()
    paths = dict(random=str(tmp / 'random.pth'), rigged=str(tmp / 'c.pth'))
    torch.save({'state_dict': model.state_dict()}, paths['random'])
    state = model.state_dict()
    bias = torch.full((181, ), -10.)
    bias[PitchDictionary().char2idx('C#5')] = 10.
    state['decoder.classifier.weight'] = torch.zeros(181, 256)
    state['decoder.classifier.bias'] = bias
    torch.save(state, paths['rigged'])  # a bare state dict
    paths['image'] = str(tmp / 'staff.png')
    cv2.imwrite(paths['image'], staff_image())
    rgba = np.zeros((90, 700, 4), np.uint8)  # ink on transparency
    rgba[..., 3] = 255 - cv2.resize(staff_image(), (700, 90))
    paths['rgba'] = str(tmp / 'rgba.png')
    cv2.imwrite(paths['rgba'], rgba)
    paths['text'] = str(tmp / 'notes.png')
    with open(paths['text'], 'w') as f:
        f.write('not an image')
    paths['empty'] = str(tmp / 'empty.jpg')
    open(paths['empty'], 'wb').close()
    paths['tmp'] = str(tmp)
    return paths


def run_cli(*args):
    return subprocess.run([sys.executable, SCRIPT, *args],
                          capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_real_command_bad_input_one_line(files):
    out = run_cli(files['text'], '--checkpoint', files['rigged'])
    assert out.returncode == 1 and out.stdout == ''
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ')
    assert files['text'] in lines[0]


def test_real_command_prints_tokens(files):
    # no --config: a bare state dict falls back to the reduced OMR config
    out = run_cli(files['image'], '--checkpoint', files['rigged'])
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout == 'C#5\n'


@pytest.mark.parametrize('name', ['empty', 'text', 'missing'])
def test_bad_inputs(files, name, capsys):
    path = files.get(name, osp.join(files['tmp'], 'missing.png'))
    assert recognize.main([path, '--checkpoint', files['rigged']]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f'error: {path}: ')


def test_missing_default_checkpoint(files, capsys, monkeypatch):
    monkeypatch.setattr(recognize, 'DEFAULT_CHECKPOINT',
                        osp.join(files['tmp'], 'none.pth'))
    assert recognize.main([files['image']]) == 2
    assert 'pass --checkpoint' in capsys.readouterr().err


def test_json_modes_and_exports(files, capsys):
    import music21
    xml = osp.join(files['tmp'], 'out.musicxml')
    mid = osp.join(files['tmp'], 'out.mid')
    assert recognize.main([
        files['rgba'], '--checkpoint', files['rigged'], '--json',
        '--musicxml', xml, '--midi', mid
    ]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res['mode'] == 'pitch' and res['tokens'] == ['C#5']
    assert [n['pitch'] for n in res['notes']] == ['C#5']
    assert 0.99 < res['notes'][0]['confidence'] <= 1
    notes = list(music21.converter.parse(xml).recurse().notes)
    assert [(n.nameWithOctave, n.quarterLength) for n in notes] == [('C#5',
                                                                     1.0)]
    assert [n.pitch.midi for n in music21.converter.parse(
        mid).recurse().notes] == [73]
    assert recognize.main(
        [files['image'], '--checkpoint', files['rigged'], '--mode',
         'paper']) == 0
    assert capsys.readouterr().out == 'C5\n'


def test_random_weights_give_valid_tokens(files, capsys):
    import music21
    xml = osp.join(files['tmp'], 'random.musicxml')
    assert recognize.main([
        files['image'], '--checkpoint', files['random'], '--config', CONFIG,
        '--json', '--musicxml', xml
    ]) == 0
    res = json.loads(capsys.readouterr().out)
    dictionary = PitchDictionary()
    assert res['tokens'] and all(dictionary.contains(t)
                                 for t in res['tokens'])
    assert len(res['notes']) == len(res['tokens'])
    parsed = [n.pitch.nameWithOctave
              for n in music21.converter.parse(xml).recurse().notes]
    assert parsed == [music21_name(t) for t in res['tokens']]


def test_render_stacks_engraving_above_input(files, monkeypatch, capsys):
    calls = []

    def fake_engrave(tokens, clef='treble'):
        calls.append((list(tokens), clef))
        return np.full((50, 250), 200, np.uint8)

    monkeypatch.setitem(sys.modules, 'omr.engrave',
                        types.SimpleNamespace(engrave_tokens=fake_engrave))
    out = osp.join(files['tmp'], 'render.png')
    assert recognize.main(
        [files['image'], '--checkpoint', files['rigged'], '--render',
         out]) == 0
    assert calls == [(['C#5'], 'treble')]
    picture = cv2.imread(out)
    # engraving scaled to the input height (64 x 320), gap, input (64 x 400)
    assert picture.shape[:2] == (64 + 4 + 64, 400)
    assert (picture[:64, :320] == 200).all()
    assert (picture[:64, 320:] == 255).all()  # padded to the input width
    np.testing.assert_array_equal(picture[-64:, :, 0], staff_image())


def test_real_render_when_engraver_present(files):
    pytest.importorskip('omr.engrave')
    out = osp.join(files['tmp'], 'real_render.png')
    assert recognize.main(
        [files['image'], '--checkpoint', files['rigged'], '--render',
         out]) == 0
    picture = cv2.imread(out)
    assert picture.shape[0] == 64 + 4 + 64 and picture.shape[1] >= 400
    assert (picture[:64] < 128).any()  # the engraving has ink


DEMO = osp.join(ROOT, 'demo', 'scores')
HEAVY = ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmocr')


def test_several_images_path_tab_tokens_like_one_by_one(files, capsys):
    samples = list(demo_labels('scores').items())
    paths = [osp.join(DEMO, name) for name, _ in samples]
    assert recognize.main([paths[0], files['text'], *paths[1:],
                           '--batch-size', '3']) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f'{p}\t{tokens}'
                                for p, (_, tokens) in zip(paths, samples)]
    assert err.splitlines() == [f'error: {files["text"]}: not decodable']
    singles = []
    for path in paths:
        assert recognize.main([path]) == 0
        singles.append(capsys.readouterr().out.strip())
    assert singles == [tokens for _, tokens in samples]


def test_folder_json_and_torch_backend_agree(capsys):
    assert recognize.main([DEMO, '--json']) == 0
    runtime = [json.loads(line) for line in
               capsys.readouterr().out.splitlines()]
    assert recognize.main([DEMO, '--json', '--backend', 'torch']) == 0
    torch_lines = [json.loads(line) for line in
                   capsys.readouterr().out.splitlines()]
    assert [r['tokens'] for r in runtime] == [r['tokens']
                                              for r in torch_lines]
    assert len(runtime) == len(demo_labels('scores'))
    for a, b in zip(runtime, torch_lines):
        assert a['confidence'] == pytest.approx(b['confidence'], abs=1e-4)


def test_usage_errors(files, capsys):
    xml = osp.join(files['tmp'], 'two.musicxml')
    assert recognize.main([files['image'], files['rgba'], '--musicxml',
                           xml]) == 2
    assert 'take one image' in capsys.readouterr().err
    assert recognize.main([files['image'], '--backend', 'runtime',
                           '--checkpoint', files['rigged']]) == 2
    assert 'tools/export_onnx.py' in capsys.readouterr().err
    assert recognize.main([osp.join(files['tmp'], '*.nothing')]) == 1
    assert 'no image files found' in capsys.readouterr().err


def test_default_command_imports_no_training_stack(files):
    xml = osp.join(files['tmp'], 'light.musicxml')
    code = (
        'import runpy, sys\n'
        f'sys.argv = [{SCRIPT!r}, {osp.join(DEMO, "clean_03.png")!r}, '
        f"'--musicxml', {xml!r}]\n"
        'try:\n'
        "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
        'except SystemExit as exit:\n'
        '    assert not exit.code, exit.code\n'
        f'print([m for m in {HEAVY!r} if m in sys.modules])\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines()[-1] == '[]'
    assert osp.getsize(xml) > 0
