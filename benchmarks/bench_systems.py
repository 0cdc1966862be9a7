"""The systems timed by ``inference_speed.py`` (and their test images)."""
import os
import os.path as osp
import sys
from typing import Callable, Dict, List, Optional, Tuple

import cv2
import numpy as np
import torch

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

MMOCR_CRNN = 'mmocr::textrecog/crnn/_base_crnn_mini-vgg.py'
TESSDATA = ('/usr/share/tesseract-ocr/5/tessdata',
            '/usr/share/tesseract-ocr/4.00/tessdata')


def _render(num: int) -> List[np.ndarray]:
    """Clean word renders of held-out words and fonts (our generator), or
    OpenCV Hershey text when the word lists/fonts are not installed."""
    try:
        from crnn_plugin.synth import (CLEAN_STYLE, SynthWordGenerator,
                                       WordCorpus, find_font_files)
        gen = SynthWordGenerator(
            WordCorpus(split='val'),
            find_font_files('val', allow_missing=True),
            style=CLEAN_STYLE,
            seed=2024)
        return [gen(i).image for i in range(num)]
    except Exception as err:  # missing Debian packages
        print(f'synth generator unavailable ({err}); using Hershey text')
    rng = np.random.default_rng(2024)
    chars = np.array(list('abcdefghijklmnopqrstuvwxyz0123456789'))
    images = []
    for _ in range(num):
        text = ''.join(rng.choice(chars, int(rng.integers(3, 11))))
        (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.8, 2)
        img = np.full((32, w + 8), 255, np.uint8)
        cv2.putText(img, text, (4, 16 + h // 2), cv2.FONT_HERSHEY_SIMPLEX,
                    0.8, 0, 2, cv2.LINE_AA)
        images.append(img)
    return images


def make_word_images(folder: str, num: int
                     ) -> Dict[str, Tuple[List[str], List[int]]]:
    """Write the fixed (100x32) and variable-width sets of the same words.

    Returns:
        dict: ``{'fixed 100x32': (paths, widths), 'variable': ...}``.
    """
    sets: Dict[str, Tuple[List[str], List[int]]] = {}
    images = _render(num)
    for name, resize in (('fixed 100x32', True), ('variable', False)):
        sub = osp.join(folder, name.split()[0])
        os.makedirs(sub, exist_ok=True)
        paths, widths = [], []
        for i, img in enumerate(images):
            if resize:
                img = cv2.resize(img, (100, 32), interpolation=cv2.INTER_AREA)
            paths.append(osp.join(sub, f'{i:05d}.png'))
            cv2.imwrite(paths[-1], img)
            widths.append(img.shape[1])
        sets[name] = (paths, widths)
    return sets


def build_mmocr_crnn(our_config: str):
    """MMOCR's CRNN (its own config) and a test pipeline with our sizes."""
    import tempfile

    from mmengine.config import Config
    from mmengine.dataset import Compose
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    with tempfile.NamedTemporaryFile('w', suffix='.py', delete=False) as f:
        f.write(f'_base_ = {MMOCR_CRNN!r}\n')
    cfg = Config.fromfile(f.name)
    os.unlink(f.name)
    ours = Config.fromfile(our_config)
    resize = [s for s in ours.test_pipeline if s.type == 'RescaleToHeight']
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model).eval()
        pipeline = Compose([
            dict(type='LoadImageFromFile', color_type='grayscale'), *resize,
            dict(type='PackTextRecogInputs',
                 meta_keys=('img_path', 'ori_shape', 'img_shape',
                            'valid_ratio'))
        ])
    return model, pipeline


def mmocr_recognize(mmocr, paths: List[str], batch_size: int) -> List[str]:
    """MMOCR's way: pipeline per image, collate, test_step per batch."""
    from mmengine.dataset import pseudo_collate
    model, pipeline = mmocr
    texts = []
    with torch.no_grad():
        for i in range(0, len(paths), batch_size):
            data = [pipeline(dict(img_path=p))
                    for p in paths[i:i + batch_size]]
            for sample in model.test_step(pseudo_collate(data)):
                texts.append(sample.pred_text.item)
    return texts


def mmocr_model_call(mmocr, batch: torch.Tensor) -> Dict[str, Callable]:
    """MMOCR's CRNN forward (probabilities) on a normalised batch."""
    model = mmocr[0]

    def probs(autocast: bool) -> Callable:
        def call():
            with torch.inference_mode(), torch.autocast(
                    'cpu', dtype=torch.bfloat16, enabled=autocast):
                for _ in range(4):
                    model.decoder.forward_test(model.extract_feat(batch))
        return call

    return {'MMOCR CRNN fp32': probs(False), 'MMOCR CRNN bf16': probs(True)}


def ours_model_calls(model, backends: Dict[str, Callable],
                     batch: torch.Tensor) -> Dict[str, Callable]:
    """Our model on the same batch: ONNX Runtime backends (``name ->
    backend``) and PyTorch eager fp32 / bf16 autocast."""
    widths = torch.full((batch.size(0), ), batch.size(3))
    array, np_widths = batch.numpy(), widths.numpy()

    def torch_call(autocast: bool) -> Callable:
        def call():
            with torch.inference_mode(), torch.autocast(
                    'cpu', dtype=torch.bfloat16, enabled=autocast):
                for _ in range(4):
                    model(batch, widths)
        return call

    def onnx_call(backend: Callable) -> Callable:
        def call():
            for _ in range(4):
                backend(array, np_widths)
        return call

    calls = {name: onnx_call(b) for name, b in backends.items()}
    calls.update({'ours torch fp32': torch_call(False),
                  'ours torch bf16': torch_call(True)})
    return calls


def tesseract_recognize(threads: int) -> Optional[Callable]:
    """``paths -> texts`` with tesserocr (PSM.SINGLE_LINE), or None."""
    os.environ['OMP_THREAD_LIMIT'] = str(threads)
    try:
        import tesserocr
    except ImportError:
        return None
    path = next((p for p in TESSDATA if osp.isdir(p)), None)
    api = tesserocr.PyTessBaseAPI(
        path=path, lang='eng', psm=tesserocr.PSM.SINGLE_LINE)

    def run(paths: List[str]) -> List[str]:
        texts = []
        for p in paths:
            api.SetImageFile(p)
            texts.append(api.GetUTF8Text().strip())
        return texts

    return run
