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
