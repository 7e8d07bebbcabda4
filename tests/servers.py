"""Throwaway servers for the Celery test, each on 127.0.0.1 with a free port, started by the test and stopped
after it (also when it fails): PostgreSQL 15 (Airflow's metadata database) and Redis (the Celery broker)."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.standing import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def redis_server() -> str | None:
    return shutil.which("redis-server")


def postgres_missing() -> str | None:
    """Why PostgreSQL 15 cannot be started here, or None."""
    if not (POSTGRES_BIN / "initdb").exists():
        return f"PostgreSQL 15 is not installed ({POSTGRES_BIN}/initdb missing)"
    return None


def _postgres_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` system user (else `nobody`)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


@contextmanager
def postgres(log: Path) -> Iterator[str]:
    """Yield a SQLAlchemy URL (psycopg2) of an empty database `airflow` on a fresh PostgreSQL 15 cluster.

    The cluster lives in a folder of its own under the system temp dir (a root test's tmp_path is closed to the
    `postgres` user) and is removed with it; trust authentication, listening on 127.0.0.1 only."""
    user = _postgres_user()
    folder = Path(tempfile.mkdtemp(prefix="ogi-pg-"))
    data, port = folder / "data", free_port()
    if user:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    run_as = {"user": user} if user else {}

    def pg(*args: str) -> None:
        with open(log, "ab") as out:
            subprocess.run([str(POSTGRES_BIN / args[0]), *args[1:]], check=True, stdout=out, stderr=subprocess.STDOUT,
                           cwd=folder, **run_as)

    try:
        pg("initdb", "-D", str(data), "-U", "airflow", "--auth=trust", "-E", "UTF8", "--no-sync")
        pg("pg_ctl", "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start",
           "-o", f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=200")
        try:
            pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "airflow", "airflow")
            yield f"postgresql+psycopg2://airflow@127.0.0.1:{port}/airflow"
        finally:
            pg("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        server_log = folder / "server.log"
        if server_log.exists():
            with open(log, "ab") as out:
                out.write(server_log.read_bytes())
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis(log: Path) -> Iterator[str]:
    """Yield the URL of a fresh Redis (in memory only: nothing saved) on 127.0.0.1."""
    server = redis_server()
    if server is None:
        raise RuntimeError("redis-server not found")
    port = free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                 "--appendonly", "no", "--protected-mode", "yes"],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {log}")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_group(proc)


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a server started in its own process group: TERM, then KILL after 10 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
