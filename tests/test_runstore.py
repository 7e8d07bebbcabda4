"""The refresh's hand-offs go through the store (issue 9): with OGI_STORAGE on S3 (a moto server on
127.0.0.1), a task whose worker has none of the earlier tasks' files — no run folder, no raw bytes — finds its
inputs in the store; an input in neither place fails the task instead of becoming an empty default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from s3server import s3_environment
from sample_warehouse import SAMPLE_DOCUMENTS

from warehouse import pipeline
from warehouse.layout import Layout
from warehouse.storage import MissingInput, Storage

SOURCES = str(Path(__file__).resolve().parents[1] / "samples" / "sources.yaml")


@pytest.fixture
def s3_store(tmp_path, monkeypatch):
    with s3_environment(tmp_path / "moto.log"):
        monkeypatch.setenv("OGI_STORAGE", "s3://ogi/cluster")
        yield Storage.at("s3://ogi/cluster")


def _fresh_worker(layout: Layout) -> None:
    """What another machine has of this run: nothing but the lock beside the warehouse."""
    shutil.rmtree(layout.runs, ignore_errors=True)
    shutil.rmtree(layout.store, ignore_errors=True)


def test_each_step_finds_its_inputs_in_the_store_on_a_fresh_worker(tmp_path, s3_store):
    warehouse, run_id = str(tmp_path / "wh" / "ogi.duckdb"), "manual__s3"
    layout = Layout.at(warehouse)
    names = pipeline.discover(SOURCES, warehouse, run_id)
    manifests = [pipeline.fetch(SOURCES, warehouse, run_id, name) for name in names[:3]]
    assert all(uri.startswith("s3://ogi/cluster/runs/") for uri in manifests)
    _fresh_worker(layout)
    batches = pipeline.plan_extraction(warehouse, run_id, manifests)
    assert sum(len(b) for b in batches) >= 3
    _fresh_worker(layout)
    extracted = [pipeline.extract_batch(warehouse, run_id, batch) for batch in batches]
    assert all(uri.startswith("s3://ogi/cluster/runs/") for uri in extracted)
    _fresh_worker(layout)
    loaded = pipeline.load(SOURCES, warehouse, run_id, manifests, extracted)
    assert loaded["documents_extracted"] == sum(len(b) for b in batches) and loaded["quarantined"] == 0
    assert s3_store.list(s3_store.uri("store"))  # the raw bytes are in the store, content-addressed


def test_a_missing_hand_off_fails_the_task(tmp_path, s3_store):
    warehouse, run_id = str(tmp_path / "wh" / "ogi.duckdb"), "manual__missing"
    pipeline.discover(SOURCES, warehouse, run_id)
    with pytest.raises(MissingInput, match="missing input: s3://ogi/cluster/runs/.*/fetch/gone.json"):
        pipeline.plan_extraction(warehouse, run_id, [s3_store.uri("runs", run_id, "fetch", "gone.json")])
    with pytest.raises(MissingInput):
        pipeline.load(SOURCES, warehouse, run_id, [], [s3_store.uri("runs", run_id, "extract", "gone.parquet")])


def _warehouse(path: Path, value: int) -> Path:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute(f"CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT {value} AS x")
    con.close()
    return path


def test_a_fresh_build_worker_starts_from_the_published_warehouse_not_an_empty_one(tmp_path, s3_store):
    from warehouse import runstore
    from warehouse.readonly import rows

    builder, fresh = Layout.at(tmp_path / "a" / "ogi.duckdb"), Layout.at(tmp_path / "b" / "ogi.duckdb")
    assert runstore.fetch_published(fresh) is False  # nothing published yet: an empty start is right
    _warehouse(builder.warehouse, 1)
    first = runstore.publish_to_store(builder, "run:1")
    assert runstore.fetch_published(fresh) and rows(fresh.warehouse, "SELECT x FROM marts.t") == [(1,)]
    _warehouse(builder.warehouse, 2)
    second = runstore.publish_to_store(builder, "run:2")
    assert second != first and s3_store.published_uri("ogi.duckdb") == second
    assert runstore.fetch_published(fresh) and rows(fresh.warehouse, "SELECT x FROM marts.t") == [(2,)]


def test_the_lock_and_the_run_record_live_in_the_store_for_workers_without_a_shared_disk(tmp_path, s3_store):
    from warehouse import lock, runrecord

    a, b = str(tmp_path / "a" / "ogi.duckdb"), str(tmp_path / "b" / "ogi.duckdb")  # two machines' folders
    pipeline.discover(SOURCES, a, "run1")  # takes the lock on worker a
    assert s3_store.exists(s3_store.uri(".refresh.lock")) and not Layout.at(a).lock.exists()
    lock.renew(Layout.at(b), "run1")  # a step of the same run on worker b holds it too
    with pytest.raises(lock.RefreshBusy, match="run run1"):
        pipeline.discover(SOURCES, b, "run2")  # another run, on the other worker: refused
    assert runrecord.read(Layout.at(a), "run2")["status"] == "running"
    with pytest.raises(lock.LeaseLost):
        pipeline.plan_extraction(b, "run2", [])
    assert pipeline.first_error(Layout.at(a), "run2").startswith("another refresh")  # noted on b, read on a
    assert pipeline.record_failure(b, "run2")["status"] == "failed"
    assert lock.holder(Layout.at(b)).run_id == "run1"  # the loser's failure left the winner's lock alone
    assert pipeline.record_failure(b, "run1", "test")["status"] == "failed"
    assert lock.holder(Layout.at(a)) is None and runrecord.read(Layout.at(a), "run1")["message"] == "test"
    pipeline.discover(SOURCES, a, "run3")  # the released lease (`{}` in the store) is free again


def test_a_taker_of_the_stores_lock_that_loses_the_race_reads_again_and_is_refused(tmp_path, s3_store,
                                                                                  monkeypatch):
    """Two runs find the same lapsed lease and both decide to take it: the one whose conditional PUT comes second
    is refused by the store (its If-Match names a lease that is gone), reads again and sees the winner's.
    (Interleaved by hand: moto checks a condition and writes in two steps, so truly parallel PUTs test moto.)"""
    from warehouse import lock

    first, second = Layout.at(tmp_path / "w1" / "ogi.duckdb"), Layout.at(tmp_path / "w2" / "ogi.duckdb")
    lock.acquire(first, "run:old", "old")
    stale = s3_store.read_json(s3_store.uri(".refresh.lock")) | {"expires_at": 0}
    s3_store.write_json(s3_store.uri(".refresh.lock"), stale)  # the old run's lease lapsed
    original, raced = lock.lapsed, []

    def lapsed_while_another_takes_it(layout, lease, now=None):
        if not raced:  # the first taker has read the lapsed lease: the second takes it before it writes
            raced.append(True)
            lock.acquire(second, "run:second", "second")
        return original(layout, lease, now)

    monkeypatch.setattr(lock, "lapsed", lapsed_while_another_takes_it)
    with pytest.raises(lock.RefreshBusy, match="run second"):
        lock.acquire(first, "run:first", "first")
    assert raced and lock.holder(first).run_id == "second"


def _building(layout: Layout, run_id: str) -> None:
    """What `load` → `validate` leave for `publish`: the run's building database with its meta.runs row."""
    import duckdb

    from warehouse import raw

    con = duckdb.connect(str(layout.building(run_id)))
    raw.create(con)
    con.execute("INSERT INTO meta.runs (run_id, started_at, status) VALUES (?, now(), 'building')", [run_id])
    con.close()


