"""Fixtures for dataset tests (plain helpers: ``datasets_helpers.py``)."""
import logging
import uuid
from typing import List

import pytest
from mmengine.logging import MMLogger


class _ListHandler(logging.Handler):

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records():
    """Records logged via ``print_log(logger='current')`` during a test."""
    logger = MMLogger.get_instance(  # the newest is current
        f'test-{uuid.uuid4().hex}', log_level='DEBUG')
    handler = _ListHandler()
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
