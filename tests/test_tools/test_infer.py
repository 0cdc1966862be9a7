"""tools/infer.py: output formats, folders/globs, bad files, exit codes."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..',
                            'test_apis'))
from apis_helpers import write_images, write_tiny_model  # noqa: E402
from tools_helpers import ROOT, load_tool  # noqa: E402

BAD_FILES = {
    'empty.png': b'',
    'text.png': b'this is not an image',
    'trunc.png': None,  # half of a PNG, written below
}


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    """Tiny model, 3 good images and a folder of bad ones."""
    folder = tmp_path_factory.mktemp('infer')
    config, checkpoint = write_tiny_model(str(folder))
    good = folder / 'good'
    good.mkdir()
    paths = write_images(str(good), [100, 57, 230])
    bad = folder / 'bad'
    bad.mkdir()
    data = open(paths[0], 'rb').read()
    for name, content in BAD_FILES.items():
        (bad / name).write_bytes(content if content is not None else
                                 data[:len(data) // 2])
    return dict(config=config, ckpt=checkpoint, good=paths, bad=str(bad))


def run(setup, *args):
    tool = load_tool('infer')
    return tool.main([*args, '--checkpoint', setup['ckpt'],
                      '--backend', 'torch'])


def test_tab_output_and_bad_files(setup, capsys):
    status = run(setup, setup['good'][0], setup['bad'], setup['good'][2])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert status == 0
    assert [line.split('\t')[0] for line in lines] == [
        setup['good'][0], setup['good'][2]]
    for line in lines:
        path, text, confidence = line.split('\t')
        assert 0 <= float(confidence) <= 1
    errors = sorted(err.strip().splitlines())
    assert errors == sorted(
        f'error: {osp.join(setup["bad"], name)}: {reason}' for name, reason
        in [('empty.png', 'empty file'), ('text.png', 'not decodable'),
            ('trunc.png', 'truncated')])
    assert 'Traceback' not in err


def test_json_glob_and_show_dir(setup, capsys, tmp_path):
    pattern = osp.join(osp.dirname(setup['good'][0]), '*.png')
    show = tmp_path / 'vis'
    status = run(setup, pattern, '--json', '--show-dir', str(show),
                 '--batch-size', '2')
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.split('\n') if line]
    assert status == 0
    assert [r['path'] for r in records] == sorted(setup['good'])
    for record in records:
        assert set(record) == {'path', 'text', 'confidence', 'char_scores'}
        assert len(record['char_scores']) == len(record['text'])
        name = osp.splitext(osp.basename(record['path']))[0] + '.png'
        picture = cv2.imread(str(show / name))
        assert picture is not None and picture.shape[0] > 32 * 3


def test_json_with_lexicon_keeps_stdout_clean(setup, capsys, tmp_path):
    """The lexicon's log line goes to stderr: stdout stays JSON lines."""
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('hello\nworld\n')
    assert run(setup, *setup['good'], '--json', '--lexicon',
               str(lexicon)) == 0
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r['text'] in ('hello', 'world') for r in records] == [True] * 3
    assert all(r['char_scores'] is None for r in records)


def test_all_failed_exits_1(setup, capsys):
    assert run(setup, setup['bad'], '/nonexistent/x.png') == 1
    err = capsys.readouterr().err
    assert 'No such file or directory' in err and 'Traceback' not in err
    assert run(setup, osp.join(setup['bad'], '*.jpg')) == 1
    assert 'no image files found' in capsys.readouterr().err


def test_missing_checkpoint_is_a_clear_error(setup, capsys, monkeypatch):
    tool = load_tool('infer')
    monkeypatch.setattr(tool, 'DEFAULT_CHECKPOINT', '/nonexistent/m.pth')
    assert tool.main([setup['good'][0]]) == 2
    err = capsys.readouterr().err
    assert 'not found' in err and '--checkpoint' in err
    assert tool.main([setup['good'][0], '--checkpoint', setup['ckpt'],
                      '--config', '/nonexistent/c.py']) == 2
    assert 'cannot load the model' in capsys.readouterr().err


def test_command_line_without_traceback(setup, tmp_path):
    """The real command: a bad file is one stderr line, the others go on
    (exit status 1 only when every input failed: tested in-process); with
    --json, stdout holds only JSON lines (log lines go to stderr)."""
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('hello\nworld\n')
    env = dict(os.environ, OMP_NUM_THREADS='1')
    command = [sys.executable, osp.join(ROOT, 'tools', 'infer.py'),
               '--checkpoint', setup['ckpt'], '--json', '--lexicon',
               str(lexicon), setup['good'][1],
               osp.join(setup['bad'], 'text.png')]
    proc = subprocess.run(command, capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r['path'] for r in records] == [setup['good'][1]]
    assert 'not decodable' in proc.stderr and 'Traceback' not in proc.stderr


@pytest.fixture(scope='module')
def tiny_onnx(setup, tmp_path_factory):
    from crnn_plugin.apis import TextRecognizer, export_onnx
    recognizer = TextRecognizer(None, setup['ckpt'], backend='torch')
    path = str(tmp_path_factory.mktemp('onnx') / 'tiny.onnx')
    export_onnx(recognizer.model, path, metadata=recognizer.metadata())
    return path


def test_runtime_reads_like_torch(setup, tiny_onnx, capsys):
    tool = load_tool('infer')
    inputs = [*setup['good'], setup['bad']]
    assert tool.main([*inputs, '--checkpoint', tiny_onnx,
                      '--batch-size', '2']) == 0
    runtime_out, runtime_err = capsys.readouterr()
    assert run(setup, *inputs) == 0
    torch_out, torch_err = capsys.readouterr()
    assert [line.split('\t')[:2] for line in runtime_out.splitlines()] == [
        line.split('\t')[:2] for line in torch_out.splitlines()]
    assert len(runtime_out.splitlines()) == 3
    assert sorted(runtime_err.splitlines()) == sorted(torch_err.splitlines())


def test_runtime_refuses_stack_options(setup, tiny_onnx, capsys, tmp_path):
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('hello\n')
    tool = load_tool('infer')
    assert tool.main([setup['good'][0], '--backend', 'runtime',
                      '--lexicon', str(lexicon)]) == 2
    assert 'training stack' in capsys.readouterr().err
    assert tool.main([setup['good'][0], '--backend', 'runtime',
                      '--checkpoint', setup['ckpt']]) == 2
    assert 'cannot load the model' in capsys.readouterr().err


def test_default_command_imports_no_training_stack():
    demo = osp.join(ROOT, 'demo', 'words')
    code = (
        'import runpy, sys\n'
        f"sys.argv = ['infer.py', {demo!r}]\n"
        'try:\n'
        f"    runpy.run_path({osp.join(ROOT, 'tools', 'infer.py')!r}, "
        "run_name='__main__')\n"
        'except SystemExit as exit:\n'
        '    assert not exit.code, exit.code\n'
        "heavy = ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmocr')\n"
        'print([m for m in heavy if m in sys.modules])\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[-1] == '[]' and len(lines) == 8  # 7 words + the check
