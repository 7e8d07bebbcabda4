"""The marts of two warehouses, comparable: every table of schema `marts`, all columns but the ones that
name when a run happened (`*_at`, `run_id`), rows in a stable order."""

from __future__ import annotations

from pathlib import Path

import duckdb


def marts(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
        out = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall() if not (c.endswith("_at") or c == "run_id")]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f'SELECT {select} FROM marts."{table}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def assert_same_marts(left: Path, right: Path) -> None:
    a, b = marts(left), marts(right)
    assert sorted(a) == sorted(b)
    for table in a:
        only_left = [r for r in a[table] if r not in b[table]][:3]
        only_right = [r for r in b[table] if r not in a[table]][:3]
        assert a[table] == b[table], (f"marts.{table} differs ({len(a[table])} vs {len(b[table])} rows); "
                                      f"only in {left}: {only_left}; only in {right}: {only_right}")
    assert sum(len(rows) for rows in a.values()) > 0
