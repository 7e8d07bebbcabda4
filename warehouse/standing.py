"""A standing Airflow deployment on this machine: `airflow scheduler`, `dag-processor` and `api-server`
as separate processes around one metadata database, the way production runs the DAG (not `dag.test`).

The tests and `benchmarks/scale.py` start one with `Stack(...).start()`; an operator's deployment sets the
same variables (see `Stack.env` and the README's "Running on an Airflow deployment").
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from warehouse.layout import REPO_ROOT

# Pools the DAG's tasks name: the warehouse build (load → dbt → validate → publish) writes one DuckDB file,
# so one slot; fetch tasks are polite to the sites they read, so few at once whatever the parallelism.
POOLS = {"ogi_build": (1, "load, dbt build, validate, publish: one writer of the warehouse file"),
         "ogi_fetch": (2, "fetch tasks running at once (politeness towards the sites read)")}

USER = "ogi"
# Ready when both APIs answer. The api-server builds its execution API (the one tasks call) on the first request
# it gets, ~3 s here: asking for its health first keeps that out of the first task after a start.
READY_PATHS = ("/api/v2/monitor/health", "/execution/health")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def airflow_bin() -> str:
    """`airflow` beside the running interpreter: the deployment's virtualenv, whatever PATH says."""
    return str(Path(sys.executable).with_name("airflow"))


@dataclass
class Stack:
    home: Path  # AIRFLOW_HOME: config, logs, the SQLite metadata database when no db_url is given
    parallelism: int = 2  # task processes at once: one per core, since extraction and dbt are CPU-bound
    # Airflow's LocalExecutor with the pipeline's modules imported before it forks its workers
    executor: str = "warehouse.local_executor.LocalExecutor"
    db_url: str | None = None
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    log_port: int = field(default_factory=free_port)  # the scheduler's log server (8793 by default)
    tag: str = field(default_factory=lambda: secrets.token_hex(8))  # marks every process of this stack
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    worker_logs: dict[str, Path] = field(default_factory=dict)  # Celery workers: name → log
    temp_dirs: list[Path] = field(default_factory=list)  # the workers' own temp dirs, removed by stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        home = self.home
        secret = self._secret()
        return {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": self.executor,
            "AIRFLOW__CORE__PARALLELISM": str(self.parallelism),
            "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(self.parallelism),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.db_url or f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.url}/execution/",
            # Every process signs and checks the task tokens with the same secret (else each makes its own
            # and tasks are refused by the API server).
            "AIRFLOW__API_AUTH__JWT_SECRET": secret,
            "AIRFLOW__API__SECRET_KEY": secret,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
            # A new file is parsed within seconds, and the scheduler looks for work often: the run's
            # wall-clock time is then the tasks' time, not the loops' sleeps.
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
            # A task's supervisor waits in select() up to this long between heartbeats; when the task's
            # sockets close just before its process exits, it notices the exit only at the end of that wait,
            # and the executor's worker takes no new task meanwhile. At the default 5 s this added ~5 s after
            # most tasks (25 s of a 150 s run at 1k documents, all of it on the serial chain).
            "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(self.log_port),
            "GX_ANALYTICS_ENABLED": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
            "OGI_STACK_TAG": self.tag,
            **self._executor_env(),
            **self.extra_env,
        }

    def _executor_env(self) -> dict[str, str]:
        """A Celery deployment's workers import the pipeline before forking their pools, as the LocalExecutor
        does before forking its workers (warehouse/preload.py)."""
        if "Celery" not in self.executor:
            return {}
        return {"AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "warehouse.celery_config.CELERY_CONFIG"}

    def _secret(self) -> str:
        path = self.home / ".jwt_secret"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
        return path.read_text().strip()

    def airflow(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([airflow_bin(), *args], env=self.env(), cwd=self.home, capture_output=True,
                              text=True, check=check)

    def prepare(self) -> None:
        """Migrate the metadata database, write the API user's password, create the pools."""
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "passwords.json").write_text(json.dumps({USER: self.password}))
        self.airflow("db", "migrate")
        for name, (slots, description) in POOLS.items():
            self.airflow("pools", "set", name, str(slots), description)

    def start(self, timeout: float = 180) -> Stack:
        self.prepare()
        logs = self.home / "process-logs"
        logs.mkdir(exist_ok=True)
        commands = {
            "api-server": ["api-server", "--host", "127.0.0.1", "--port", str(self.port)],
            "scheduler": ["scheduler"],
            "dag-processor": ["dag-processor"],
        }
        for name, args in commands.items():
            with open(logs / f"{name}.log", "ab") as log:
                self.processes[name] = subprocess.Popen(
                    [airflow_bin(), *args], env=self.env(), cwd=self.home, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)  # its own process group: stop() ends it and its children only
        self.wait_ready(timeout)
        return self

    def start_worker(self, name: str, home: Path, queues: list[str], *, concurrency: int = 1,
                     env: dict[str, str] | None = None) -> None:
        """A Celery worker (CeleryExecutor) serving `queues`, as a machine of its own would run it: its own
        AIRFLOW_HOME, HOME and working folder under `home` (its task logs land there), a temp dir, its own
        log-server port; the metadata database, broker and API server are the stack's. `wait_workers` waits
        until it consumes."""
        (home / "airflow").mkdir(parents=True, exist_ok=True)
        # Its own temp dir, but a short path beside the system's: multiprocessing's forkserver (the extraction
        # pool) puts a Unix socket there, and a socket path longer than 107 bytes cannot be bound
        temp = Path(tempfile.mkdtemp(prefix=f"ogi-{name}-"))
        self.temp_dirs.append(temp)
        worker_env = self.env() | {
            "AIRFLOW_HOME": str(home / "airflow"), "HOME": str(home), "TMPDIR": str(temp),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()), **(env or {})}
        with open(home / "worker.log", "ab") as out:
            self.processes[f"worker-{name}"] = subprocess.Popen(
                [airflow_bin(), "celery", "worker", "--queues", ",".join(queues), "--concurrency", str(concurrency),
                 "--celery-hostname", f"{name}@%h"],
                env=worker_env, cwd=home, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.worker_logs[name] = home / "worker.log"

    def wait_workers(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        for name, log in self.worker_logs.items():
            while b" ready." not in log.read_bytes():  # Celery's "<name>@<host> ready." once it consumes
                if self.processes[f"worker-{name}"].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Celery worker {name} did not start; see {log}")
                time.sleep(0.5)

    def stop_worker(self, name: str) -> None:
        """End one worker (warm shutdown: it finishes a running task first), as when its machine goes away."""
        proc = self.processes.pop(f"worker-{name}")
        self.worker_logs.pop(name, None)
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"airflow {name} exited {proc.returncode}; see {self.home / 'process-logs'}")
            try:
                if all(httpx.get(f"{self.url}{path}", timeout=max(2.0, deadline - time.monotonic())).status_code == 200
                       for path in READY_PATHS):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise TimeoutError(f"Airflow API server not up on {self.url} after {timeout:.0f} s")

    def stop(self) -> None:
        """SIGTERM each process group we started, then SIGKILL what is left after a grace period — including
        task processes, which the executor starts in sessions of their own (found by this stack's tag)."""
        for proc in self.processes.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        for pid in tagged_processes(self.tag):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.processes.clear()
        self.worker_logs.clear()
        for temp in self.temp_dirs:
            shutil.rmtree(temp, ignore_errors=True)
        self.temp_dirs.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def tagged_processes(tag: str) -> list[int]:
    """Processes whose environment carries OGI_STACK_TAG=tag: only ever ones this stack started."""
    marker = f"OGI_STACK_TAG={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
