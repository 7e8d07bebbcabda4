"""Reading a warehouse file the way analysts and BI tools do: read-only, so a refresh can go on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def rows(path: Path | str, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """All rows of one query, the connection closed again."""
    con = connect(path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def connect_query(path: Path | str, *, allow_files: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A connection for analysts' ad-hoc SQL (`ogi query`) that cannot touch anything but the warehouse:
    read-only, external access off (no COPY TO, EXPORT DATABASE, ATTACH, read_csv of other files, no
    extension downloads or loads), and the configuration locked so the SQL cannot switch it back on.
    `allow_files` opens one folder (and below) to reading and writing files, for analysts who join local
    CSVs; the warehouse itself stays read-only."""
    config: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if allow_files is None:
        con = duckdb.connect(str(path), read_only=True, config=config | {"enable_external_access": False})
    else:  # the allowed folder can only be set on a started database, before external access is turned off
        con = duckdb.connect(str(path), read_only=True, config=config)
        con.execute("SET allowed_directories = ?", [[str(Path(allow_files).resolve()).rstrip("/") + "/"]])
        con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con
