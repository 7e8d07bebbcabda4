"""The DAG on a standing Airflow — `airflow scheduler` + `dag-processor` + `api-server`, LocalExecutor,
SQLite metadata, all on 127.0.0.1 and stopped afterwards — triggered and followed by
`ogi refresh --remote`, publishes the same marts as the in-process `ogi refresh` (issue 9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from marts_compare import assert_same_marts

from warehouse.cli import main as ogi
from warehouse.preload import TASK_MODULES
from warehouse.readonly import rows as query
from warehouse.standing import Stack

pytestmark = pytest.mark.slow

SOURCES = Path(__file__).resolve().parents[1] / "samples" / "sources.yaml"


def test_standing_local_executor_publishes_the_marts_of_ogi_refresh(tmp_path, monkeypatch, sample_refresh):
    standing = tmp_path / "standing" / "ogi.duckdb"
    # The workers get no OGI_* settings: the run's conf must carry them (resolved at run time).
    for name in ("OGI_SOURCES", "OGI_WAREHOUSE", "OGI_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    stack = Stack(home=tmp_path / "airflow", parallelism=2)
    try:
        stack.start()
        monkeypatch.setenv("OGI_AIRFLOW_USER", "ogi")
        monkeypatch.setenv("OGI_AIRFLOW_PASSWORD", stack.password)
        code = ogi(["refresh", "--remote", stack.url, "--sources", str(SOURCES), "--warehouse", str(standing)])
        assert code == 0, f"remote refresh failed; logs in {stack.home / 'process-logs'}"
    finally:
        stack.stop()
    assert stack.processes == {}
    # The api-server builds the execution API on its first request: start() asked for its health before
    # any task could, so no task waited for that
    access = re.findall(r"path=(/execution/\S*)", (stack.home / "process-logs" / "api-server.log").read_text())
    assert access[0] == "/execution/health" and len(access) > 10, access[:3]
    # The executor imported what the tasks use before forking its workers, and GX's import noise is gone
    scheduler_log = (stack.home / "process-logs" / "scheduler.log").read_text()
    assert f"ogi: preloaded {len(TASK_MODULES)} task modules" in scheduler_log
    assert "could not preload" not in scheduler_log
    validate_log = next(stack.home.glob("logs/dag_id=ogi_refresh/run_id=*/task_id=validate/attempt=1.log"))
    assert "expectations" in validate_log.read_text() and "Skipping registering" not in validate_log.read_text()
    assert_same_marts(sample_refresh, standing)
    assert query(standing, "SELECT count(*) FROM meta.runs WHERE status = 'published'") == [(1,)]
