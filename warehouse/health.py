"""Is the published warehouse usable, and what went wrong, in one line.

Checked at the start of every refresh (and by `ogi status`): a damaged published file (truncated, garbage)
or another process holding it open read-write (a BI tool's default connection) stops the refresh at once
with one line that says what to do, instead of failing minutes later deep inside a step.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.layout import Layout
from warehouse.lock import LeaseLost, RefreshBusy

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+)(?: \(PID (?P<pid>\d+)\))?")


class WarehouseUnavailable(RuntimeError):
    """The published warehouse cannot be read; the message is one line with the remedy."""


class DamagedWarehouse(WarehouseUnavailable):
    pass


class WarehouseLocked(WarehouseUnavailable):
    pass


@dataclass(frozen=True)
class Holder:
    pid: int | None
    program: str


def lock_holder(message: str) -> Holder | None:
    """The process named by DuckDB's lock error ("Conflicting lock is held in /usr/bin/x (PID 1234)")."""
    match = _LOCK_HOLDER.search(message)
    if not match:
        return None
    pid = int(match["pid"]) if match["pid"] else None
    program = Path(match["program"]).name
    if pid is not None:
        try:
            program = Path(f"/proc/{pid}/comm").read_text().strip() or program
        except OSError:
            pass
    return Holder(pid, program)


def locked_message(message: str) -> str | None:
    holder = lock_holder(message)
    if holder is None:
        return None
    pid = f"pid {holder.pid} " if holder.pid is not None else ""
    return (f"another process holds a write lock on the warehouse: {pid}{holder.program} "
            f"(close it, or connect read-only: see README)")


def check_published(layout: Layout) -> None:
    """Raise WarehouseLocked / DamagedWarehouse when the published file exists but cannot be read."""
    path = layout.warehouse
    if not path.exists():
        return
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if (locked := locked_message(str(exc))) is not None:
            raise WarehouseLocked(locked) from None
        raise DamagedWarehouse(
            f"the published warehouse {path} is damaged ({first}); `ogi refresh --rebuild` builds a fresh one "
            f"from the sources and the raw store, keeping this file aside") from None


def set_aside(layout: Layout, stamp: str) -> Path | None:
    """Move a damaged published file out of the way (kept for inspection); returns where it went."""
    path = layout.warehouse
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.replace(aside)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.replace(aside.with_name(aside.name + ".wal"))
    return aside


_VERBS = {"discover": "starting the run", "fetch": "fetching", "plan": "planning extraction",
          "extract": "extracting", "load": "loading the building database", "build": "building the marts (dbt)",
          "validate": "validating", "publish": "publishing"}


def one_line(step: str, exc: BaseException, where: Path | None = None) -> str:
    """The first cause of a failed step, in one line a user can act on."""
    text = str(exc)
    first = text.splitlines()[0].strip() if text.strip() else type(exc).__name__
    verb = _VERBS.get(step, step)
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left on device" in text:
        target = getattr(exc, "filename", None) or where
        return f"disk full while {verb}" + (f" ({target})" if target else "")
    if (locked := locked_message(text)) is not None:
        return locked
    if isinstance(exc, WarehouseUnavailable | RefreshBusy | LeaseLost):  # already say what and why
        return first
    name = type(exc).__name__
    return f"{verb} failed: {first if name in first else f'{name}: {first}'}"[:500]
