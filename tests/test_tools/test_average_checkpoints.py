"""tools/average_checkpoints.py: mean weights, provenance, safe input."""
import os.path as osp

import torch
from tools_helpers import load_tool

tool = load_tool('average_checkpoints')


def _ckpt(folder, name, it, weight, tracked):
    path = osp.join(folder, name)
    torch.save(dict(meta=dict(iter=it, epoch=0),
                    state_dict={'conv.weight': torch.full((2, 3), weight),
                                'bn.num_batches_tracked':
                                torch.tensor(tracked)}), path)
    return path


def test_mean_of_floats_last_of_ints(tmp_path):
    paths = [_ckpt(str(tmp_path), f'iter_{i}.pth', i, w, i)
             for i, w in ((100, 1.0), (200, 2.0), (300, 6.0))]
    out = str(tmp_path / 'avg.pth')
    assert tool.main([*paths, '-o', out]) == 0
    avg = torch.load(out, weights_only=True)
    torch.testing.assert_close(avg['state_dict']['conv.weight'],
                               torch.full((2, 3), 3.0))
    assert avg['state_dict']['conv.weight'].dtype == torch.float32
    assert avg['state_dict']['bn.num_batches_tracked'].item() == 300
    meta = avg['meta']
    assert meta['iter'] == 300
    assert [s['iter'] for s in meta['averaged_from']] == [100, 200, 300]
    assert [s['file'] for s in meta['averaged_from']] == [
        'iter_100.pth', 'iter_200.pth', 'iter_300.pth']
    assert all(len(s['sha256']) == 64 for s in meta['averaged_from'])


def test_bad_inputs_exit_2_and_write_nothing(tmp_path, capsys):
    a = _ckpt(str(tmp_path), 'a.pth', 1, 1.0, 1)
    b = str(tmp_path / 'b.pth')
    torch.save(dict(state_dict={'conv.weight': torch.zeros(3, 3),
                                'bn.num_batches_tracked': torch.tensor(1)}),
               b)
    out = str(tmp_path / 'avg.pth')
    assert tool.main([a, b, '-o', out]) == 2
    assert 'conv.weight: shape (2, 3) in checkpoint 0, (3, 3) in the last' \
        in capsys.readouterr().err
    assert tool.main([a, str(tmp_path / 'missing.pth'), '-o', out]) == 2
    assert 'not found' in capsys.readouterr().err
    assert not osp.exists(out)
