"""ogi_refresh — the weekly warehouse refresh.

discover sources → fetch (one task per source) → plan → extract (one task per batch) → load raw
→ dbt build → validate → publish. Each task calls one function of `warehouse.pipeline`; nothing heavy
is imported when the scheduler parses this file.
"""

from __future__ import annotations

import os
from datetime import timedelta

from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, get_current_context, task

# Downstream DAGs (a BI cache refresh, exports) schedule on this: it is updated by every publish.
WAREHOUSE_ASSET = Asset(name="ogi_warehouse", uri="ogi://warehouse/published")
# Pools (created by `airflow pools set`, see README "Running on an Airflow deployment"): the warehouse build
# writes one DuckDB file, so its tasks share one slot; fetch tasks share a few, to stay polite to the sites.
BUILD_POOL, FETCH_POOL = "ogi_build", "ogi_fetch"
# The building database is a local file: load, build, validate, publish (and record_failure, which removes it)
# run on the one Celery worker that serves this queue (`airflow celery worker -q default,ogi_build`); other
# workers serve `default` only. LocalExecutor and dag.test ignore queues.
BUILD_QUEUE = "ogi_build"

# Time limits: a stuck task is killed (and the run fails, with its cause recorded) instead of holding the
# warehouse's refresh lock for ever. One document is bounded far more tightly inside extract
# (extract/sandbox.py: OGI_EXTRACT_SECONDS); these bound whole tasks. All stay below the lock's lease
# (warehouse/lock.py TTL_S), so a killed run's lock lapses on its own.
STEP_TIMEOUT = timedelta(minutes=30)  # discover, plan, load, validate, publish
FETCH_TIMEOUT = timedelta(hours=1)  # one source: its listing pages and reports, politely rate-limited
EXTRACT_TIMEOUT = timedelta(hours=1)  # one batch: at most its size × the per-document limit / workers
BUILD_TIMEOUT = timedelta(hours=1)  # dbt build
RUN_TIMEOUT = timedelta(hours=6)


def _run() -> tuple[str, str, str]:
    """(sources file, warehouse path, run id) of the running DAG run, resolved now, in the process running
    the task: run conf, then Airflow Variables, then this worker's environment (warehouse/settings.py)."""
    from warehouse.settings import resolve

    context = get_current_context()
    settings = resolve(context["params"])
    if settings.storage:  # the storage layer reads it from the environment of this (one-task) process
        os.environ["OGI_STORAGE"] = settings.storage
    return settings.sources, settings.warehouse, context["run_id"]


def _slots() -> int:
    """How many tasks this deployment runs at once: fetch groups and extract batches are cut for it."""
    from airflow.configuration import conf

    return conf.getint("core", "parallelism")


def _all(values) -> list:
    """The return values of a mapped task, in one request. Iterating Airflow's lazy sequence asks for each value
    and then for one past the last, which the API answers with an error that lands in every run's log as
    `[error] XCom not found`; a slice is fetched whole."""
    return list(values[:]) if values is not None else []


def _flat(groups) -> list[str]:
    """The manifest URIs of all fetch tasks (each returns those of its group of sources)."""
    return [uri for group in _all(groups) for uri in group]


