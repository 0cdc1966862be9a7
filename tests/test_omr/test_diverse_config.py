"""The diverse fine-tune and held-out test configs."""
import os.path as osp

from mmengine.config import Config

from crnn_plugin.runtime import PipelineParams
from omr.engravers import STYLES
from omr.transforms import score_augment_pipeline

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'omr', '{}.py')


def test_heldout_test_config_lists_every_style_clean_and_photo():
    cfg = Config.fromfile(CFG.format('crnn_omr_reduced_heldout-test'))
    sets = cfg.test_dataloader.dataset.datasets
    assert len(sets) == 2 * len(STYLES)
    assert {s.data_root.split('/')[-1] for s in sets} == {
        s.replace('/', '_') for s in STYLES}
    prefixes = cfg.test_evaluator.dataset_prefixes
    assert len(set(prefixes)) == len(prefixes) == len(sets)
    assert 'lilypond-Emmentaler-photo' in prefixes
    # the shipped model's input rule, no staff crop
    params = PipelineParams.from_config(cfg)
    assert params.staff is None and params.width_scale == 2
    assert params.min_width == 200


def test_diverse_config_normalises_the_staff_everywhere():
    cfg = Config.fromfile(CFG.format('crnn_omr_reduced_diverse'))
    base = Config.fromfile(CFG.format('crnn_omr_reduced'))
    assert cfg.load_from == 'checkpoints/crnn_omr_reduced_classic.pth'
    assert cfg.model == base.model  # same net: the weights load
    assert cfg.score_augment == score_augment_pipeline(0.5)
    for pipeline in (cfg.train_dataloader.dataset.pipeline,
                     cfg.val_dataloader.dataset.pipeline,
                     cfg.test_dataloader.dataset.pipeline):
        types = [t['type'] for t in pipeline]
        assert types.index('StaffNormalize') == types.index(
            'StretchedRescaleToHeight') - 1
    params = PipelineParams.from_config(cfg)
    assert params.staff == dict(
        height=64, spaces_above=3, spaces_below=3, side_spaces=1)
    assert params.width_scale == 2 and params.min_width == 200
    assert len(cfg.val_evaluator.dataset_prefixes) == len(
        cfg.val_dataloader.dataset.datasets)
    assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook'


def test_semantic_config_reads_semantic_labels_with_the_diverse_input():
    cfg = Config.fromfile(CFG.format('crnn_omr_reduced_semantic'))
    diverse = Config.fromfile(CFG.format('crnn_omr_reduced_diverse'))
    assert cfg.load_from == 'checkpoints/crnn_omr_reduced_diverse.pth'
    assert cfg.model.decoder.dictionary == dict(
        type='SemanticDictionary', mode='semantic', with_unknown=True)
    # same backbone and input rule; the LSTM layers read both directions
    for key in ('backbone', 'data_preprocessor'):
        assert cfg.model[key] == diverse.model[key]
    assert cfg.model.encoder == dict(diverse.model.encoder,
                                     bidirectional=True, project=True)
    assert cfg.model.decoder.in_channels == 2 * cfg.model.encoder.hidden_size
    assert cfg.test_pipeline == diverse.test_pipeline
    assert PipelineParams.from_config(cfg) == PipelineParams.from_config(
        diverse)
    loaders = (cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader)
    for loader in loaders:
        assert all(d.label_prefix == 'semantic'
                   for d in loader.dataset.datasets)
    assert [d.data_root for d in cfg.val_dataloader.dataset.datasets] == [
        d.data_root for d in diverse.val_dataloader.dataset.datasets]
    assert len(cfg.test_dataloader.dataset.datasets) == 2 * len(STYLES)
    for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
        assert evaluator.metrics == [
            dict(type='OMRFragmentMetric', mode='semantic')]
        assert len(evaluator.dataset_prefixes) == len(
            (cfg.val_dataloader if evaluator is cfg.val_evaluator else
             cfg.test_dataloader).dataset.datasets)


def test_musescore_config_fine_tunes_the_diverse_model():
    cfg = Config.fromfile(CFG.format('crnn_omr_reduced_musescore'))
    diverse = Config.fromfile(CFG.format('crnn_omr_reduced_diverse'))
    assert cfg.load_from == 'checkpoints/crnn_omr_reduced_diverse.pth'
    assert cfg.model == diverse.model  # same net: the weights load
    assert PipelineParams.from_config(cfg) == PipelineParams.from_config(
        diverse)
    assert cfg.train_dataloader.dataset.pipeline == (
        diverse.train_dataloader.dataset.pipeline)
    roots = [d.data_root for d in cfg.train_dataloader.dataset.datasets]
    assert set(roots) == {'data/omr_ms', 'data/omr_ft'}


def test_accidentals_config_fine_tunes_the_musescore_model():
    cfg = Config.fromfile(CFG.format('crnn_omr_reduced_accidentals'))
    musescore = Config.fromfile(CFG.format('crnn_omr_reduced_musescore'))
    assert cfg.model == musescore.model  # same net: the weights load
    assert PipelineParams.from_config(cfg) == PipelineParams.from_config(
        musescore)
    # index 0: stage 1 sets its times to 2 from the command line
    altered, *others = cfg.train_dataloader.dataset.datasets
    assert altered.type == 'RepeatDataset' and altered.times == 4
    assert (altered.dataset.data_root, altered.dataset.ann_file) == (
        'data/omr_alt', 'train')
    # the MuseScore recipe's sets once each, every set with its pipeline
    assert [(d.data_root, d.ann_file) for d in others] == [
        (d.data_root, d.ann_file) for d in
        musescore.train_dataloader.dataset.datasets[-4:]]
    for d in [altered.dataset] + others:
        assert d.pipeline == musescore.train_dataloader.dataset.pipeline


def test_semantic_accidentals_config_fine_tunes_the_first_semantic_model():
    cfg = Config.fromfile(CFG.format('crnn_omr_reduced_semantic_accidentals'))
    first = Config.fromfile(CFG.format('crnn_omr_reduced_semantic'))
    pitch = Config.fromfile(CFG.format('crnn_omr_reduced_accidentals'))
    assert cfg.model == first.model  # same net: the weights load
    assert PipelineParams.from_config(cfg) == PipelineParams.from_config(
        first)
    sets = cfg.train_dataloader.dataset.datasets
    assert all(d.label_prefix == 'semantic' for d in sets)
    # the pitch recipe's sets: the altered renders twice, the rest once
    roots = [(d.data_root, d.ann_file) for d in sets]
    assert roots[:2] == [('data/omr_alt', 'train')] * 2
    assert roots[2:] == [(d.data_root, d.ann_file) for d in
                         pitch.train_dataloader.dataset.datasets[1:]]
    assert cfg.train_dataloader.dataset.pipeline == (
        first.train_dataloader.dataset.pipeline)
