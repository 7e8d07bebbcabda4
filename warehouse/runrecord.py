"""A run's record — `run.json` (its state) and `first_error.json` (its first cause, one line) — where every
task of the run can read and write it, whichever worker it runs on.

With the default store (the warehouse's own folder) these are files in the run's folder, as `ogi status`
reads them. With a remote store (`OGI_STORAGE=s3://…`) the tasks of one run run on machines that share no
disk, so the store holds the record (`runs/<run>/run.json`, the same key as the local file under the base)
and is what every task reads; `run.json` is also written to the local run folder, so `ogi status` and
`ogi refresh` on the machine that ran a step still find it.

The first error is created exclusively (a local `open(…, "x")`, an S3 PUT with `If-None-Match: *`): two
tasks failing at once cannot both be the first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fetching.store import atomic_write
from warehouse.clock import utc_now
from warehouse.layout import Layout
from warehouse.runstore import remote_store
from warehouse.storage import MissingInput

RUN = "run.json"
FIRST_ERROR = "first_error.json"


def _path(layout: Layout, run_id: str, name: str) -> Path:
    return layout.run_dir(run_id) / name


def _uri(layout: Layout, run_id: str, name: str) -> str | None:
    """The record's URI in a remote store; None when the store is the warehouse's own folder."""
    storage = remote_store(layout)
    return storage.uri("runs", layout.run_dir(run_id).name, name) if storage else None


def _write_local(path: Path, value: Any) -> None:
    atomic_write(path, json.dumps(value, ensure_ascii=False, default=str, indent=1).encode("utf-8"))


def write(layout: Layout, run_id: str, info: dict[str, Any]) -> None:
    """The run's state, written whole (the store's object first: it is what other workers read)."""
    uri = _uri(layout, run_id, RUN)
    if uri:
        remote_store(layout).write_json(uri, info)  # type: ignore[union-attr]
    _write_local(_path(layout, run_id, RUN), info)


def read(layout: Layout, run_id: str) -> dict[str, Any]:
    """The run's state; {} when none was written (yet)."""
    uri = _uri(layout, run_id, RUN)
    if uri:
        try:
            return remote_store(layout).read_json(uri)  # type: ignore[union-attr]
        except MissingInput:
            return {}
    return _read_local(_path(layout, run_id, RUN))


def _read_local(path: Path) -> dict[str, Any]:
    """A record written on this machine; {} when there is none, or it is torn (a crashed run's)."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def note_failure(layout: Layout, run_id: str, task: str, message: str) -> None:
    """Keep the first failure of the run (created exclusively: parallel tasks cannot both be first)."""
    record = {"task": task, "message": message, "at": utc_now()}
    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    uri = _uri(layout, run_id, FIRST_ERROR)
    try:
        if uri:
            storage = remote_store(layout)
            assert storage is not None
            if not storage.exists(uri):
                storage.fs.pipe_file(uri, data, mode="create")  # refused if another task got there first
            return
        path = _path(layout, run_id, FIRST_ERROR)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        pass
    except OSError:  # a full disk, a refused create: the message still reaches the task log
        pass


def _first(layout: Layout, run_id: str) -> dict[str, Any] | None:
    uri = _uri(layout, run_id, FIRST_ERROR)
    try:
        if uri:
            return remote_store(layout).read_json(uri)  # type: ignore[union-attr]
        return json.loads(_path(layout, run_id, FIRST_ERROR).read_text("utf-8"))
    except (OSError, ValueError):  # MissingInput is a FileNotFoundError
        return None


def _drop_first(layout: Layout, run_id: str) -> None:
    uri = _uri(layout, run_id, FIRST_ERROR)
    if uri:
        remote_store(layout).delete(uri)  # type: ignore[union-attr]
    _path(layout, run_id, FIRST_ERROR).unlink(missing_ok=True)


def clear_failure(layout: Layout, run_id: str, task: str) -> None:
    """A retried task that succeeded is no longer the run's cause of failure."""
    first = _first(layout, run_id)
    if first is not None and first.get("task") == task:
        _drop_first(layout, run_id)


def reset(layout: Layout, run_id: str) -> None:
    """A cleared and re-run DAG run starts afresh: no first error from its previous attempt."""
    _drop_first(layout, run_id)


def first_error(layout: Layout, run_id: str) -> str | None:
    first = _first(layout, run_id)
    return first.get("message") if first else None


def latest(layout: Layout) -> dict[str, Any] | None:
    """The newest run's record (by its start): the store's records too when it is remote, where runs whose
    tasks ran on other machines left theirs; a torn or unreadable record is passed over."""
    records = []
    storage = remote_store(layout)
    for uri in storage.list(storage.uri("runs")) if storage else []:
        try:
            records.append(storage.read_json(f"{uri.rstrip('/')}/{RUN}"))
        except (OSError, ValueError):  # MissingInput is a FileNotFoundError: a run folder without its record
            continue
    records += [_read_local(path) for path in (layout.runs.glob(f"*/{RUN}") if layout.runs.is_dir() else [])]
    records = [r for r in records if isinstance(r, dict) and r.get("run_id")]
    return max(records, key=lambda r: (str(r.get("started_at") or ""), r["run_id"])) if records else None
