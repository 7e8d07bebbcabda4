"""One lock for every way a refresh starts, a final state for every failure, and `ogi status` right after
each fault (issue 10, finding 6). No Airflow or dbt here: the steps are called as the DAG calls them."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import hostile
import pytest

from warehouse import health, lock, pipeline, raw
from warehouse.cli import main as ogi
from warehouse.layout import Layout


def _catalogue(folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "a.txt").write_text(hostile.sample_text(), "utf-8")
    return hostile.catalogue(folder, [{"name": "a", "agency": "杭州市城市管理局", "paths": ["corpus/a.txt"]}])


def _published(path: Path, run_id: str = "old") -> None:
    """A minimal published warehouse (raw layer and one published run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    raw.create(con)
    con.execute("INSERT INTO meta.runs (run_id, started_at, finished_at, status) VALUES "
                "(?, now(), now(), 'published')", [run_id])
    con.close()


def test_a_second_run_cannot_take_the_lock_and_leaves_the_first_runs_build_alone(tmp_path):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    layout = Layout.at(warehouse)
    pipeline.discover(str(sources), str(warehouse), "cli_run")
    building = layout.building("cli_run")
    building.write_bytes(b"the first run's build")
    with pytest.raises(lock.RefreshBusy, match="run cli_run"):
        pipeline.discover(str(sources), str(warehouse), "scheduled_run")  # a scheduler's run
    assert building.exists()  # before: the second run deleted it and the first failed later
    assert pipeline.record_failure(str(warehouse), "scheduled_run")["message"].startswith("another refresh")
    with pytest.raises(lock.LeaseLost):  # a step of the run that lost: stops
        pipeline.plan_extraction(str(warehouse), "scheduled_run", [])
    pipeline.record_failure(str(warehouse), "cli_run", "test")
    assert lock.holder(layout) is None


def test_the_cli_lock_is_adopted_by_its_own_run_and_lapses_when_its_process_dies(tmp_path):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    layout = Layout.at(warehouse)
    with lock.held(layout) as owner:
        pipeline.discover(str(sources), str(warehouse), "run1", lock_owner=owner)
        assert lock.holder(layout).run_id == "run1"
        with pytest.raises(lock.RefreshBusy):
            lock.acquire(layout, "cli:elsewhere:1")
    assert lock.holder(layout) is None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock.acquire(layout, f"cli:{os.uname().nodename}:{int(dead.stdout)}")
    assert lock.holder(layout) is None  # its process is gone: the lock lapsed
    lock.acquire(layout, "run:next")


def test_a_leftover_build_is_removed_at_the_next_start(tmp_path):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    layout = Layout.at(warehouse)
    layout.root.mkdir(parents=True)
    leftover = layout.building("crashed")
    leftover.write_bytes(b"partial")
    Path(str(leftover) + ".wal").write_bytes(b"partial")
    pipeline.discover(str(sources), str(warehouse), "next")
    assert not leftover.exists() and not Path(str(leftover) + ".wal").exists()
    pipeline.record_failure(str(warehouse), "next", "test")


@pytest.mark.parametrize("damage", [b"garbage" * 5000, None])
def test_a_damaged_published_file_is_detected_at_start_with_a_hint(tmp_path, damage, capsys):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    _published(warehouse)
    data = warehouse.read_bytes()
    warehouse.write_bytes(damage if damage is not None else data[: len(data) // 3])
    with pytest.raises(health.DamagedWarehouse, match="--rebuild"):
        pipeline.discover(str(sources), str(warehouse), "r")
    state = pipeline.record_failure(str(warehouse), "r")
    assert state["status"] == "failed" and "damaged" in state["message"] and "\n" not in state["message"]
    assert ogi(["status", "--warehouse", str(warehouse)]) == 1  # never a crash half-way
    out = capsys.readouterr().out
    assert "damaged" in out and "--rebuild" in out
    assert ogi(["refresh", "--sources", str(sources), "--warehouse", str(warehouse)]) == 2  # before Airflow
    assert "--rebuild" in capsys.readouterr().err


def test_rebuild_keeps_the_damaged_file_aside(tmp_path):
    warehouse = tmp_path / "ogi.duckdb"
    warehouse.write_bytes(b"garbage")
    aside = health.set_aside(Layout.at(warehouse), "T")
    assert aside is not None and aside.read_bytes() == b"garbage" and not warehouse.exists()


def test_a_read_write_holder_is_named_at_start(tmp_path, capsys):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    _published(warehouse)
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); "
                               "print('open', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        started = time.monotonic()
        with pytest.raises(health.WarehouseLocked) as caught:
            pipeline.discover(str(sources), str(warehouse), "r")
        assert time.monotonic() - started < 5  # not after two minutes of retries
        message = str(caught.value)
        assert message.startswith("another process holds a write lock on the warehouse: pid "
                                  f"{holder.pid} python")
        assert pipeline.record_failure(str(warehouse), "r")["message"] == message
        assert ogi(["status", "--warehouse", str(warehouse)]) == 1
        assert f"pid {holder.pid}" in capsys.readouterr().out
    finally:
        holder.kill()
        holder.wait()


def test_a_full_disk_ends_the_run_failed_with_its_cause_and_status_says_so(tmp_path, monkeypatch, capsys):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    _published(warehouse)
    names = pipeline.discover(str(sources), str(warehouse), "full")
    manifests = [pipeline.fetch(str(sources), str(warehouse), "full", n) for n in names]

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(Layout.at(warehouse).building("full")))

    monkeypatch.setattr(pipeline.shutil, "copyfile", no_space)
    with pytest.raises(OSError):
        pipeline.load(str(sources), str(warehouse), "full", manifests, [])
    state = pipeline.record_failure(str(warehouse), "full")
    assert state["status"] == "failed"
    assert state["message"].startswith("disk full while loading the building database")
    assert ogi(["status", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "last run full: failed" in out and "disk full" in out and "last published run: old" in out


def test_a_failure_after_the_swap_leaves_the_state_published(tmp_path, monkeypatch, capsys):
    import warehouse.publish as publish_module

    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    _published(warehouse)
    names = pipeline.discover(str(sources), str(warehouse), "swapped")
    manifests = [pipeline.fetch(str(sources), str(warehouse), "swapped", n) for n in names]
    pipeline.load(str(sources), str(warehouse), "swapped", manifests, [])

    def broken_link(*_args, **_kwargs):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(publish_module, "point_link", broken_link)
    Layout.at(warehouse).run_data_docs("swapped").mkdir(parents=True)
    with pytest.raises(OSError):
        pipeline.publish(str(warehouse), "swapped")
    state = pipeline.record_failure(str(warehouse), "swapped")
    assert state["status"] == "published"
    ogi(["status", "--warehouse", str(warehouse)])
    out = capsys.readouterr().out
    assert "last run swapped: published" in out and "unchanged" not in out


def test_a_killed_run_is_reported_interrupted_not_running(tmp_path, capsys):
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    _published(warehouse)
    pipeline.discover(str(sources), str(warehouse), "killed")
    Layout.at(warehouse).lock.unlink()  # as if its lease lapsed: no process holds the warehouse
    ogi(["status", "--warehouse", str(warehouse)])
    assert "last run killed: interrupted" in capsys.readouterr().out


def test_status_on_a_missing_warehouse_exits_non_zero(tmp_path, capsys):
    assert ogi(["status", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "no warehouse" in capsys.readouterr().out


def test_the_dag_bounds_every_task_and_the_run():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags"))
    dag = bag.dags["ogi_refresh"]
    assert dag.dagrun_timeout is not None
    limits = {t.task_id: t.execution_timeout for t in dag.tasks}
    assert all(limits.values()), limits
    assert max(limits.values()).total_seconds() < lock.TTL_S  # a killed run's lock lapses on its own
    assert json.dumps(dag.params.dump().get("lock_owner")) == '""'


def test_a_dag_process_that_died_mid_run_leaves_a_failed_run_with_its_cause(tmp_path):
    """`ogi refresh` finds its run still `running` when the DAG's process died (killed, out of memory): it
    writes the end itself, naming the exit code, and the lock is given back. Checked in a fresh process, where
    nothing has imported the pipeline (orchestrate imports it only for this case)."""
    sources, warehouse = _catalogue(tmp_path), tmp_path / "wh" / "ogi.duckdb"
    _published(warehouse)
    started = time.time() - 1
    pipeline.discover(str(sources), str(warehouse), "died")  # the run starts, then its process is killed
    code = (
        "import sys\nfrom warehouse import orchestrate\nfrom warehouse.layout import Layout\n"
        "assert 'warehouse.pipeline' not in sys.modules\n"
        f"print(orchestrate._final_state(Layout.at({str(warehouse)!r}), {started!r}, -9).message)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "failed: the refresh process ended (exit code -9)"
    record = json.loads(next(Layout.at(warehouse).runs.glob("*/run.json")).read_text("utf-8"))
    assert record["status"] == "failed" and not Layout.at(warehouse).lock.exists()