@dag(
    dag_id="ogi_refresh",
    # Sundays 00:00 UTC. No start_date: with one (in the past) the timetable scheduled the most recent past
    # Sunday, so unpausing the DAG started a run at once; without, the first run is the next Sunday.
    schedule=CronTriggerTimetable("0 0 * * 0", timezone="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=RUN_TIMEOUT,
    default_args={"execution_timeout": STEP_TIMEOUT},
    tags=["ogi"],
    params={
        # Empty: resolved when a task runs (warehouse/settings.py), never from the parsing process's environment.
        "sources": Param("", type="string"),
        "warehouse": Param("", type="string"),
        "storage": Param("", type="string"),
        # Set by `ogi refresh`, which takes the warehouse's refresh lock before starting the run: discover
        # adopts that lock instead of failing on it (warehouse/lock.py).
        "lock_owner": Param("", type="string"),
    },
    doc_md=__doc__,
)
def ogi_refresh():
    @task
    def discover() -> list[list[str]]:
        """The catalogue's sources in groups, one fetch task each (warehouse/fetchgroups.py: few tasks, and
        sources sharing a host in one task, so its per-host rate limit holds across parallel tasks)."""
        from warehouse import pipeline
        from warehouse.fetchgroups import group_sources

        owner = get_current_context()["params"].get("lock_owner") or None
        sources, warehouse, run_id = _run()
        return group_sources(sources, pipeline.discover(sources, warehouse, run_id, lock_owner=owner), _slots())

    # Network trouble is recorded per source and never raised; a retry covers what is left
    # (a full disk, a killed worker), with backoff so a struggling server is not hammered.
    @task(retries=2, retry_delay=timedelta(seconds=20), retry_exponential_backoff=True,
          execution_timeout=FETCH_TIMEOUT, pool=FETCH_POOL)
    def fetch(source_names: list[str]) -> list[str]:
        from warehouse import pipeline

        return pipeline.fetch_sources(*_run(), source_names)

    # Nothing to extract: plan skips extract itself, so load can start in the scheduler's next pass. Left to
    # the scheduler, the empty expansion is found in a pass that then has nothing to run, and dag.test
    # sleeps a second after such a pass.
    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def plan(manifests: list[list[str]]) -> list[list[dict]]:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.plan_extraction(warehouse, run_id, _flat(manifests), slots=_slots())

    @task(execution_timeout=EXTRACT_TIMEOUT)
    def extract(batch: list[dict]) -> str:
        from warehouse import pipeline
        from warehouse.taskproc import children_without_main

        _, warehouse, run_id = _run()
        with children_without_main():  # the extraction pool's processes must not re-run the `airflow` script
            return pipeline.extract_batch(warehouse, run_id, batch)

    # none_failed: when nothing changed there is no extract batch (plan skips the mapped task), and
    # the refresh still goes on to load the run's fetch log and publish. When neither a document nor a model
    # changed, load returns nothing: build is skipped (and validate after it) without starting their
    # processes, and publish (none_failed) publishes the unchanged marts.
    @task.short_circuit(ignore_downstream_trigger_rules=False, trigger_rule="none_failed", pool=BUILD_POOL,
                        queue=BUILD_QUEUE)
    def load(manifests: list[list[str]], extracted: list[str]) -> dict | None:
        from warehouse import pipeline

        sources, warehouse, run_id = _run()
        return pipeline.load_if_changed(sources, warehouse, run_id, _flat(manifests), _all(extracted))

    @task(execution_timeout=BUILD_TIMEOUT, pool=BUILD_POOL, queue=BUILD_QUEUE)
    def build(loaded: dict) -> dict:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.build(warehouse, run_id, loaded)

    @task(pool=BUILD_POOL, queue=BUILD_QUEUE)
    def validate(built: dict) -> dict:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.validate(warehouse, run_id, built)

    @task(trigger_rule="none_failed", pool=BUILD_POOL, queue=BUILD_QUEUE, outlets=[WAREHOUSE_ASSET])
    def publish() -> dict:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        return pipeline.publish(warehouse, run_id)

    # Runs only when a step failed: writes the run's final state beside the warehouse (the first cause,
    # in one line) and gives the lock back, then fails itself so that the run, whose only leaf this is,
    # ends failed.
    @task(trigger_rule="one_failed", queue=BUILD_QUEUE)
    def record_failure() -> None:
        from warehouse import pipeline

        _, warehouse, run_id = _run()
        info = pipeline.record_failure(warehouse, run_id)
        raise RuntimeError(info.get("message") or info.get("note") or "a step failed")

    manifests = fetch.expand(source_names=discover())
    extracted = extract.expand(batch=plan(manifests))
    loaded = load(manifests, extracted)
    validated = validate(build(loaded))
    # validate follows load directly too, so a load that short-circuits skips build and validate at once and
    # publish can run straight away (else the scheduler first resolves validate's skip in a pass of its own)
    loaded >> validated
    # after validate, without its value: a skipped validate leaves none, and pulling it logs an error
    published = publish()
    validated >> published
    published >> record_failure()


ogi_refresh()
