"""The OMR recipe (paper §3.4): architecture, size, data, input, schedule."""
import itertools
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from mmengine.registry import PARAM_SCHEDULERS
from mmocr.registry import DATASETS, EVALUATOR, MODELS
from omr_model_helpers import staff_image

import omr.registration  # noqa: F401
from crnn_plugin.apis import PipelineParams, config_for_checkpoint
from crnn_plugin.runtime.image_input import load_resized
from crnn_plugin.datasets import write_recog_lmdb
from crnn_plugin.checkpoint import read_checkpoint
from omr.transforms import score_augment_pipeline

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
CONFIG = osp.join(ROOT, 'configs', 'omr', 'crnn_omr_reduced.py')
PAPER_CONFIG = osp.join(ROOT, 'configs', 'omr',
                        'crnn_omr_reduced_paper-mode.py')
TEXT_CONFIG = osp.join(ROOT, 'configs', 'crnn_mini-vgg_synth.py')
RECIPE_CONFIG = osp.join(ROOT, 'configs', 'omr',
                         'crnn_omr_reduced_accidentals.py')
SHIPPED = osp.join(ROOT, 'checkpoints', 'crnn_omr_reduced.pth')


def conv(cin, cout, k):
    return cout * cin * k * k + cout


def lstm(cin, hidden):  # 4 gates: input and recurrent weights, two biases
    return 4 * hidden * (cin + hidden) + 2 * 4 * hidden


def expected_params(classes: int) -> int:
    """Parameters of the reduced model from its layer shapes."""
    backbone = (conv(1, 64, 3) + conv(64, 128, 3) + conv(128, 256, 3) +
                conv(256, 512, 3) + 2 * 512 +  # conv5 + its BatchNorm
                conv(512, 512, 2))  # conv7 (2x2)
    encoder = lstm(512, 256) + lstm(256, 256)
    return backbone + encoder + 256 * classes + classes


def n_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize('path,classes', [(CONFIG, 181),
                                          (PAPER_CONFIG, 37)])
def test_architecture_and_parameter_count(path, classes):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports.imports == [
        'crnn_plugin.registration', 'omr.registration']
    model = MODELS.build(cfg.model)
    convs = [m for m in model.backbone.modules()
             if isinstance(m, torch.nn.Conv2d)]
    assert [c.out_channels for c in convs] == [64, 128, 256, 512, 512]
    lstms = [m for m in model.encoder.modules()
             if isinstance(m, torch.nn.LSTM)]
    assert len(lstms) == 2 and not any(m.bidirectional for m in lstms)
    assert model.decoder.dictionary.num_classes == classes
    count = n_params(model)
    text = n_params(MODELS.build(Config.fromfile(TEXT_CONFIG).model))
    print(f'{osp.basename(path)}: {count:,} parameters '
          f'(text CRNN: {text:,})')
    assert count == expected_params(classes)
    assert count < 0.5 * text and 8.2e6 < text < 8.4e6


