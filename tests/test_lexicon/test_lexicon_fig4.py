"""benchmarks/lexicon_fig4.py end to end on the shipped toy word images."""
import importlib.util
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmocr.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
spec = importlib.util.spec_from_file_location(
    'lexicon_fig4', osp.join(ROOT, 'benchmarks', 'lexicon_fig4.py'))
fig4 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fig4)


def test_fig4_runs_the_model_and_draws(tmp_path, monkeypatch):
    pytest.importorskip('matplotlib')
    monkeypatch.chdir(ROOT)  # the toy config's data_root is relative
    config = osp.join(ROOT, 'configs', 'crnn_mini-vgg_toy.py')
    init_default_scope('mmocr')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(config).model)
    checkpoint = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    with open(osp.join(ROOT, 'tests', 'data', 'toy_words',
                       'labels.json')) as f:
        texts = [e['instances'][0]['text'] for e in json.load(f)['data_list']]
    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('\n'.join(texts[:6]) + '\n')
    out = tmp_path / 'fig4.png'
    results = fig4.main([
        config, checkpoint, '--lexicon', str(lexicon), '--deltas', '0', '2',
        '--max-samples', '6', '--out', str(out), '--json',
        str(tmp_path / 'fig4.json')
    ])
    assert results['samples'] == 6 and list(results['deltas']) == [0, 2]
    assert out.stat().st_size > 1000
    assert json.loads((tmp_path / 'fig4.json').read_text())['samples'] == 6
    for row in results['deltas'].values():
        assert 0 <= row['accuracy'] <= 1 and row['ms_mean'] >= 0


def test_evaluate_counts_lexicon_words_and_fallbacks():
    from crnn_plugin.lexicon import Lexicon
    from crnn_plugin.models.common import CharsetDictionary
    dictionary = CharsetDictionary()
    lexicon = Lexicon(['Hello', 'World'], dictionary)
    probs = torch.full((12, 37), 0.01)
    frames = dictionary.str2idx('helo')
    for t, k in enumerate(frames):
        probs[2 * t, k] = 5.0
    log_probs = probs.log_softmax(-1)
    records = [(log_probs, frames, 'hello'), (log_probs, frames, 'H-E-L-O')]
    results = fig4.evaluate(records, dictionary, lexicon, [0, 1])
    assert results['lexicon_free_accuracy'] == 0.5  # 'helo' == 'H-E-L-O'
    assert results['deltas'][0]['accuracy'] == 0.5  # N_0 empty: greedy
    assert results['deltas'][1]['accuracy'] == 0.5  # 'Hello'
    assert results['deltas'][1]['candidates_mean'] == 1
