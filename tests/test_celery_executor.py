"""The DAG on CeleryExecutor with two workers that share no disk (issue 9): Redis broker, PostgreSQL 15
metadata, an S3-compatible store (moto) as OGI_STORAGE — every server on 127.0.0.1, started here and stopped
after. Each worker has its own AIRFLOW_HOME, HOME, temp dir, working folder and warehouse folder
(OGI_WAREHOUSE: the run's conf names no warehouse, so each worker resolves its own). One of them serves the
queue `ogi_build` (load → build → validate → publish); both serve `default` (discover, fetch, plan, extract).
The marts published to the store equal those of the in-process `ogi refresh` on the same corpus."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from marts_compare import assert_same_marts
from s3server import s3_environment
from servers import postgres, postgres_missing, redis, redis_server

from warehouse.preload import TASK_MODULES
from warehouse.readonly import rows as query
from warehouse.remote import Client, run_remote
from warehouse.standing import Stack
from warehouse.storage import Storage

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(redis_server() is None, reason="redis-server not found (Debian package redis-server; "
                                                      "`make system-deps` installs it as root)"),
    pytest.mark.skipif(postgres_missing() is not None, reason=postgres_missing() or ""),
]

SOURCES = Path(__file__).resolve().parents[1] / "samples" / "sources.yaml"
STORE = "s3://ogi/cluster"
BUILD_TASKS = {"load", "build", "validate", "publish"}


def _tasks_run_by(worker_home: Path, run_id: str, attempt: int = 1) -> set[str]:
    """The task ids whose logs a worker wrote into its own AIRFLOW_HOME: the tasks it ran (that attempt)."""
    runs = worker_home / "airflow" / "logs" / "dag_id=ogi_refresh" / f"run_id={run_id}"
    return {p.parent.parent.name.removeprefix("task_id=") for p in runs.glob(f"task_id=*/*/attempt={attempt}.log")
            } | {p.parent.name.removeprefix("task_id=") for p in runs.glob(f"task_id=*/attempt={attempt}.log")}


def _start_worker(stack: Stack, name: str, home: Path, build: bool) -> None:
    stack.start_worker(name, home, ["default", "ogi_build"] if build else ["default"],
                       env={"OGI_WAREHOUSE": str(home / "warehouse" / "ogi.duckdb")})


def test_two_celery_workers_without_a_shared_disk_publish_the_marts_of_ogi_refresh(
        tmp_path, monkeypatch, sample_refresh):
    for name in ("OGI_SOURCES", "OGI_WAREHOUSE", "OGI_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    workers = {"build": tmp_path / "worker-build", "other": tmp_path / "worker-other"}
    replacement = tmp_path / "worker-build-replaced"
    store = Storage.at(STORE)
    with ExitStack() as running:
        running.enter_context(s3_environment(tmp_path / "moto.log"))  # AWS_* for every process started below
        database = running.enter_context(postgres(tmp_path / "postgres.log"))
        broker = running.enter_context(redis(tmp_path / "redis.log"))
        stack = Stack(home=tmp_path / "airflow", parallelism=2, executor="CeleryExecutor", db_url=database,
                      extra_env={"AIRFLOW__CELERY__BROKER_URL": broker,
                                 # SQLAlchemy 2.1 wants the driver named; the provider's backend wants db+
                                 "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + database,
                                 "OGI_EXTRACT_WORKERS": "1"})
        running.callback(stack.stop)
        stack.start()
        for name, home in workers.items():
            _start_worker(stack, name, home, build=name == "build")
        stack.wait_workers()
        monkeypatch.setenv("OGI_AIRFLOW_USER", "ogi")
        monkeypatch.setenv("OGI_AIRFLOW_PASSWORD", stack.password)
        run = run_remote(stack.url, {"sources": str(SOURCES), "storage": STORE, "lock_owner": ""})
        assert run.succeeded, f"run {run.run_id} {run.state}: {run.failed_tasks}; logs under {tmp_path}"
        client = Client.from_env(stack.url)
        queues = {ti["task_id"]: ti["queue"] for ti in client.task_states(run.run_id)}
        published_uri = store.published_uri("ogi.duckdb")
        published = store.get_file(published_uri, tmp_path / "published" / "ogi.duckdb")
        record = store.uri("runs", run.run_id.replace(":", "-").replace("+", "_"), "run.json")
        assert store.read_json(record)["status"] == "published"

        # The build worker's machine is replaced (an empty disk), and `load` is cleared with its downstream
        # tasks: load and publish run on the new worker, find the run published and redo nothing (build and
        # validate are skipped), nothing is published twice, and the run ends success again.
        stack.stop_worker("build")
        _start_worker(stack, "replaced", replacement, build=True)
        stack.wait_workers()
        client.call("POST", "/dags/ogi_refresh/clearTaskInstances", json={
            "dag_run_id": run.run_id, "task_ids": ["load"], "include_downstream": True, "only_failed": False,
            "reset_dag_runs": True, "dry_run": False})
        rerun = client.follow(run.run_id)
        assert rerun.succeeded, f"re-run {rerun.state}: {rerun.failed_tasks}; logs under {replacement}"
        # the cleared load found the run published: build and validate were skipped, publish only finished
        rerun_states = {ti["task_id"]: ti["state"] for ti in client.task_states(run.run_id)}
        assert rerun_states["build"] == rerun_states["validate"] == "skipped", rerun_states
        assert store.published_uri("ogi.duckdb") == published_uri
        assert store.list(store.uri("published")) == [published_uri]
    assert stack.processes == {}

    assert_same_marts(sample_refresh, published)
    assert query(published, "SELECT count(*) FROM meta.runs WHERE status = 'published'") == [(1,)]
    ran = {name: _tasks_run_by(home, run.run_id) for name, home in workers.items()}
    assert ran["build"] >= BUILD_TASKS and not ran["other"] & BUILD_TASKS, ran  # the build stays on one worker
    assert ran["other"], ran  # … and the other one did part of the run (fetch, plan or extract)
    assert {queues[t] for t in BUILD_TASKS} == {"ogi_build"}
    assert _tasks_run_by(replacement, run.run_id, attempt=2) >= {"load", "publish"}
    # The other worker never held a building database; the build worker's is gone after the publish.
    for home in [*workers.values(), replacement]:
        assert not list((home / "warehouse").glob(".ogi.duckdb.*.building*"))
        # Each worker imported the pipeline before forking its pool (warehouse/celery_config.py)
        log = (home / "worker.log").read_text(errors="replace")
        assert f"ogi: preloaded {len(TASK_MODULES)} task modules" in log and "could not preload" not in log
