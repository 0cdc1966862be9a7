"""Helpers for the tool tests: a tiny word set and a shrunk toy config.

The config inherits the shipped ``configs/crnn_mini-vgg_toy.py`` and only
shrinks it (channels, batch, epochs) and points it at 8 generated images, so
a training run takes about a second on CPU.
"""
import importlib.util
import json
import os
import os.path as osp
import socket
import sys
import uuid

import cv2
import numpy as np
import torch
import torch.distributed as torch_dist
from mmengine.dist import get_rank, get_world_size
from mmengine.hooks import Hook

from mmocr.registry import HOOKS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(ROOT, 'tools')
TOY_CONFIG = osp.join(ROOT, 'configs', 'crnn_mini-vgg_toy.py')
# the OMR tests' helpers (a drawn staff fragment)
sys.path.insert(0, osp.join(ROOT, 'tests', 'test_omr'))

WORDS = ('ab', 'cd', 'e1', '42', 'go', 'hi', 'xy', 'z9')

TINY_CONFIG = """\
_base_ = [{base!r}]
# Shrunk paper CRNN: same modules, a few channels.
model = dict(
    backbone=dict(channels=[4, 4, 8, 8, 8, 8, 8]),
    encoder=dict(in_channels=8, hidden_size=8),
    decoder=dict(in_channels=16))
tiny_data = {data!r}
tiny_train = dict(
    type='OCRDataset', data_root=tiny_data, ann_file='labels.json',
    pipeline=_base_.train_pipeline)
# Two test sets (as the paper's six): MMOCR's MultiDatasetsEvaluator.
tiny_test_a = dict(
    type='OCRDataset', data_root=tiny_data, ann_file='labels_a.json',
    test_mode=True, pipeline=None)
tiny_test_b = dict(tiny_test_a, ann_file='labels_b.json')
train_dataloader = dict(
    _delete_=True, batch_size=4, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True), dataset=tiny_train)
val_dataloader = dict(
    _delete_=True, batch_size=4, num_workers=0, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ConcatDataset', datasets=[tiny_test_a, tiny_test_b],
                 pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(dataset_prefixes=['A', 'B'])
test_evaluator = val_evaluator
train_cfg = dict(max_epochs=2, val_interval=100)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1),
    checkpoint=dict(type='AtomicCheckpointHook', interval=1,
                    max_keep_ckpts=3))
log_processor = dict(window_size=1)
randomness = dict(seed=0)
"""
NUM_TEST_A = 5  # images in labels_a.json; the rest are in labels_b.json


