"""Runs the `ogi_refresh` DAG through Airflow (dag.test with a SQLite metadata database in the
warehouse's own AIRFLOW_HOME), showing our progress lines and keeping Airflow's log in a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from warehouse.layout import REPO_ROOT, Layout
from warehouse.progress import MARKER
from warehouse.publish import refresh_lock


def airflow_env(layout: Layout) -> dict[str, str]:
    home = layout.airflow_home
    return {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": "http://127.0.0.1:8080/execution/",
        "GX_ANALYTICS_ENABLED": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
    }


def _stream(cmd: list[str], env: dict[str, str], log_path: Path, echo: bool) -> int:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                cwd=REPO_ROOT)
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            if echo and MARKER in line:
                print(line[line.index(MARKER) + len(MARKER):].strip(), flush=True)
        return proc.wait()


def ensure_metadata_db(layout: Layout, env: dict[str, str]) -> None:
    stamp = layout.airflow_home / ".migrated"
    if stamp.exists():
        return
    layout.airflow_home.mkdir(parents=True, exist_ok=True)
    print(f"preparing Airflow metadata database in {layout.airflow_home} …", flush=True)
    code = _stream([str(Path(sys.executable).with_name("airflow")), "db", "migrate"], env,
                   layout.airflow_home / "migrate.log", echo=False)
    if code != 0:
        raise RuntimeError(f"airflow db migrate failed; see {layout.airflow_home / 'migrate.log'}")
    stamp.touch()


def run_refresh(sources: Path, layout: Layout) -> bool:
    """Run the DAG once; True when it published. Progress goes to stdout, Airflow's log to a file."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with refresh_lock(layout.lock):
        env = airflow_env(layout)
        ensure_metadata_db(layout, env)
        conf = json.dumps({"sources": str(sources.resolve()), "warehouse": str(layout.warehouse)})
        log_path = layout.root / "logs" / "refresh.log"
        code = _stream([sys.executable, "-m", "warehouse.dagrun", conf], env, log_path, echo=True)
        if code != 0:
            print(f"refresh failed; Airflow's log: {log_path}", file=sys.stderr)
        return code == 0
