"""Packaging for crnn-plugin (CRNN for MMOCR 1.x / MMEngine).

Two tiers:

* ``pip install -e .``: reading words and scores (``tools/infer.py``,
  ``omr/recognize.py``, ``crnn_plugin.TextReader``/``ScoreReader``) with the
  shipped ONNX models: ONNX Runtime, NumPy, OpenCV, Pillow, and music21/
  verovio/cairosvg for MusicXML, MIDI and engraving.
* ``bash tools/setup.sh``: everything, i.e. also the ``train``, ``onnx``
  and ``tests`` extras. torch, torchvision and mmcv (with compiled ops) are
  installed by the script: mmcv 2.0.1 has no wheel for current torch and
  must be built against the installed torch, which pip cannot express.
"""
import os.path as osp

from setuptools import find_packages, setup


def read_version() -> str:
    """Read ``__version__`` without importing the package."""
    scope: dict = {}
    path = osp.join(osp.dirname(__file__), 'crnn_plugin', 'version.py')
    with open(path, encoding='utf-8') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='crnn-plugin',
    version=read_version(),
    description='CRNN (Shi, Bai & Yao 2015) for MMOCR 1.x: paper-faithful '
    'text recognition, lexicon search and optical music recognition',
    long_description=open('README.md', encoding='utf-8').read()
    if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.8',
    packages=find_packages(exclude=('tests', 'tests.*', 'configs', 'tools')),
    package_data={'crnn_plugin': ['dicts/*.txt', 'synth/font_catalog.tsv',
                                  'synth/font_packages.txt']},
    include_package_data=True,
    install_requires=[
        'onnxruntime>=1.18',
        'numpy<2',  # imgaug 0.4.0 (imported by mmocr.datasets) of [train]
        'opencv-python-headless<4.11',  # 4.11+ needs numpy>=2
        'Pillow>=10.1',
        # omr/: MusicXML/MIDI export, engraving and SVG rasterisation.
        'music21>=9.1',
        'verovio>=4.0',
        'cairosvg>=2.7',
    ],
    extras_require={
        # Training, testing and exporting with MMOCR (tools/setup.sh).
        'train': [
            'torch>=2.0',
            'torchvision>=0.15',
            'mmengine>=0.10.0,<1.0.0',
            'mmcv>=2.0.0rc4,<2.1.0',  # mmocr 1.0.1's bound; compiled ops
            'mmdet>=3.0.0rc5,<3.2.0',
            'mmocr==1.0.1',
            'opencv-python<4.11',  # mmcv's dependency; 4.11+ needs numpy>=2
            'lmdb>=1.4',
            'rapidfuzz>=3.0',
            'tqdm>=4.60',
        ],
        # ONNX export and int8 quantization (crnn_plugin.apis).
        'onnx': ['onnx>=1.16'],
        'tests': ['pytest>=7', 'hypothesis>=6', 'onnx>=1.16'],
    },
    zip_safe=False,
)
