"""Runs the `ogi_refresh` DAG through Airflow (dag.test with a SQLite metadata database in the
warehouse's own AIRFLOW_HOME), showing our progress lines and keeping Airflow's log in a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from warehouse import health, lock
from warehouse.layout import REPO_ROOT, Layout
from warehouse.progress import MARKER


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


@dataclass(frozen=True)
class Outcome:
    published: bool
    message: str  # the run's final state in one line ("published", or "failed: <first cause>")
    set_aside: Path | None = None  # where --rebuild put the previous warehouse file


def _runs_since(layout: Layout, started: float) -> list[Path]:
    return sorted((p for p in layout.runs.glob("*/run.json") if p.stat().st_mtime >= started),
                  key=lambda p: p.stat().st_mtime)


def _final_state(layout: Layout, started: float, code: int) -> Outcome:
    """The state of the run this command started, made final when the DAG process died mid-run."""
    runs = _runs_since(layout, started)
    if not runs:
        return Outcome(False, f"failed: the DAG run did not start (exit code {code}); Airflow's log: "
                              f"{layout.root / 'logs' / 'refresh.log'}")
    info = json.loads(runs[-1].read_text("utf-8"))
    if info.get("status") == "running":  # the process running the DAG died: nobody wrote the end
        from warehouse import pipeline  # only then: its imports cost ~0.4 s after every refresh

        cause = pipeline.first_error(layout, info["run_id"]) or f"the refresh process ended (exit code {code})"
        info = pipeline.record_failure(str(layout.warehouse), info["run_id"], cause)
    if info.get("status") == "published":
        return Outcome(True, "published" + (f" ({info['note']})" if info.get("note") else ""))
    return Outcome(False, f"failed: {info.get('message', 'unknown cause')}")


def run_refresh(sources: Path, layout: Layout, *, rebuild: bool = False) -> Outcome:
    """Run the DAG once under the warehouse's refresh lock. Progress goes to stdout, Airflow's log to a
    file. Raises lock.RefreshBusy or health.WarehouseUnavailable (one line each) before Airflow starts."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with lock.held(layout) as owner:
        aside = None
        if rebuild:
            aside = health.set_aside(layout, time.strftime("%Y%m%dT%H%M%S"))
            if aside:
                print(f"rebuild: the previous warehouse file is kept as {aside}", flush=True)
        health.check_published(layout)  # the DAG's discover checks again; this fails before Airflow starts
        env = airflow_env(layout)
        ensure_metadata_db(layout, env)
        conf = json.dumps({"sources": str(sources.resolve()), "warehouse": str(layout.warehouse),
                           "lock_owner": owner})
        log_path = layout.root / "logs" / "refresh.log"
        started = time.time() - 1
        code = _stream([sys.executable, "-m", "warehouse.dagrun", conf], env, log_path, echo=True)
        outcome = _final_state(layout, started, code)
        if not outcome.published:
            print(f"refresh {outcome.message}; Airflow's log: {log_path}", file=sys.stderr)
        return Outcome(outcome.published, outcome.message, aside)
