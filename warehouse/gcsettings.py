"""Garbage-collector settings for the one-shot processes of a refresh: the in-process DAG run
(warehouse/dagrun.py) and each dbt command (warehouse/dbt_invoke.py).

Both import a few hundred thousand objects that live until the process ends (Airflow, dbt's manifest), and
Python's default thresholds walked them again and again: ~10 full collections in a no-change refresh of 10k
documents (2-3 s of its 11-13 s). Then the interpreter's teardown walked the whole heap once more after the
work was done: ~3 s for the DAG run and ~0.9 s for each dbt command at 10k documents."""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 10, 10)  # young objects collected every 10k allocations instead of every 700


def collect_less() -> None:
    """Leave every object that exists now out of later collections and collect young ones less often;
    reference cycles made afterwards are still freed."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def before_exit() -> None:
    """Call when the process's work is done (output flushed): its teardown then frees the heap without walking
    it for cycles first. Exit handlers still run, unlike os._exit."""
    gc.freeze()
