"""Airflow's Celery configuration, with the pipeline's modules imported in each Celery worker before it forks
its pool.

An `airflow celery worker` runs each task in a process forked from one of its pool's processes, which it forks
from itself at start: importing the pipeline in the worker first (warehouse/preload.py) puts it in every task
process from its start, as warehouse/local_executor.py does for a LocalExecutor.

Set `AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS=warehouse.celery_config.CELERY_CONFIG` for the scheduler and the
workers. The configuration itself is Airflow's default, unchanged; this module is imported wherever Airflow
builds its Celery app, and only a worker's start (Celery's `worker_init` signal) preloads.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

CELERY_CONFIG: dict[str, Any] = dict(DEFAULT_CELERY_CONFIG)


@worker_init.connect
def preload_task_modules(**_: Any) -> None:
    from warehouse.preload import preload

    preload()
