"""A tiny CRNN checkpoint and word images for the inference tests.

The model is the toy config's CRNN with a few channels (same modules, so
every code path of the paper's net runs) and amplified random weights: at
the initial scale the outputs hardly depend on the input and every image
reads the same; amplified (convs x3, LSTM input weights x4, classifier
x10), different images give different texts, so a mix-up of results shows.
"""
import os.path as osp

import cv2
import numpy as np
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY_CONFIG = osp.join(ROOT, 'configs', 'crnn_mini-vgg_toy.py')

TINY_MODEL = """\
_base_ = [{base!r}]
model = dict(
    backbone=dict(channels=[4, 4, 8, 8, 8, 8, 8]),
    encoder=dict(in_channels=8, hidden_size=8),
    decoder=dict(in_channels=16))
"""


def write_tiny_model(folder: str, seed: int = 0):
    """Write ``tiny.py`` and ``tiny.pth`` (an MMEngine-style checkpoint
    with ``meta.cfg``) into ``folder``.

    Returns:
        tuple(str, str): Config and checkpoint paths.
    """
    from crnn_plugin.apis import load_recognizer
    config = osp.join(folder, 'tiny.py')
    with open(config, 'w') as f:
        f.write(TINY_MODEL.format(base=TOY_CONFIG))
    torch.manual_seed(seed)
    cfg, model = load_recognizer(config)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Conv2d):
                module.weight.mul_(3)
            elif isinstance(module, torch.nn.LSTM):
                module.weight_ih_l0.mul_(4)
                module.weight_ih_l0_reverse.mul_(4)
        model.decoder.classifier.weight.mul_(10)
    checkpoint = osp.join(folder, 'tiny.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(cfg=cfg.pretty_text)), checkpoint)
    return config, checkpoint


def word_image(width: int, height: int = 32, seed: int = 0) -> np.ndarray:
    """A random grayscale 'word': dark blobs on a light background."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 230, np.uint8)
    for _ in range(max(2, width // 12)):
        x, y = int(rng.integers(0, width)), int(rng.integers(4, height - 4))
        cv2.circle(img, (x, y), int(rng.integers(2, 7)),
                   int(rng.integers(0, 80)), -1)
    return img


def write_images(folder: str, widths, height: int = 32) -> list:
    """Write one PNG per width; returns the paths."""
    paths = []
    for i, width in enumerate(widths):
        path = osp.join(folder, f'img_{i:02d}_{width}.png')
        cv2.imwrite(path, word_image(width, height, seed=i))
        paths.append(path)
    return paths
