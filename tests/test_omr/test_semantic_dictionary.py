"""SemanticDictionary: model tokens of stored semantic labels."""
import pytest
from mmocr.registry import TASK_UTILS

from omr.semantic_dictionary import SemanticDictionary
from omr.semantic_tokens import VOCABULARY, join_symbols

pytest.importorskip('music21', reason='music21 is not installed')

from omr.semantic import semantic_tokens  # noqa: E402
from semantic_helpers import corpus_fragments  # noqa: E402


def test_classes_blank_last_and_registry():
    d = TASK_UTILS.build(dict(type='SemanticDictionary'))
    assert isinstance(d, SemanticDictionary) and d.mode == 'semantic'
    assert d.num_classes == 293 and d.padding_idx == 292
    assert d.dict[:292] == list(VOCABULARY)
    u = SemanticDictionary(with_unknown=True)
    assert u.num_classes == 294 and u.padding_idx == 293
    assert u.dict[292] == '<UKN>'


def test_stored_labels_round_trip_through_indexes():
    d = SemanticDictionary()
    for frag in corpus_fragments():
        label = ' '.join(semantic_tokens(frag))
        indexes = d.str2idx(label)
        assert d.padding_idx not in indexes
        assert len(indexes) == len(d.tokenize(label))
        decoded = d.idx2str(indexes)
        assert decoded.split() == d.tokenize(label)
        assert ' '.join(join_symbols(decoded.split())[0]) == label


def test_unknown_symbols():
    with pytest.raises(KeyError, match='semantic'):
        SemanticDictionary().str2idx('clef-G2 timeSignature-3+2/8')
    d = SemanticDictionary(with_unknown=True)
    assert d.idx2str(d.str2idx('clef-C3 note-C4_half')) == \
        '<UKN> note-C4 _half'
    with pytest.raises(ValueError, match='mode'):
        SemanticDictionary(mode='pitch')
