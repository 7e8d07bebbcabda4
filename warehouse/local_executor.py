"""Airflow's LocalExecutor, with the pipeline's modules imported once before it forks its workers.

A LocalExecutor forks `parallelism` long-lived worker processes from the scheduler, and each task process is
forked from one of those. Every task then imported the pipeline afresh: ~0.6 s (pandas, DuckDB, the fetcher,
the extractor's records) before any work, and 2.5 s more in `validate` (Great Expectations) — about 12 s of
task time in a refresh of 15 tasks, most of it on the serial chain load → build → validate → publish. Imported
here, in the scheduler, before the workers are forked, those modules are in every task process from its
start, shared copy-on-write.

Set `AIRFLOW__CORE__EXECUTOR=warehouse.local_executor.LocalExecutor` (the class keeps Airflow's name, which
Airflow's simple auth manager reads to tell a local deployment). Nothing else changes: a module that fails to
import is logged and left to the task that needs it, whose failure then names the cause.
"""

from __future__ import annotations

import importlib
import logging
import time

from airflow.executors import local_executor

log = logging.getLogger(__name__)

# What the DAG's tasks import when they run (dags/ogi_refresh.py and the step functions it calls). None of
# them starts a thread when imported (tests/test_local_executor.py), so forking after them is safe.
TASK_MODULES = (
    "warehouse.pipeline",
    "warehouse.settings",
    "warehouse.fetchgroups",
    "warehouse.taskproc",
    "warehouse.build",
    "warehouse.publish",
    "warehouse.report",
    "fetching.catalogue",
    "fetching.fetch",
    "fetching.store",
    "extract.sandbox",
    "warehouse.validate",  # Great Expectations: 2.5 s of every validate task
)


def preload(modules: tuple[str, ...] = TASK_MODULES) -> list[str]:
    """Import `modules`; return those that failed (logged, never raised: the task that needs one reports it)."""
    started = time.perf_counter()
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 — any import error belongs to the task, not to the scheduler
            log.warning("ogi: could not preload %s (%s: %s); tasks will import it themselves",
                        name, type(exc).__name__, exc)
            failed.append(name)
    log.info("ogi: preloaded %d task modules in %.1f s", len(modules) - len(failed),
             time.perf_counter() - started)
    return failed


class LocalExecutor(local_executor.LocalExecutor):
    def start(self) -> None:
        preload()
        super().start()  # forks the workers, which inherit what was just imported
