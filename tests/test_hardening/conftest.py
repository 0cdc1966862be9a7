"""The hardening tests use the tiny-model helpers of the API and tool
tests: put their folders on ``sys.path``."""
import os.path as osp
import sys

TESTS = osp.dirname(osp.dirname(osp.abspath(__file__)))
for folder in ('test_apis', 'test_tools'):
    path = osp.join(TESTS, folder)
    if path not in sys.path:
        sys.path.insert(0, path)
