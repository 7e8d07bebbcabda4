"""BI tools on the published warehouse, as the README tells them to connect: Superset's way (SQLAlchemy +
duckdb-engine, URI with access_mode=read_only) keeps querying while a refresh runs in another process, and
sees the new data exactly when the README says it does."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy
from sample_warehouse import REPO, copy_of_sample_warehouse

pytestmark = pytest.mark.slow

RUNS = "SELECT count(*) FROM meta.runs WHERE status = 'published'"
FIGURES = "SELECT count(*), sum(new_received) FROM marts.agency_year"


def superset_uri(warehouse: Path) -> str:
    """The URI the README gives for Superset (and any SQLAlchemy tool): read-only, absolute path."""
    return f"duckdb:///{warehouse.resolve()}?access_mode=read_only"


def _refresh_in_another_process(warehouse: Path, run_id: str) -> subprocess.Popen:
    script = ("import sys; from pathlib import Path; sys.path.insert(0, 'tests'); "
              "from sample_warehouse import refresh; "
              f"refresh(Path({str(warehouse)!r}), {run_id!r})")
    return subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_a_read_only_connection_keeps_querying_through_a_refresh(tmp_path_factory):
    warehouse = copy_of_sample_warehouse(tmp_path_factory)
    engine = sqlalchemy.create_engine(superset_uri(warehouse))
    reads: list[tuple] = []
    errors: list[str] = []
    stop = threading.Event()

    with engine.connect() as held:  # a dashboard's long-lived connection
        before = (held.execute(sqlalchemy.text(RUNS)).scalar(), held.execute(sqlalchemy.text(FIGURES)).one())

        def keep_querying() -> None:
            while not stop.is_set():
                try:
                    reads.append((held.execute(sqlalchemy.text(RUNS)).scalar(),
                                  tuple(held.execute(sqlalchemy.text(FIGURES)).one())))
                except Exception as exc:  # noqa: BLE001 — any failure of a reader is the finding
                    errors.append(repr(exc))
                time.sleep(0.02)

        reader = threading.Thread(target=keep_querying)
        reader.start()
        refresh = _refresh_in_another_process(warehouse, "manual__sample_2")
        try:
            output, _ = refresh.communicate(timeout=300)
        finally:
            stop.set()
            reader.join(30)
        assert refresh.returncode == 0, output[-3000:]
        assert errors == []
        assert len(reads) > 20
        # one consistent snapshot all along: the file it opened, whole, while the new one was renamed in
        assert set(reads) == {(before[0], tuple(before[1]))}

        # In this process a brand-new connection still shares the open database instance, so it too sees
        # the old refresh while any connection to the file is open ...
        with engine.connect() as fresh:
            assert fresh.execute(sqlalchemy.text(RUNS)).scalar() == before[0]
    # ... and sees the new one once every connection to the file in the process is closed.
    engine.dispose()
    with sqlalchemy.create_engine(superset_uri(warehouse)).connect() as after:
        assert after.execute(sqlalchemy.text(RUNS)).scalar() == before[0] + 1


def test_a_read_only_connection_cannot_write(tmp_path_factory):
    warehouse = copy_of_sample_warehouse(tmp_path_factory)
    engine = sqlalchemy.create_engine(superset_uri(warehouse))
    with engine.connect() as con, pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
        con.execute(sqlalchemy.text("CREATE TABLE marts.scratch (i INTEGER)"))
    engine.dispose()
