"""The toy config learns: loss falls and a small fixed set is read back.

A narrowed copy of the paper's network (same 7-conv/2-BiLSTM layout, fewer
channels) is trained with the toy config's data, pipeline and ADADELTA
schedule on 16 shipped word images, then evaluated with the test pipeline
(height 32, width >= 100) and MMOCR's WordMetric.
"""
import os.path as osp

import numpy as np
import pytest
from mmengine import Config
from mmengine.runner import Runner

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))


@pytest.mark.slow
def test_toy_run_learns_small_set(tmp_path):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'crnn_mini-vgg_toy.py'))
    cfg.model.backbone.channels = (16, 32, 64, 64, 96, 96, 96)
    cfg.model.encoder.update(in_channels=96, hidden_size=64)
    cfg.model.decoder.in_channels = 128
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        dataset = loader.dataset.datasets[0]
        dataset.update(data_root=osp.join(ROOT, dataset.data_root),
                       indices=16)
    cfg.train_dataloader.batch_size = 8
    epochs = 300  # 600 iterations, about half a minute on one core
    cfg.train_cfg = dict(
        type='EpochBasedTrainLoop', max_epochs=epochs, val_interval=epochs)
    cfg.default_hooks.checkpoint = dict(
        type='AtomicCheckpointHook', interval=epochs)
    cfg.default_hooks.logger.interval = 1
    cfg.work_dir = str(tmp_path)
    cfg.log_level = 'WARNING'

    runner = Runner.from_cfg(cfg)
    runner.train()

    losses = runner.message_hub.get_scalar('train/loss_ctc').data[0]
    assert len(losses) == 2 * epochs
    assert np.mean(losses[-20:]) < 0.2 * np.mean(losses[:20])
    metrics = runner.val_loop.run()
    assert metrics['Toy/recog/word_acc'] >= 0.95, metrics
    assert osp.exists(osp.join(str(tmp_path), f'epoch_{epochs}.pth'))
