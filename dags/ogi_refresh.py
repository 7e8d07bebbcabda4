"""ogi_refresh — the weekly warehouse refresh.

discover sources → fetch (one task per source) → plan → extract (one task per batch) → load raw
→ dbt build → validate → publish. Each task calls one function of `warehouse.pipeline`; nothing heavy
is imported when the scheduler parses this file.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

_REPO = Path(__file__).resolve().parents[1]


def _run() -> tuple[str, str, str]:
    """(sources file, warehouse path, run id) of the running DAG run."""
    context = get_current_context()
    return context["params"]["sources"], context["params"]["warehouse"], context["run_id"]


@dag(
    dag_id="ogi_refresh",
    schedule="@weekly",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["ogi"],
    params={
        "sources": Param(os.environ.get("OGI_SOURCES", str(_REPO / "samples" / "sources.yaml")), type="string"),
        "warehouse": Param(os.environ.get("OGI_WAREHOUSE", str(_REPO / "warehouse_data" / "ogi.duckdb")),
                           type="string"),
    },
    doc_md=__doc__,
)
def ogi_refresh():
    @task
    def discover() -> list[str]:
        from warehouse import pipeline

        return pipeline.discover(*_run())

    # Network trouble is recorded per source and never raised; a retry covers what is left
    # (a full disk, a killed worker), with backoff so a struggling server is not hammered.
    @task(retries=2, retry_delay=timedelta(seconds=20), retry_exponential_backoff=True)
    def fetch(source_name: str) -> str:
        from warehouse import pipeline

        return pipeline.fetch(*_run(), source_name)

    @task
    def plan(manifests: list[str]) -> list[list[dict]]:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.plan_extraction(warehouse, run_id, list(manifests))

    @task
    def extract(batch: list[dict]) -> str:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.extract_batch(warehouse, run_id, batch)

    # none_failed: when nothing changed there is no extract batch (the mapped task is skipped), and
    # the refresh still goes on to rebuild and publish.
    @task(trigger_rule="none_failed")
    def load(manifests: list[str], extracted: list[str]) -> dict:
        from warehouse import pipeline

        sources, warehouse, run_id = _run()
        return pipeline.load(sources, warehouse, run_id, list(manifests), list(extracted or []))

    @task
    def build(loaded: dict) -> dict:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.build(warehouse, run_id, loaded)

    @task
    def validate(built: dict) -> dict:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.validate(warehouse, run_id, built)

    @task
    def publish(_validated: dict) -> dict:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.publish(warehouse, run_id)

    # Runs only when a step failed: notes it beside the warehouse, then fails itself so that the run,
    # whose only leaf this is, ends failed.
    @task(trigger_rule="one_failed")
    def record_failure() -> None:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        message = "a step failed; the published warehouse is unchanged"
        pipeline.record_failure(warehouse, run_id, message)
        raise RuntimeError(message)

    manifests = fetch.expand(source_name=discover())
    extracted = extract.expand(batch=plan(manifests))
    published = publish(validate(build(load(manifests, extracted))))
    published >> record_failure()


ogi_refresh()
