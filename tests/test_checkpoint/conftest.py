"""The checkpoint-loading tests use the toy runner of the engine tests: put
their folder on ``sys.path``."""
import os.path as osp
import sys

ENGINE_TESTS = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                        'test_engine')
if ENGINE_TESTS not in sys.path:
    sys.path.insert(0, ENGINE_TESTS)
