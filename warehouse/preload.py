"""The pipeline's modules, imported once in a long-lived process that forks the processes running tasks.

Airflow's executors fork their task processes: a LocalExecutor from workers it forks from the scheduler
(warehouse/local_executor.py), a Celery worker from the pool processes it forks from itself
(warehouse/celery_config.py). A task process that starts without the pipeline imported spends ~0.6 s on it
(pandas, DuckDB, the fetcher, the extractor's records) before any work, and `validate` 2.5 s more (Great
Expectations): about 12 s of task time in a refresh of 15 tasks, most of it on the serial chain
load → build → validate → publish. Imported in the forking process first, they are in every task process from
its start, shared copy-on-write.
"""

from __future__ import annotations

import importlib
import logging
import time

log = logging.getLogger(__name__)

# What the DAG's tasks import when they run (dags/ogi_refresh.py and the step functions it calls). None of
# them starts a thread when imported (tests/test_preload.py), so forking after them is safe.
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
    """Import `modules`; return those that failed (logged, never raised: the task that needs one reports it,
    and the process preloading them, a scheduler or a Celery worker, keeps running)."""
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