def test_a_publish_cleared_or_retried_after_the_swap_publishes_once_on_any_worker(tmp_path, s3_store):
    from warehouse import runrecord, runstore
    from warehouse.publish import swap_in

    a, b = tmp_path / "a" / "ogi.duckdb", tmp_path / "b" / "ogi.duckdb"
    objects = lambda: s3_store.list(s3_store.uri("published"))  # noqa: E731
    pipeline.discover(SOURCES, str(a), "r1")
    _building(Layout.at(a), "r1")
    assert pipeline.publish(str(a), "r1")["status"] == "published" and len(objects()) == 1
    assert pipeline.publish(str(a), "r1")["status"] == "published"  # cleared: nothing redone
    assert pipeline.validate(str(b), "r1") == {"skipped": True}  # on a replaced worker with an empty disk
    assert pipeline.publish(str(b), "r1")["status"] == "published" and len(objects()) == 1

    pipeline.discover(SOURCES, str(b), "r2")
    with pytest.raises(MissingInput, match="building database"):  # not a database made up from nothing
        pipeline.publish(str(b), "r2")
    pipeline.record_failure(str(b), "r2")

    pipeline.discover(SOURCES, str(a), "r3")  # the task dies after the swap, before the record says so
    _building(Layout.at(a), "r3")
    import duckdb

    con = duckdb.connect(str(Layout.at(a).building("r3")))
    con.execute("UPDATE meta.runs SET status = 'published' WHERE run_id = 'r3'")
    con.close()
    swap_in(Layout.at(a).building("r3"), Layout.at(a).warehouse)
    assert runrecord.read(Layout.at(a), "r3")["status"] == "running"
    assert pipeline.publish(str(a), "r3")["status"] == "published"  # its retry uploads, then finishes
    assert len(objects()) == 2 and runstore.published_version(Layout.at(b)) == "r3"
    assert pipeline.publish(str(a), "r3")["status"] == "published" and len(objects()) == 2


@pytest.fixture
def sample_file(tmp_path_factory) -> Path:
    """The sample corpus's published warehouse, built (with the default store) before the S3 store is set."""
    from sample_warehouse import sample_warehouse

    return sample_warehouse(tmp_path_factory)


def test_status_on_another_machine_reads_the_last_run_and_the_publish_from_the_store(tmp_path, sample_file,
                                                                                    s3_store, monkeypatch, capsys):
    from warehouse import runrecord, runstore
    from warehouse.readonly import rows
    from warehouse.status import print_status

    monkeypatch.setenv("OGI_CACHE", str(tmp_path / "cache"))  # no httpfs here: the publish is downloaded once
    builder, elsewhere = Layout.at(tmp_path / "a" / "ogi.duckdb"), Layout.at(tmp_path / "b" / "ogi.duckdb")
    builder.root.mkdir(parents=True)
    shutil.copyfile(sample_file, builder.warehouse)
    (published_run,) = rows(builder.warehouse, "SELECT run_id FROM meta.runs WHERE status = 'published'")[0]
    runstore.publish_to_store(builder, published_run)
    runrecord.write(builder, published_run, {"run_id": published_run, "status": "published",
                                             "started_at": "2026-01-04T00:00:00"})
    runrecord.write(builder, "later_failed_run", {"run_id": "later_failed_run", "status": "failed",
                                                  "started_at": "2026-01-11T00:00:00", "message": "disk full"})
    shutil.rmtree(builder.runs)  # the record of each run is in the store, not on the machine asking

    assert print_status(elsewhere) == 0
    out = capsys.readouterr().out
    assert "last run later_failed_run: failed" in out and "disk full" in out
    assert "warehouse: s3://ogi/cluster/published/" in out and f"last published run: {published_run}" in out
    assert f"documents: {SAMPLE_DOCUMENTS}" in out