def test_forward_shape():
    model = MODELS.build(Config.fromfile(CONFIG).model).eval()
    with torch.no_grad():
        out = model(torch.rand(2, 1, 32, 160), None, mode='tensor')
    assert out.shape == (2, 160 // 4 + 1, 181)  # (N, T, classes)
    assert torch.allclose(out.sum(-1), torch.ones(2, 41), atol=1e-4)


def test_schedule_hooks_and_evaluation():
    cfg = Config.fromfile(CONFIG)
    assert cfg.train_dataloader.batch_size == 32
    assert cfg.train_cfg.type == 'SkipAheadIterBasedTrainLoop'
    assert (cfg.train_cfg.max_iters, cfg.train_cfg.val_interval) == (30500,
                                                                     1000)
    ckpt = cfg.default_hooks.checkpoint
    assert (ckpt.type, ckpt.interval, ckpt.max_keep_ckpts,
            ckpt.by_epoch) == ('AtomicCheckpointHook', 500, 4, False)
    assert cfg.optim_wrapper.optimizer == dict(type='Adadelta', lr=1.0,
                                               rho=0.9)
    assert cfg.val_evaluator.dataset_prefixes == ['OMRVal', 'OMRValAug']
    assert [d.ann_file for d in cfg.val_dataloader.dataset.datasets] == [
        'val', 'val_aug']
    paper = Config.fromfile(PAPER_CONFIG)
    assert [m.mode for m in paper.val_evaluator.metrics] == ['paper']
    # the written-out augmentation list is the library's pipeline
    assert cfg.score_augment == score_augment_pipeline(cfg.score_augment_p)


def test_step_is_lowered_for_the_end_of_the_run():
    cfg = Config.fromfile(CONFIG)
    optim = OptimWrapper(torch.optim.Adadelta(
        torch.nn.Linear(1, 1).parameters(), lr=1.0, rho=0.9))
    scheduler = PARAM_SCHEDULERS.build(
        dict(cfg.param_scheduler[0], optimizer=optim))
    rates = []
    for _ in range(cfg.train_cfg.max_iters):
        rates.append(optim.param_groups[0]['lr'])
        scheduler.step()
    assert rates[0] == rates[24999] == 1.0
    assert rates[25000] == rates[-1] == pytest.approx(0.3)


def test_recipe_describes_the_shipped_file():
    """The shipped weights' saved config (read as data) is the fine-tune
    recipe: the same model, the staff-cropped input and the same training
    sets."""
    saved = config_for_checkpoint(None, SHIPPED, read_checkpoint(SHIPPED))
    cfg = Config.fromfile(RECIPE_CONFIG)
    assert saved.model == cfg.model
    weights = read_checkpoint(SHIPPED)['state_dict']
    model = MODELS.build(cfg.model)
    assert {k: v.shape for k, v in model.state_dict().items()} == {
        k: v.shape for k, v in weights.items()}
    assert PipelineParams.from_config(saved) == PipelineParams.from_config(
        cfg)
    assert PipelineParams.from_config(saved).staff is not None
    assert saved.train_dataloader.dataset.datasets == (
        cfg.train_dataloader.dataset.datasets)


def test_input_doubles_the_frames_per_note():
    cfg = Config.fromfile(CONFIG)
    assert cfg.train_dataloader.dataset.pipeline[:-3] == cfg.score_augment
    # training, validation and inference resize alike: height 64 -> 32,
    # the width kept (aspect-kept: 150 px, 38 frames; here 300 px, 76)
    params = PipelineParams.from_config(cfg)
    assert (params.height, params.width_scale, params.min_width) == (32, 2.0,
                                                                     200)
    img = staff_image(width=300)
    for pipeline in (cfg.test_dataloader.dataset.pipeline,
                     cfg.train_dataloader.dataset.pipeline[-3:]):
        packed = Compose(pipeline)(dict(
            img=img, img_path='x', img_shape=img.shape, ori_shape=img.shape,
            instances=[dict(text='C5')]))
        assert packed['inputs'].shape == (1, 32, 300)
        assert np.array_equal(packed['inputs'][0].numpy(),
                              load_resized(img, params))
    model = MODELS.build(cfg.model).eval()
    with torch.no_grad():
        out = model(packed['inputs'][None].float(), None, mode='tensor')
    assert out.shape == (1, 300 // 4 + 1, 181)


@pytest.fixture(scope='module')
def omr_lmdbs(tmp_path_factory):
    """data/omr-like LMDBs (train, train_tr, train_tr2, val, val_aug) of
    drawn staff images."""
    root = tmp_path_factory.mktemp('omr')
    labels = ['C#5 D5 E5', 'Bb4 A4 G4 F4', 'E3 G3', 'C5 C5 C5']
    for split in ('train', 'train_tr', 'train_tr2', 'val', 'val_aug'):
        samples = [(cv2.imencode('.png', staff_image(width=120 + 60 * i))[1]
                    .tobytes(), text) for i, text in enumerate(labels)]
        write_recog_lmdb(samples, str(root / split), show_progress=False)
    return str(root)


def test_pipelines_train_step_and_validation(omr_lmdbs):
    cfg = Config.fromfile(CONFIG)
    model = MODELS.build(cfg.model)
    train = DATASETS.build(dict(cfg.train_dataset,
                                datasets=[dict(d, data_root=omr_lmdbs)
                                          for d in cfg.train_dataset.datasets
                                          ]))
    batch = pseudo_collate([train[i] for i in range(4)])
    assert all(x.shape[1] == 32 and x.shape[2] >= 200
               for x in batch['inputs'])
    optim = OptimWrapper(torch.optim.Adadelta(model.parameters()))
    losses = model.train_step(batch, optim)
    assert torch.isfinite(losses['loss_ctc'])

    val = DATASETS.build(dict(cfg.val_dataset,
                              datasets=[dict(d, data_root=omr_lmdbs)
                                        for d in cfg.val_dataset.datasets]))
    assert len(val) == 8 and val.metainfo['cumulative_sizes'] == [4, 8]
    evaluator = EVALUATOR.build(cfg.val_evaluator)
    evaluator.dataset_meta = val.metainfo
    dictionary = model.decoder.dictionary
    model.eval()
    for i in range(len(val)):
        outputs = model.val_step(pseudo_collate([val[i]]))
        tokens = outputs[0].pred_text.item.split()
        assert all(dictionary.contains(t) for t in tokens)
        evaluator.process(outputs, pseudo_collate([val[i]]))
    res = evaluator.evaluate(len(val))
    assert set(res) >= {
        'OMRVal/omr_pitch/fragment_accuracy',
        'OMRValAug/omr_paper/avg_edit_distance'
    }


# The data of the staged run's early steps (checkpoints/README.md): an
# unused set gets ``indices=0``.
TRAIN_ONLY = {'train_dataloader.dataset.datasets.1.indices': 0,
              'train_dataloader.dataset.datasets.2.indices': 0}


@pytest.mark.parametrize('options,splits', [
    ({}, ['train', 'train_tr', 'train_tr2']),
    ({'train_dataloader.dataset.datasets.2.indices': 0},
     ['train', 'train_tr']),
    (TRAIN_ONLY, ['train']),
])
def test_trains_on_the_lmdbs_width_grouped(omr_lmdbs, options, splits):
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict(options)
    dataset = cfg.train_dataloader.dataset
    dataset.datasets = [dict(d, data_root=omr_lmdbs)
                        for d in dataset.datasets]
    loader = Runner.build_dataloader(
        dict(cfg.train_dataloader, num_workers=0, persistent_workers=False,
             batch_size=2, dataset=dataset), seed=0)
    used = [d.ann_file.split(osp.sep)[-1] for d in loader.dataset.datasets
            if len(d)]
    assert used == splits
    n = 4 * len(splits)
    assert len(loader.dataset) == n
    batches = list(itertools.islice(iter(loader.batch_sampler), n // 2))
    assert {i // 4 for i in itertools.chain(*batches)} == set(
        range(len(splits)))
    widths = [120 + 60 * (i % 4) for i in range(n)]
    for batch in batches:  # width-grouped across the LMDBs
        assert widths[batch[0]] == widths[batch[1]]


def test_aspect_kept_input_of_the_early_steps():
    """``width_scale=1.0 min_width=100`` (the staged run's steps 1-22,500)
    is MMOCR's RescaleToHeight."""
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict({
        'train_dataloader.dataset.pipeline.9.width_scale': 1.0,
        'train_dataloader.dataset.pipeline.9.min_width': 100,
        'val_dataloader.dataset.pipeline.0.width_scale': 1.0,
        'val_dataloader.dataset.pipeline.0.min_width': 100,
    })
    kept = dict(type='RescaleToHeight', height=32, min_width=100,
                max_width=None)
    img = staff_image(width=300)
    for pipeline in (cfg.val_dataloader.dataset.pipeline,
                     cfg.train_dataloader.dataset.pipeline[-3:]):
        assert pipeline[0].type == 'StretchedRescaleToHeight'
        results = [Compose([rescale])(dict(img=img.copy()))['img']
                   for rescale in (pipeline[0], kept)]
        assert results[0].shape == (32, 150)
        assert np.array_equal(*results)
