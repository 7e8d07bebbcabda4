"""`ogi tables`, `ogi describe` and `ogi export`: what is in the warehouse, what each column means (the
COMMENTs dbt persists from the model docs), and any mart or query as a file for Excel or another tool.

The user's SQL runs on the sandboxed read-only connection `ogi query` uses (readonly.connect_query: it can
touch nothing but the warehouse); the rows are then written by this module, to the one file named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse import readonly
from warehouse.render import render, write_csv

FORMATS = ("csv", "parquet", "xlsx", "json")
# Schemas people read, in the order a bare table name is looked up.
SCHEMAS = ("marts", "reference", "quality", "raw", "meta", "intermediate", "staging")
_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?$")


class ExportError(ValueError):
    """A problem the user can fix (unknown table, bad SQL, unsupported format): one line."""


def error_line(exc: duckdb.Error) -> str:
    """DuckDB's message on one line, keeping its hint ("Did you mean "marts.fct_requests"?") and dropping
    the caret drawing under the SQL."""
    lines = []
    for line in str(exc).splitlines():
        if not line.strip() or line.startswith("LINE "):
            break
        lines.append(line.strip())
    return " ".join(lines) or type(exc).__name__


def list_tables(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    schemas = ", ".join(f"'{s}'" for s in SCHEMAS)
    result = con.execute(f"""
        SELECT schema_name || '.' || table_name AS "table", 'table' AS kind, estimated_size AS "rows", comment
        FROM duckdb_tables() WHERE schema_name IN ({schemas})
        UNION ALL
        SELECT schema_name || '.' || view_name, 'view', NULL, comment
        FROM duckdb_views() WHERE NOT internal AND schema_name IN ({schemas})
        ORDER BY list_position([{schemas}], split_part("table", '.', 1)), "table" """)
    return [d[0] for d in result.description], result.fetchall()


def resolve_table(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """`schema.table` for a table or view name given with or without its schema."""
    if not _NAME.match(name):
        raise ExportError(f"not a table name: {name!r}")
    known = {f"{s}.{t}" for s, t in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables").fetchall()}
    if "." in name:
        if name in known:
            return name
    else:
        for schema in SCHEMAS:
            if f"{schema}.{name}" in known:
                return f"{schema}.{name}"
    close = sorted(k for k in known if name.split(".")[-1] in k)[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `ogi tables` lists them"
    raise ExportError(f"no table {name}{hint}")


def describe_table(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str | None, list[str], list[tuple]]:
    """(schema.table, its comment, columns, one row per column: name, type, comment)."""
    relation = resolve_table(con, name)
    schema, table = relation.split(".")
    (comment,) = con.execute("""
        SELECT any_value(comment) FROM (
            SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?
            UNION ALL SELECT comment FROM duckdb_views() WHERE schema_name = ? AND view_name = ?)""",
                             [schema, table, schema, table]).fetchone()
    result = con.execute("""SELECT column_name AS "column", data_type AS type, comment FROM duckdb_columns()
                            WHERE schema_name = ? AND table_name = ? ORDER BY column_index""", [schema, table])
    return relation, comment, [d[0] for d in result.description], result.fetchall()


def query_for(con: duckdb.DuckDBPyConnection, what: str) -> tuple[str, str]:
    """(SQL, a file stem) for a table name or a query."""
    if _NAME.match(what.strip()):
        relation = resolve_table(con, what.strip())
        return f"SELECT * FROM {relation}", relation.split(".")[1]
    return what, "query"


def fetch(path: Path, what: str) -> tuple[str, pd.DataFrame]:
    """Run the table's or query's SQL on the sandboxed connection; (file stem, rows)."""
    con = readonly.connect_query(path)
    try:
        sql, stem = query_for(con, what)
        try:
            return stem, con.execute(sql).df()
        except duckdb.Error as exc:
            raise ExportError(f"query failed: {error_line(exc)}") from exc
    finally:
        con.close()


def _rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    # pandas NaN/NaT/NA → None, numpy scalars → Python values
    clean = frame.astype(object).where(frame.notna(), None)
    return [tuple(v.item() if hasattr(v, "item") else v for v in row) for row in clean.itertuples(index=False)]


def write(frame: pd.DataFrame, out: Path, fmt: str, sheet: str = "data") -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    columns: Sequence[str] = [str(c) for c in frame.columns]
    if fmt == "csv":
        write_csv(out, columns, _rows(frame))
    elif fmt == "json":
        out.write_text(render(columns, _rows(frame), "json"), encoding="utf-8")
    elif fmt == "parquet":
        # An in-memory DuckDB writes the file: the user's SQL never ran on a connection that can write.
        writer = duckdb.connect()
        try:
            writer.register("export_rows", frame)
            writer.execute(f"COPY export_rows TO '{_sql_string(out)}' (FORMAT parquet)")
        finally:
            writer.close()
    elif fmt == "xlsx":
        _write_xlsx(out, columns, _rows(frame), sheet)
    else:
        raise ExportError(f"unknown format {fmt}; one of {', '.join(FORMATS)}")


def _sql_string(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


def _write_xlsx(out: Path, columns: Sequence[str], rows: list[tuple], sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    ws = book.active
    ws.title = sheet[:31]  # Excel's limit
    ws.append(list(columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([v.isoformat() if hasattr(v, "isoformat") and not isinstance(v, (int, float)) else v
                   for v in row])
    ws.freeze_panes = "A2"
    book.save(out)


def export(path: Path, what: str, fmt: str, out: Path | None) -> tuple[Path, int]:
    """Write a table (by name) or a query's result to `out` (default: <table>.<fmt> in the current folder)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt}; one of {', '.join(FORMATS)}")
    stem, frame = fetch(path, what)
    if out is None:
        if stem == "query":
            raise ExportError("a query needs --out FILE")
        out = Path(f"{stem}.{fmt}")
    write(frame, out, fmt, sheet=stem)
    return out, len(frame)
