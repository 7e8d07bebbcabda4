"""Atomic publish: readers see the old or the new warehouse, whole, never a mix or a missing file."""

import multiprocessing
import os
import time

import duckdb
import pytest

from warehouse.publish import swap_in


def _make(path, version: int, rows: int = 2000) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute(f"CREATE TABLE marts.t AS SELECT {version} AS version, range AS i FROM range({rows})")
    con.execute(f"CREATE TABLE marts.u AS SELECT {version} AS version")
    con.close()


def _reader(path: str, stop, seen, errors) -> None:
    while not stop.is_set():
        try:
            con = duckdb.connect(path, read_only=True)
            versions = con.execute("SELECT DISTINCT version FROM marts.t").fetchall()
            (u,) = con.execute("SELECT version FROM marts.u").fetchone()
            count = con.execute("SELECT count(*) FROM marts.t").fetchone()[0]
            con.close()
            if len(versions) != 1 or versions[0][0] != u or count != 2000:
                errors.append(f"inconsistent: {versions} {u} {count}")
            seen.append(u)
        except Exception as exc:  # any failure to read is a defect of the publish
            errors.append(repr(exc))


def test_swap_in_replaces_whole_file_and_leaves_no_wal(tmp_path):
    published, building = tmp_path / "w.duckdb", tmp_path / ".w.building"
    _make(published, 1)
    _make(building, 2)
    swap_in(building, published)
    assert not building.exists()
    assert not (tmp_path / "w.duckdb.wal").exists()
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("SELECT DISTINCT version FROM marts.t").fetchall() == [(2,)]
    con.close()


def test_swap_in_refuses_another_folder(tmp_path):
    (tmp_path / "a").mkdir()
    _make(tmp_path / "a" / "b.duckdb", 2)
    with pytest.raises(ValueError):
        swap_in(tmp_path / "a" / "b.duckdb", tmp_path / "w.duckdb")


def test_readers_in_other_processes_always_see_a_whole_warehouse(tmp_path):
    published = tmp_path / "w.duckdb"
    _make(published, 0)
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    stop, seen, errors = manager.Event(), manager.list(), manager.list()
    readers = [ctx.Process(target=_reader, args=(str(published), stop, seen, errors)) for _ in range(2)]
    for r in readers:
        r.start()
    for version in range(1, 16):
        building = tmp_path / f".w.{version}.building"
        _make(building, version)
        swap_in(building, published)
    deadline = time.monotonic() + 20
    while 15 not in list(seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for r in readers:
        r.join(30)
    assert list(errors) == []
    assert len(seen) > 10 and max(seen) == 15


def test_point_link_switches_atomically_and_replaces_an_old_folder(tmp_path):
    from warehouse.publish import point_link

    first, second = tmp_path / "runs" / "a" / "docs", tmp_path / "runs" / "b" / "docs"
    for folder, text in ((first, "a"), (second, "b")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text)
    link = tmp_path / "data_docs"
    link.mkdir()  # an older layout kept a real folder here
    point_link(link, first)
    assert (link / "index.html").read_text() == "a"
    point_link(link, second)
    assert (link / "index.html").read_text() == "b" and link.is_symlink()


def test_prune_runs_keeps_the_newest_and_the_protected(tmp_path):
    from warehouse.publish import prune_runs

    runs = tmp_path / "runs"
    for i in range(5):
        (runs / f"r{i}").mkdir(parents=True)
        os.utime(runs / f"r{i}", (1000 + i, 1000 + i))
    removed = prune_runs(runs, keep=2, protect={(runs / "r0").resolve()})
    assert sorted(p.name for p in removed) == ["r1", "r2"]
    assert sorted(p.name for p in runs.iterdir()) == ["r0", "r3", "r4"]
