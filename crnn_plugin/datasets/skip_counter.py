"""Counting and logging of skipped (bad) samples.

One place for the "skip and count" policy shared by
:class:`~crnn_plugin.datasets.LMDBTextRecogDataset`,
:class:`~crnn_plugin.datasets.transforms.SafeLoadImageFromFile` and the LMDB
writer: every bad entry is counted per reason and reported through MMEngine's
logger (``print_log``) with the running count, so a training run continues
and the log says how much data was dropped.
"""
import logging
from collections import Counter
from typing import Optional

from mmengine.logging import print_log


class SkipCounter:
    """Counts skipped samples per reason and logs a warning for each one.

    A bad entry that is hit again (e.g. the same corrupt image in every
    epoch) is counted as a new skip *event* but warned about only once;
    repeats are logged at DEBUG level so the log is not flooded.

    Counts are per process: each dataloader worker keeps (and logs) its own.

    Args:
        name (str): What is being read (dataset path, transform name); it
            prefixes every message. Defaults to ``'data'``.
        logger (str): Logger passed to :func:`mmengine.logging.print_log`.
            Defaults to ``'current'`` (the runner's logger when one exists);
            ``'silent'`` disables the messages.

    Example:
        >>> counter = SkipCounter('toy.lmdb', logger='silent')
        >>> counter.skip('image-000000003', 'not decodable')
        1
        >>> counter.num_skipped, dict(counter.by_reason)
        (1, {'not decodable': 1})
    """

    def __init__(self, name: str = 'data', logger: str = 'current') -> None:
        self.name = name
        self.logger = logger
        self.by_reason: Counter = Counter()
        self.bad_keys: set = set()

    @property
    def num_skipped(self) -> int:
        """int: Number of skip events so far (repeats included)."""
        return sum(self.by_reason.values())

    @property
    def num_bad_keys(self) -> int:
        """int: Number of distinct entries skipped so far."""
        return len(self.bad_keys)

    def skip(self, key: str, reason: str) -> int:
        """Count one skipped entry and log it.

        Args:
            key (str): Identifier of the entry (LMDB key, file path, line).
            reason (str): Short human-readable reason, used as counter key.

        Returns:
            int: The total number of skip events so far.
        """
        self.by_reason[reason] += 1
        first_time = key not in self.bad_keys
        self.bad_keys.add(key)
        total = self.num_skipped
        print_log(
            f'[{self.name}] skipped {key}: {reason} '
            f'(skipped so far: {total}, distinct bad entries: '
            f'{self.num_bad_keys})',
            logger=self.logger,
            level=logging.WARNING if first_time else logging.DEBUG)
        return total

    def summary(self) -> str:
        """Return a one-line summary such as ``'2 skipped (empty file: 2)'``.

        Returns:
            str: The summary; ``'0 skipped'`` when nothing was skipped.
        """
        if not self.by_reason:
            return '0 skipped'
        reasons = ', '.join(f'{r}: {n}' for r, n in
                            sorted(self.by_reason.items()))
        return f'{self.num_skipped} skipped ({reasons})'

    def log_summary(self, level: Optional[int] = None) -> None:
        """Log :meth:`summary`, as a warning when anything was skipped.

        Args:
            level (int, optional): Logging level. Defaults to WARNING when
                something was skipped, INFO otherwise.
        """
        if level is None:
            level = logging.WARNING if self.by_reason else logging.INFO
        print_log(f'[{self.name}] {self.summary()}', logger=self.logger,
                  level=level)
