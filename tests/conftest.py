"""Test-session settings: Airflow must never touch ~/airflow, and GX/dbt send no usage statistics."""

import atexit
import os
import shutil
import tempfile

_HOME = tempfile.mkdtemp(prefix="ogi-test-airflow-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)  # each test session's own, gone after it
os.environ.setdefault("AIRFLOW_HOME", _HOME)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


import pytest  # noqa: E402 — after the environment above, which must be set before anything imports Airflow


@pytest.fixture(scope="session")
def sample_refresh(tmp_path_factory):
    """The warehouse the in-process `ogi refresh` publishes from the sample corpus, once per session: what the
    standing-scheduler and Celery tests compare their marts with."""
    from pathlib import Path

    from warehouse.cli import main as ogi

    warehouse = tmp_path_factory.mktemp("in_process") / "ogi.duckdb"
    sources = Path(__file__).resolve().parents[1] / "samples" / "sources.yaml"
    saved = {k: os.environ.pop(k) for k in ("OGI_SOURCES", "OGI_WAREHOUSE", "OGI_STORAGE") if k in os.environ}
    try:
        assert ogi(["refresh", "--sources", str(sources), "--warehouse", str(warehouse)]) == 0
    finally:
        os.environ.update(saved)
    return warehouse
