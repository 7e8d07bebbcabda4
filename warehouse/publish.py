"""Atomic publish: a run builds a new database file and swaps it in with one rename.

Readers open the published path read-only. On POSIX a rename replaces the directory entry in one
step: a reader that opened the old file keeps reading the old, complete file; a reader that opens
after the rename sees the new, complete one. Nothing is ever written to the published file itself,
so a crash at any step leaves the last published warehouse intact.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from warehouse.lock import RefreshBusy  # noqa: F401 — where callers used to import it from


def seal(database: Path) -> None:
    """Checkpoint so the file holds everything (no write-ahead log left beside it) and flush it to disk."""
    con = duckdb.connect(str(database))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{database} still has a write-ahead log after CHECKPOINT; not publishing")
    with open(database, "rb") as handle:
        os.fsync(handle.fileno())


def point_link(link: Path, target: Path) -> None:
    """Make `link` a symlink to `target` in one atomic rename (a reader follows the old or the new one)."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a folder left by an older layout
    temporary = link.with_name(f".{link.name}.new")
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, link.parent), temporary)
    os.replace(temporary, link)


def prune_runs(runs: Path, keep: int, protect: set[Path]) -> list[Path]:
    """Delete all but the newest `keep` run folders (and never those in `protect`)."""
    folders = sorted((p for p in runs.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = [p for p in folders[keep:] if p.resolve() not in protect]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def swap_in(building: Path, published: Path) -> None:
    """Make `building` the published warehouse in one atomic rename (same folder, same file system)."""
    if building.parent.resolve() != published.parent.resolve():
        raise ValueError("the building database must sit beside the published one for an atomic rename")
    seal(building)
    os.replace(building, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
