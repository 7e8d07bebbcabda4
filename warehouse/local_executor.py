"""Airflow's LocalExecutor, with the pipeline's modules imported once before it forks its workers.

A LocalExecutor forks `parallelism` long-lived worker processes from the scheduler, and each task process is
forked from one of those: importing the pipeline in the scheduler first (warehouse/preload.py) puts it in
every task process from its start.

Set `AIRFLOW__CORE__EXECUTOR=warehouse.local_executor.LocalExecutor` (the class keeps Airflow's name, which
Airflow's simple auth manager reads to tell a local deployment). Nothing else changes: a module that fails to
import is logged and left to the task that needs it, whose failure then names the cause.
"""

from __future__ import annotations

from airflow.executors import local_executor

from warehouse.preload import preload


class LocalExecutor(local_executor.LocalExecutor):
    def start(self) -> None:
        preload()
        super().start()  # forks the workers, which inherit what was just imported
