"""One refresh per warehouse at a time, however it was started (`ogi refresh`, a scheduler, a test).

The lock is a lease file beside the warehouse (`.refresh.lock`), written under a short `flock` on a guard
file so two starters never both win. It names its owner, the run it covers and when it lapses:

- `ogi refresh` takes it for its own process (owner `cli:<host>:<pid>`) before Airflow starts, and hands
  the owner to the DAG run, whose `discover` step then adopts it for the run;
- a run started by a scheduler takes it in `discover` (owner `run:<run id>`);
- every later step checks that the lease still names its run, so a run that lost the lease (it lapsed and
  another run took over) stops instead of deleting or replacing that run's files;
- `publish` and `record_failure` give a run's lease back; the CLI gives its own back when it ends.

A lease lapses when its process-bound owner (the CLI) is dead, when its run has ended (run.json says so),
or after `TTL_S` without a step renewing it (a run whose every process was killed): a crash never leaves
the warehouse locked for good. Steps renew it when they start, and no Airflow task may run longer than its
`execution_timeout` (dags/ogi_refresh.py), which stays below `TTL_S`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from warehouse.layout import Layout

TTL_S = 3 * 3600.0  # longer than any task's execution_timeout


class RefreshBusy(RuntimeError):
    """Another refresh holds the warehouse's lock."""


class LeaseLost(RuntimeError):
    """This run no longer holds the warehouse's lock: another run took it over; this one must stop."""


@dataclass(frozen=True)
class Lease:
    owner: str  # cli:<host>:<pid> | run:<run id>
    run_id: str | None
    pid: int
    host: str
    acquired_at: float
    expires_at: float

    def describe(self) -> str:
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.acquired_at))
        run = f"run {self.run_id}, " if self.run_id else ""
        return f"{run}pid {self.pid} on {self.host}, since {since}"


def cli_owner() -> str:
    return f"cli:{socket.gethostname()}:{os.getpid()}"


def _read(path: Path) -> Lease | None:
    try:
        return Lease(**json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # missing, or torn by a crash mid-write: nobody holds it


def _write(path: Path, lease: Lease) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(lease)), encoding="utf-8")
    tmp.replace(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_ended(layout: Layout, run_id: str | None) -> bool:
    if not run_id:
        return False
    try:
        info = json.loads((layout.run_dir(run_id) / "run.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("status") in {"published", "failed"}


def lapsed(layout: Layout, lease: Lease, now: float | None = None) -> bool:
    if (now or time.time()) > lease.expires_at:
        return True
    if lease.owner.startswith("cli:"):  # cli:<host>:<pid> — bound to that process
        _, host, pid = lease.owner.rsplit(":", 2)
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            return True
    return lease.owner.startswith("run:") and _run_ended(layout, lease.run_id)


@contextlib.contextmanager
def _guard(layout: Layout) -> Iterator[None]:
    """A short exclusive flock around every read-modify-write of the lease."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with open(layout.root / ".refresh.lock.guard", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def holder(layout: Layout) -> Lease | None:
    """The live lease, if any."""
    lease = _read(layout.lock)
    return lease if lease is not None and not lapsed(layout, lease) else None


def acquire(layout: Layout, owner: str, run_id: str | None = None) -> Lease:
    """Take (or, for the same owner, renew and adopt) the lease; RefreshBusy when another owner holds it."""
    with _guard(layout):
        current = _read(layout.lock)
        if current is not None and current.owner != owner and not lapsed(layout, current):
            raise RefreshBusy(f"another refresh is running on this warehouse ({current.describe()}; "
                              f"lock {layout.lock})")
        now = time.time()
        same = current is not None and current.owner == owner
        lease = Lease(owner=owner, run_id=run_id or (current.run_id if same and current else None),
                      pid=os.getpid() if not same or current is None else current.pid,
                      host=socket.gethostname(), acquired_at=current.acquired_at if same and current else now,
                      expires_at=now + TTL_S)
        _write(layout.lock, lease)
        return lease


def renew(layout: Layout, run_id: str) -> None:
    """Check that `run_id` still holds the lease and extend it; LeaseLost otherwise."""
    with _guard(layout):
        current = _read(layout.lock)
        if current is None or current.run_id != run_id:
            other = f" ({current.describe()})" if current else ""
            raise LeaseLost(f"run {run_id} no longer holds the warehouse's refresh lock{other}; stopping")
        _write(layout.lock, Lease(**(asdict(current) | {"expires_at": time.time() + TTL_S})))


def release(layout: Layout, *, owner: str | None = None, run_id: str | None = None) -> bool:
    """Give the lease back if it is `owner`'s (or names `run_id` and is run-owned). True when released."""
    with _guard(layout):
        current = _read(layout.lock)
        if current is None:
            return False
        mine = (owner is not None and current.owner == owner) or (
            run_id is not None and current.owner == f"run:{run_id}")
        if mine:
            layout.lock.unlink(missing_ok=True)
        return mine


@contextlib.contextmanager
def held(layout: Layout, owner: str | None = None) -> Iterator[str]:
    """Hold the lease for the duration of a block (the CLI's whole refresh); yields the owner."""
    owner = owner or cli_owner()
    acquire(layout, owner)
    try:
        yield owner
    finally:
        release(layout, owner=owner)