def load_tool(name: str):
    """Import ``tools/<name>.py`` as a module (tools are scripts)."""
    spec = importlib.util.spec_from_file_location(
        f'crnn_tools_{name}', osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unique_name() -> str:
    """An experiment name no other runner of this process uses.

    MMEngine keys MessageHub/logger instances by experiment name, which
    defaults to config name + timestamp (seconds) -- two in-process runs in
    one second would share state.
    """
    return f'tools_test_{uuid.uuid4().hex[:12]}'


def free_port() -> int:
    """A TCP port that is free right now (for torchrun's rendezvous)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def per_image_lexicon(word: str) -> list:
    """The per-image lexicon written for ``word``: itself and 2 others."""
    return [word, word[::-1] + 'q', 'zz' + word]


def make_word_set(root: str, words=WORDS, with_lexicon: bool = True) -> str:
    """Write grayscale 100x32 noise images and MMOCR JSON labels.

    ``labels.json`` lists all images (training); ``labels_a.json`` and
    ``labels_b.json`` split them into two test sets. Each entry has a
    per-image ``lexicon`` list (:func:`per_image_lexicon`) unless
    ``with_lexicon`` is False.

    Args:
        root (str): Output folder (``imgs/`` and ``labels.json`` inside).
        words (Sequence[str]): One image per word.
        with_lexicon (bool): Add the per-image lexicons. Defaults to True.

    Returns:
        str: ``root``.
    """
    os.makedirs(osp.join(root, 'imgs'), exist_ok=True)
    rng = np.random.default_rng(0)
    data_list = []
    for i, word in enumerate(words):
        img = rng.integers(0, 256, (32, 100), dtype=np.uint8)
        name = f'imgs/{i:03d}.png'
        cv2.imwrite(osp.join(root, name), img)
        entry = dict(img_path=name, instances=[dict(text=word)])
        if with_lexicon:
            entry['lexicon'] = per_image_lexicon(word)
        data_list.append(entry)
    metainfo = dict(dataset_type='TextRecogDataset', task_name='textrecog')
    parts = dict(
        labels=data_list,
        labels_a=data_list[:NUM_TEST_A],
        labels_b=data_list[NUM_TEST_A:])
    for name, part in parts.items():
        with open(osp.join(root, f'{name}.json'), 'w') as f:
            json.dump(dict(metainfo=metainfo, data_list=part), f)
    return root


def write_tiny_config(folder: str) -> str:
    """Write 8 word images and a shrunk toy config into ``folder``.

    Returns:
        str: Path of the config.
    """
    data = make_word_set(osp.join(folder, 'words'))
    path = osp.join(folder, 'crnn_tiny.py')
    with open(path, 'w') as f:
        f.write(TINY_CONFIG.format(base=TOY_CONFIG, data=data))
    return path


class SimulatedInterrupt(Exception):
    """Raised by :class:`ToolsTestInterruptHook` (a killed training run)."""


@HOOKS.register_module()
class ToolsTestInterruptHook(Hook):
    """Stop training right after the checkpoint of epoch ``after_epoch``.

    Priority LOWEST runs after ``CheckpointHook`` (VERY_LOW), so the
    checkpoint of that epoch is on disk when the run dies.
    """
    priority = 'LOWEST'

    def __init__(self, after_epoch: int) -> None:
        self.after_epoch = after_epoch

    def after_train_epoch(self, runner) -> None:
        if runner.epoch + 1 == self.after_epoch:
            raise SimulatedInterrupt(f'interrupted after epoch {runner.epoch}')


@HOOKS.register_module()
class ToolsTestRecorderHook(Hook):
    """Write what a run did to ``work_dir/record_rank{RANK}.json``.

    Records the position where training (re)starts, the optimizer state at
    that moment, the image paths of each batch, the wrapper/optimizer wrapper
    types, the distributed setup and a parameter checksum at the end.
    """
    priority = 'LOWEST'

    def before_train(self, runner) -> None:
        optim_state = runner.optim_wrapper.state_dict()['state']
        self.record = dict(
            rank=get_rank(),
            world_size=get_world_size(),
            backend=(torch_dist.get_backend()
                     if torch_dist.is_initialized() else None),
            model_wrapper=type(runner.model).__name__,
            optim_wrapper=type(runner.optim_wrapper).__name__,
            start_epoch=runner.epoch,
            start_iter=runner.iter,
            start_optim_state={
                str(k): {n: v.double().sum().item()
                         for n, v in s.items() if torch.is_tensor(v)}
                for k, s in optim_state.items()
            },
            batches=[],
            losses=[])

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        self.record['batches'].append(
            [s.img_path for s in data_batch['data_samples']])
        self.record['losses'].append(outputs['loss'].item())

    def after_train(self, runner) -> None:
        model = runner.model
        model = getattr(model, 'module', model)
        self.record['end_iter'] = runner.iter
        self.record['param_checksum'] = sum(
            p.detach().double().sum().item() for p in model.parameters())
        path = osp.join(runner.work_dir, f'record_rank{get_rank()}.json')
        with open(path, 'w') as f:
            json.dump(self.record, f)


def read_records(work_dir: str) -> list:
    """Records of :class:`ToolsTestRecorderHook`, sorted by rank."""
    records = []
    for name in sorted(os.listdir(work_dir)):
        if name.startswith('record_rank') and name.endswith('.json'):
            with open(osp.join(work_dir, name)) as f:
                records.append(json.load(f))
    return records


def write_config(path: str, base: str, extra: str = '') -> str:
    """Write a config that inherits ``base`` and adds ``extra`` lines."""
    with open(path, 'w') as f:
        f.write(f'_base_ = [{base!r}]\n{extra}')
    return path


TINY_SEMANTIC = """\
_base_ = [{base!r}]
load_from = None
model = dict(
    backbone=dict(channels=[4, 4, 8, 8, 8, 8, 8]),
    encoder=dict(in_channels=8, hidden_size=8),
    decoder=dict(in_channels=16))  # two directions of 8
"""
SEMANTIC_LABELS = [
    'clef-G2 note-C5_quarter note-E5_half', 'clef-G2 rest-quarter',
    'clef-F4 keySignature-1 note-G3_eighth barline',
    'clef-G2 timeSignature-3/4 note-D5_quarter.', 'clef-G2 note-A4_whole',
    'clef-G2 note-B4_quarter note-B4_quarter'
]


def write_tiny_semantic_model(folder: str) -> tuple:
    """A shrunk semantic OMR config (random weights) and its checkpoint
    (with ``meta.cfg``) in ``folder``.

    Returns:
        tuple(str, str): Config and checkpoint paths.
    """
    from crnn_plugin.apis import load_recognizer
    config = osp.join(folder, 'tiny_semantic.py')
    with open(config, 'w') as f:
        f.write(TINY_SEMANTIC.format(base=osp.join(
            ROOT, 'configs', 'omr', 'crnn_omr_reduced_semantic.py')))
    torch.manual_seed(0)
    cfg, model = load_recognizer(config)
    checkpoint = osp.join(folder, 'tiny_semantic.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(cfg=cfg.pretty_text)), checkpoint)
    return config, checkpoint


def write_semantic_lmdb(folder: str, labels=SEMANTIC_LABELS,
                        images=None) -> str:
    """Staff fragments (10 spaces high at 120 px; or ``images``, encoded,
    one per label) with ``semantic-%09d`` labels (and placeholder pitch
    labels) in ``folder/lmdb``."""
    import lmdb

    from crnn_plugin.datasets.lmdb_writer import write_recog_lmdb
    from omr_model_helpers import staff_image
    path = osp.join(folder, 'lmdb')
    images = images or [cv2.imencode('.png', staff_image(
        height=120, width=300 + 40 * i, note_rows=(50 + 3 * i, 70)))[1]
        .tobytes() for i in range(len(labels))]
    items = [(image, 'C5') for image in images]
    write_recog_lmdb(items, path, show_progress=False)
    env = lmdb.open(path, map_size=1 << 24)
    with env.begin(write=True) as txn:
        for i, label in enumerate(labels, 1):
            txn.put(b'semantic-%09d' % i, label.encode())
    env.close()
    return path
