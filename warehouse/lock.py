"""One refresh per warehouse at a time, however it was started (`ogi refresh`, a scheduler, a test).

The lock is a lease: on one machine a file beside the warehouse (`.refresh.lock`), written under a short
`flock` on a guard file; with a remote store (`OGI_STORAGE=s3://…`, the run's tasks on machines that share no
disk) the object `.refresh.lock` under the store's base, changed only by conditional PUTs (compare-and-swap
on its ETag, `_update_object`). Either way two starters never both win. It names its owner, the run it
covers and when it lapses:

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
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from warehouse import runrecord, runstore
from warehouse.layout import Layout
from warehouse.storage import Storage

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


def _parse(data: bytes | str) -> Lease | None:
    try:
        return Lease(**json.loads(data))
    except (ValueError, TypeError):
        return None  # torn by a crash mid-write, or the store's "released" marker ({}): nobody holds it


def _encode(lease: Lease | None) -> bytes:
    return json.dumps(asdict(lease) if lease else {}).encode("utf-8")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_ended(layout: Layout, run_id: str | None) -> bool:
    return bool(run_id) and runrecord.read(layout, run_id).get("status") in {"published", "failed"}


def lapsed(layout: Layout, lease: Lease, now: float | None = None) -> bool:
    if (now or time.time()) > lease.expires_at:
        return True
    if lease.owner.startswith("cli:"):  # cli:<host>:<pid> — bound to that process
        _, host, pid = lease.owner.rsplit(":", 2)
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            return True
    return lease.owner.startswith("run:") and _run_ended(layout, lease.run_id)


# --- where the lease lives ------------------------------------------------------------------------------
#
# Every change is a read-modify-write of one small record, done by `_update(layout, change)`: `change` gets the
# current lease (or None) and returns the new one (None: remove it; UNCHANGED: leave it) or raises.

UNCHANGED = object()
CONFLICT_RETRIES = 8


def _update(layout: Layout, change: Callable[[Lease | None], Any]) -> None:
    store = runstore.remote_store(layout)
    if store is None:
        _update_file(layout, change)
    else:
        _update_object(store, store.uri(layout.lock.name), change)


@contextlib.contextmanager
def _guard(layout: Layout) -> Iterator[None]:
    """A short exclusive flock around every read-modify-write of the local lease file."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with open(layout.root / ".refresh.lock.guard", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _update_file(layout: Layout, change: Callable[[Lease | None], Any]) -> None:
    """One machine: the lease file beside the warehouse, under the flock of a guard file."""
    with _guard(layout):
        try:
            current = _parse(layout.lock.read_bytes())
        except OSError:
            current = None
        new = change(current)
        if new is UNCHANGED:
            return
        if new is None:
            layout.lock.unlink(missing_ok=True)
            return
        tmp = layout.lock.with_name(layout.lock.name + ".tmp")
        tmp.write_bytes(_encode(new))
        tmp.replace(layout.lock)


def _update_object(store: Storage, uri: str, change: Callable[[Lease | None], Any]) -> None:
    """A remote store (the run's tasks share no disk): the lease is an object, changed by compare-and-swap —
    a PUT with `If-Match: <the ETag read>` (or `If-None-Match: *` when there is none), which S3 (since 2024)
    and S3-compatible servers with conditional writes refuse when another writer changed it in between; then
    read again and decide again. A removed lease is written as `{}` (conditionally too), never deleted, so that
    no unconditional write is ever needed."""
    fs = store.fs
    for _ in range(CONFLICT_RETRIES):
        try:
            etag = fs.info(uri)["ETag"]
            current = _parse(fs.cat_file(uri))  # newer than `etag` at worst: then the PUT below is refused
        except FileNotFoundError:
            etag, current = None, None
        new = change(current)
        if new is UNCHANGED or (new is None and current is None):
            return
        condition = {"IfMatch": etag} if etag else {"mode": "create"}
        try:
            fs.pipe_file(uri, _encode(new), **condition)
            return
        except OSError as exc:  # PreconditionFailed / ConditionalRequestConflict: someone else wrote first
            if not _conflict(exc):
                raise
        time.sleep(0.05)
    raise RefreshBusy(f"the warehouse's lock ({uri}) kept changing under this process; try again")


def _conflict(exc: OSError) -> bool:
    text = f"{exc} {exc.__cause__ or ''}"
    return any(word in text for word in ("PreconditionFailed", "Precondition", "ConditionalRequestConflict", "409"))


def _current(layout: Layout) -> Lease | None:
    seen: list[Lease | None] = []
    _update(layout, lambda current: seen.append(current) or UNCHANGED)
    return seen[0]


# --- the lease's life -------------------------------------------------------------------------------------

def holder(layout: Layout) -> Lease | None:
    """The live lease, if any."""
    lease = _current(layout)
    return lease if lease is not None and not lapsed(layout, lease) else None


def acquire(layout: Layout, owner: str, run_id: str | None = None) -> Lease:
    """Take (or, for the same owner, renew and adopt) the lease; RefreshBusy when another owner holds it."""
    taken: list[Lease] = []

    def take(current: Lease | None) -> Lease:
        if current is not None and current.owner != owner and not lapsed(layout, current):
            raise RefreshBusy(f"another refresh is running on this warehouse ({current.describe()}; "
                              f"lock {_where(layout)})")
        now = time.time()
        same = current is not None and current.owner == owner
        lease = Lease(owner=owner, run_id=run_id or (current.run_id if same and current else None),
                      pid=os.getpid() if not same or current is None else current.pid,
                      host=socket.gethostname(), acquired_at=current.acquired_at if same and current else now,
                      expires_at=now + TTL_S)
        taken[:] = [lease]
        return lease

    _update(layout, take)
    return taken[0]


def renew(layout: Layout, run_id: str) -> None:
    """Check that `run_id` still holds the lease and extend it; LeaseLost otherwise."""
    def extend(current: Lease | None) -> Lease:
        if current is None or current.run_id != run_id:
            other = f" ({current.describe()})" if current else ""
            raise LeaseLost(f"run {run_id} no longer holds the warehouse's refresh lock{other}; stopping")
        return Lease(**(asdict(current) | {"expires_at": time.time() + TTL_S}))

    _update(layout, extend)


def release(layout: Layout, *, owner: str | None = None, run_id: str | None = None) -> bool:
    """Give the lease back if it is `owner`'s (or names `run_id` and is run-owned). True when released."""
    released: list[bool] = []

    def give_back(current: Lease | None) -> Any:
        mine = current is not None and ((owner is not None and current.owner == owner) or (
            run_id is not None and current.owner == f"run:{run_id}"))
        released[:] = [mine]
        return None if mine else UNCHANGED

    _update(layout, give_back)
    return released[0]


def _where(layout: Layout) -> str:
    store = runstore.remote_store(layout)
    return store.uri(layout.lock.name) if store else str(layout.lock)


@contextlib.contextmanager
def held(layout: Layout, owner: str | None = None) -> Iterator[str]:
    """Hold the lease for the duration of a block (the CLI's whole refresh); yields the owner."""
    owner = owner or cli_owner()
    acquire(layout, owner)
    try:
        yield owner
    finally:
        release(layout, owner=owner)
