"""The refresh's hand-offs go through the store (issue 9): with OGI_STORAGE on S3 (a moto server on
127.0.0.1), a task whose worker has none of the earlier tasks' files — no run folder, no raw bytes — finds its
inputs in the store; an input in neither place fails the task instead of becoming an empty default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from s3server import s3_environment

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
        pipeline.load(SOURCES, warehouse, run_id, [], [s3_store.uri("runs", run_id, "extract", "gone.jsonl")])


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
