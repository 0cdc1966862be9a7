"""Width buckets: every image once, neighbours by width, column budget."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crnn_plugin.runtime import pad_batch, plan_batches


@settings(max_examples=60, deadline=None)
@given(
    widths=st.lists(st.integers(1, 3000), max_size=80),
    batch_size=st.integers(1, 16),
    max_columns=st.one_of(st.none(), st.integers(100, 5000)))
def test_plan_batches_properties(widths, batch_size, max_columns):
    batches = plan_batches(widths, batch_size, max_columns)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(widths)))
    budget = batch_size * 256 if max_columns is None else max_columns
    for batch in batches:
        assert 1 <= len(batch) <= batch_size
        batch_width = max(widths[i] for i in batch)
        assert len(batch) == 1 or len(batch) * batch_width <= budget
    # Sorted by width: batches do not interleave.
    ordered = [widths[i] for i in flat]
    assert ordered == sorted(ordered)


def test_plan_batches_rejects_bad_size():
    with pytest.raises(ValueError):
        plan_batches([100], 0)


def test_pad_batch():
    images = [np.full((1, 4, w), w, np.float32) for w in (3, 5, 2)]
    batch, widths = pad_batch(images, pad_value=-1.)
    assert batch.shape == (3, 1, 4, 5) and batch.dtype == np.float32
    assert widths.tolist() == [3, 5, 2] and widths.dtype == np.int64
    assert (batch[0, :, :, :3] == 3).all() and (batch[0, :, :, 3:] == -1).all()
    assert (batch[1] == 5).all()
