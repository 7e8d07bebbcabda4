"""Query results for people (aligned table) and scripts (csv; json: one array of objects, one per row)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

# Excel opens a CSV as the system code page unless it starts with a byte-order mark: with it, the Chinese
# reads right; every other CSV reader skips it.
BOM = "\ufeff"


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, bom: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(v) for v in row] for row in rows)
    return (BOM if bom else "") + out.getvalue()


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A CSV file for people: UTF-8 with BOM (Excel), one header line."""
    path.write_text(csv_text(columns, rows, bom=True), encoding="utf-8", newline="")


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    if fmt == "csv":
        return csv_text(columns, rows)
    if fmt == "json":
        records = [dict(zip(columns, (_jsonable(v) for v in row), strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n"
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out_lines = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out_lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out_lines) + "\n"
