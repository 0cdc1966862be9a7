"""Every expected failure of every tool: one ``error:`` line, a documented
exit status, no traceback."""
import os
import os.path as osp
import pickle
import random

import lmdb
import pytest
import torch
from apis_helpers import write_images, write_tiny_model
from hardening_helpers import ROOT, run_tool
from tools_helpers import unique_name, write_config, write_tiny_config


class _Exploit:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def bad_checkpoints(folder, good: str, marker: str) -> dict:
    """Checkpoint files that are broken in each way we expect to meet."""
    data = open(good, 'rb').read()
    files = dict(
        random=random.Random(0).randbytes(4096),
        truncated=data[:len(data) // 2], empty=b'')
    paths = {}
    for name, content in files.items():
        paths[name] = osp.join(folder, f'{name}.pth')
        with open(paths[name], 'wb') as f:
            f.write(content)
    paths['malicious'] = osp.join(folder, 'malicious.pth')
    torch.save({'state_dict': {}, 'meta': _Exploit(marker)},
               paths['malicious'])
    paths['pickle'] = osp.join(folder, 'pickle.pth')  # a plain pickle
    with open(paths['pickle'], 'wb') as f:
        pickle.dump(_Exploit(marker), f)
    paths['folder'] = osp.join(folder, 'dir.pth')
    os.makedirs(paths['folder'], exist_ok=True)
    paths['no_tensors'] = osp.join(folder, 'no_tensors.pth')
    torch.save({'state_dict': {'a': 1}}, paths['no_tensors'])
    return paths


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('errors')
    config, ckpt = write_tiny_model(str(tmp))
    marker = str(tmp / 'PWNED')
    image = write_images(str(tmp), [100])[0]
    tiny = write_tiny_config(str(tmp / 'tiny'))
    return dict(tmp=tmp, config=config, ckpt=ckpt, image=image, tiny=tiny,
                marker=marker, bad=bad_checkpoints(str(tmp), ckpt, marker))


def one_error(result, status=2):
    code, errors, printed = result
    assert code == status, printed
    assert len(errors) == 1, printed
    assert 'Traceback' not in printed
    return errors[0]


def runner_args(tmp):
    name = unique_name()
    return ['--work-dir', tmp, '--cfg-options', f'experiment_name={name}',
            f'visualizer.name={name}']


BAD = ['random', 'truncated', 'empty', 'malicious', 'pickle', 'folder',
       'no_tensors']


@pytest.mark.parametrize('kind', BAD)
def test_bad_checkpoint_everywhere(files, kind, capsys, tmp_path):
    bad = files['bad'][kind]
    out = tmp_path / 'out'
    calls = {
        'tools/infer.py': [files['image'], '--checkpoint', bad, '--backend',
                           'torch'],
        'omr/recognize.py': [files['image'], '--checkpoint', bad],
        'tools/test.py': [files['tiny'], bad, *runner_args(tmp_path)],
        'tools/train.py': [files['tiny'], '--resume', bad,
                           *runner_args(tmp_path)],
        'tools/export_onnx.py': [files['config'], bad, out],
        'tools/publish_checkpoint.py': [bad, out, '--config',
                                        files['config']],
        'tools/average_checkpoints.py': [files['ckpt'], bad, '-o', out],
    }
    for tool, argv in calls.items():
        line = one_error(run_tool(tool, argv, capsys))
        assert bad in line or 'not found' in line, (tool, line)
    assert not osp.exists(files['marker'])
    assert not out.exists()


def test_reasons_name_the_problem(files, capsys):
    reasons = dict(random='not a PyTorch checkpoint',
                   truncated='corrupt or truncated', empty='empty file',
                   malicious='could run code',
                   no_tensors='no state_dict of tensors')
    for kind, reason in reasons.items():
        line = one_error(run_tool('tools/infer.py', [
            files['image'], '--checkpoint', files['bad'][kind],
            '--backend', 'torch'], capsys))
        assert reason in line, line


def test_corrupt_onnx(files, capsys, tmp_path):
    onnx = tmp_path / 'model.onnx'
    onnx.write_bytes(random.Random(1).randbytes(2048))
    line = one_error(run_tool('tools/infer.py', [
        files['image'], '--checkpoint', onnx, '--config', files['config']],
        capsys))
    assert 'not a usable ONNX model' in line


def test_text_checkpoint_in_recognize(files, capsys):
    line = one_error(run_tool('omr/recognize.py', [
        files['image'], '--checkpoint', files['ckpt']], capsys))
    assert 'text-recognition model' in line and 'tools/infer.py' in line


def test_omr_checkpoint_in_infer_named_as_such(files, capsys):
    line = one_error(run_tool('tools/infer.py', [
        files['image'], '--checkpoint',
        osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced.pth'), '--backend',
        'torch'], capsys))
    assert 'score (OMR) model' in line and 'omr/recognize.py' in line


def test_lmdb_without_num_samples(files, capsys, tmp_path):
    path = tmp_path / 'bad.lmdb'
    env = lmdb.open(str(path))
    with env.begin(write=True) as txn:
        txn.put(b'label-000000001', b'ab')
    env.close()
    dataset = ("test_dataloader = dict(dataset=dict(_delete_=True, "
               f"type='LMDBTextRecogDataset', ann_file={str(path)!r}, "
               "pipeline=_base_.test_pipeline))\n"
               "test_evaluator = dict(_delete_=True, type='WordMetric')\n")
    config = write_config(str(tmp_path / 'lmdb.py'), files['tiny'], dataset)
    line = one_error(run_tool('tools/test.py', [
        config, files['ckpt'], *runner_args(tmp_path)], capsys))
    assert 'num-samples' in line
    line = one_error(run_tool('tools/publish_checkpoint.py', [
        files['ckpt'], tmp_path / 'p.pth', '--config', files['config'],
        '--parity-lmdb', path], capsys))
    assert 'num-samples' in line


def test_show_dir_of_test_tool_is_a_file(files, capsys, tmp_path):
    blocker = tmp_path / 'vis'
    blocker.write_text('x')
    line = one_error(run_tool('tools/test.py', [
        files['tiny'], files['ckpt'], '--show-dir', blocker,
        *runner_args(tmp_path)], capsys))
    assert 'is a file' in line and blocker.read_text() == 'x'


def test_export_unwritable_output(files, capsys, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    line = one_error(run_tool('tools/export_onnx.py', [
        files['config'], files['ckpt'], blocker / 'm.onnx'], capsys))
    assert 'is a file' in line


def test_train_bad_load_from(files, capsys, tmp_path):
    line = one_error(run_tool('tools/train.py', [
        files['tiny'], *runner_args(tmp_path)[:2], '--cfg-options',
        f'load_from={files["bad"]["truncated"]}'], capsys))
    assert 'corrupt or truncated' in line


def test_train_resume_auto_with_a_bad_last_checkpoint(files, capsys,
                                                      tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'last_checkpoint').write_text(files['bad']['random'])
    name = unique_name()
    line = one_error(run_tool('tools/train.py', [
        files['tiny'], '--resume', '--work-dir', work, '--cfg-options',
        f'experiment_name={name}', f'visualizer.name={name}'], capsys))
    assert 'not a PyTorch checkpoint' in line
