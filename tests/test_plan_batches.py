"""How a run's documents are cut into extract tasks (warehouse/pipeline.py split_batches): few enough that a
task's start-up does not dominate, enough to keep the deployment's task slots busy."""

from __future__ import annotations

import pytest
from sample_warehouse import SAMPLE_DOCUMENTS

from warehouse.pipeline import BATCH_SIZE, MAX_BATCH_SIZE, MAX_BATCHES, split_batches
from warehouse.slots import TASKS_PER_SLOT


@pytest.mark.parametrize("count", [0, 1, BATCH_SIZE - 1, BATCH_SIZE, BATCH_SIZE + 1, 1_000, 3_217, 10_000, 100_003])
@pytest.mark.parametrize("slots", [None, 1, 2, 3, 8, 32])
def test_batches_cover_every_document_once_in_order_within_the_bounds(count, slots):
    todo = list(range(count))
    batches = split_batches(todo, slots)
    assert [doc for batch in batches for doc in batch] == todo
    tasks = MAX_BATCHES if slots is None else min(MAX_BATCHES, TASKS_PER_SLOT * slots)
    assert len(batches) <= max(tasks, -(-count // MAX_BATCH_SIZE))  # more tasks only to keep batches small
    assert all(BATCH_SIZE <= len(batch) <= MAX_BATCH_SIZE for batch in batches[:-1])  # the last may be short
    assert len({len(batch) for batch in batches[:-1]}) <= 1  # the others are of one size


def test_a_small_run_is_one_task_and_a_large_one_fills_the_slots():
    assert split_batches(list(range(BATCH_SIZE)), slots=2) == [list(range(BATCH_SIZE))]  # one task
    # the bundled corpus: batches of BATCH_SIZE, however many slots there are
    full, rest = divmod(SAMPLE_DOCUMENTS, BATCH_SIZE)
    batches = split_batches(list(range(SAMPLE_DOCUMENTS)), slots=2)
    assert [len(b) for b in batches] == [BATCH_SIZE] * full + [rest] * bool(rest)
    assert [len(b) for b in split_batches(list(range(10_000)), slots=2)] == [2_500] * 4
    assert [len(b) for b in split_batches(list(range(10_000)), slots=1)] == [MAX_BATCH_SIZE] * 4  # not 2 of 5,000
    assert len(split_batches(list(range(10_000)), slots=None)) == MAX_BATCHES  # slots unknown: the most tasks
    assert [len(b) for b in split_batches(list(range(100_000)), slots=32)] == [MAX_BATCH_SIZE] * 40
