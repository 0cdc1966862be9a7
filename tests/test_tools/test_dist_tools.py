"""tools/dist_train.sh: 2 CPU processes (gloo, torchrun); dist_test.sh."""
import os
import os.path as osp
import subprocess
import sys

import pytest
from tools_helpers import (ROOT, TOOLS, WORDS, free_port, read_records,
                           write_config)

from crnn_plugin.checkpoint import load_checkpoint_weights_only

HERE = osp.dirname(osp.abspath(__file__))
TEARDOWN_ABORT = 'terminate called without an active exception'


def launch(script, *args, timeout=300):
    """Run a dist_*.sh script; ``tools_helpers`` importable by the ranks."""
    env = dict(os.environ)
    env.update(
        PYTHON=sys.executable,
        PYTHONPATH=os.pathsep.join(
            p for p in (HERE, env.get('PYTHONPATH')) if p))

    def run():
        env['PORT'] = str(free_port())
        return subprocess.run(['bash', osp.join(TOOLS, script), *args],
                              env=env,
                              cwd=ROOT,
                              capture_output=True,
                              text=True,
                              timeout=timeout)

    proc = run()
    if proc.returncode != 0 and TEARDOWN_ABORT in proc.stdout + proc.stderr:
        # A rank aborted at interpreter exit (about 1 run in 15 on a busy
        # 2-core machine, after its work was done; cause not found): one
        # more launch. Any other failure, or the abort twice, fails.
        print('rank aborted at exit, relaunching:', proc.stderr[-1500:])
        proc = run()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


@pytest.mark.skipif(sys.platform == 'win32', reason='bash launcher')
def test_two_cpu_processes_train(tiny_config, tmp_path):
    config = write_config(
        str(tmp_path / 'dist.py'), tiny_config,
        'custom_imports = dict(imports='
        "['crnn_plugin.registration', 'tools_helpers'], "
        'allow_failed_imports=False)\n'
        "custom_hooks = [dict(type='ToolsTestRecorderHook')]\n")
    work_dir = tmp_path / 'work'
    out = launch('dist_train.sh', config, '2', '--work-dir', str(work_dir))

    records = read_records(str(work_dir))
    assert [r['rank'] for r in records] == [0, 1]
    for record in records:
        assert record['world_size'] == 2
        if record['backend'] != 'nccl':
            assert record['backend'] == 'gloo'
            assert record['model_wrapper'] == 'CPUDistributedDataParallel'
        # 8 images, batch 4 per rank, 2 epochs: 1 iteration per epoch.
        assert record['end_iter'] == 2 and len(record['losses']) == 2
    # In each epoch (1 batch per rank) the sampler split the data.
    for batch_0, batch_1 in zip(records[0]['batches'],
                                records[1]['batches']):
        assert not set(batch_0) & set(batch_1)
        assert len(set(batch_0) | set(batch_1)) == len(WORDS)
    # ... and DDP kept the replicas identical (gradients were all-reduced).
    assert records[0]['param_checksum'] == pytest.approx(
        records[1]['param_checksum'], rel=1e-6)

    ckpt = load_checkpoint_weights_only(str(work_dir / 'epoch_2.pth'))
    assert (ckpt['meta']['epoch'], ckpt['meta']['iter']) == (2, 2)
    assert (work_dir / 'last_checkpoint').read_text().endswith('epoch_2.pth')

    # The final validation ran distributed too (results gathered on rank 0).
    assert 'A/recog/word_acc' in out and 'B/recog/word_acc' in out


@pytest.mark.parametrize('script, usage', [
    ('dist_train.sh', 'CONFIG NPROC [train.py args...]'),
    ('dist_test.sh', 'CONFIG CHECKPOINT NPROC [test.py args...]'),
])
def test_launchers_check_arguments(script, usage):
    # A full 2-process dist_test.sh run costs as much start-up time as the
    # training run above, so only its argument check runs here; the test
    # loop itself runs distributed in the final validation above.
    proc = subprocess.run(['bash', osp.join(TOOLS, script)],
                          capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith(usage)
