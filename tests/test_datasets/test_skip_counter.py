"""SkipCounter: counts per reason, one warning per distinct entry."""
import logging

from crnn_plugin.datasets import SkipCounter


def test_counts_and_logs(log_records):
    counter = SkipCounter('set')
    assert counter.summary() == '0 skipped'
    assert counter.skip('k1', 'empty file') == 1
    assert counter.skip('k2', 'truncated') == 2
    assert counter.skip('k1', 'empty file') == 3  # seen again (next epoch)
    assert counter.num_skipped == 3 and counter.num_bad_keys == 2
    assert counter.summary() == '3 skipped (empty file: 2, truncated: 1)'
    levels = [r.levelno for r in log_records]
    assert levels == [logging.WARNING, logging.WARNING, logging.DEBUG]
    assert log_records[1].getMessage() == (
        '[set] skipped k2: truncated (skipped so far: 2, '
        'distinct bad entries: 2)')
    counter.log_summary()
    assert log_records[-1].levelno == logging.WARNING
    assert 'skipped (empty file: 2' in log_records[-1].getMessage()
