"""The extraction hand-off between the extract tasks and `load`: one Parquet file per batch.

A batch file has one row per document: the columns of raw.documents, its rows of raw.facts, raw.checks and
raw.extraction_issues as lists of structs (`facts`, `checks`, `extraction_issues`), and `load_error` (why
the document is quarantined, else null). The schema is the raw tables' own (warehouse/raw.py, the one home
of the DDL): the extract task writes its records through `raw.replace_documents` into an in-memory DuckDB
and copies them out nested, and `load` inserts them BY NAME straight from `read_parquet`, so no step holds a
run's extractions in Python and memory stays flat however many documents a run has.

Writing never fails as a whole: a record with the wrong shape, or one the raw tables refuse (a date or a
number they cannot hold), is written as a quarantined document — no facts, an `unreadable` issue, the
extractor version marked `+quarantined` so the next refresh extracts it again — with its reason in
`load_error`. Facts whose values no mart column can hold are dropped from their record with an issue, since
one of them would fail the whole dbt build. Reading never fails as a whole either: a batch file that cannot
be read (torn, not Parquet, another schema) is skipped with its reason; its documents are then not in
raw.documents, so the next refresh extracts them again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from warehouse import raw
from warehouse.clock import utc_now
from warehouse.progress import say

MAX_FACT_VALUE = 1e15  # far above any count or amount in these reports; marts cast counts to BIGINT
_INT32 = 2**31 - 1
_DOCUMENT_ID = re.compile(r"[0-9a-f]{64}")
LISTS = ("facts", "checks", "extraction_issues")  # the per-document raw tables, nested in a batch row
LOAD_ERROR = "load_error"


@dataclass(frozen=True)
class Record:
    document_id: str
    fetched: dict[str, Any]
    extraction: dict[str, Any]
    extractor_version: str
    extracted_at: str


@dataclass(frozen=True)
class BadRecord:
    document_id: str | None  # when it could still be read from the broken record
    fetched: dict[str, Any]
    reason: str


# --- writing (the extract task) -------------------------------------------------------------------------

# Records are written as they arrive, a few dozen at a time: the extract task's pool hands them over while its
# workers read the next documents, so the writing overlaps the extraction instead of following it.
_CHUNK = 50
# Row groups bounded in bytes: `load` reads a row group per thread under its memory limit, and one group of
# 2,048 documents (the least DuckDB makes by row count) with their nested facts passed it.
_ROW_GROUP = "16MB"


def write_batch(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write the records as one Parquet batch at `path`, atomically (a temporary file renamed into place).
    Returns the number of documents written (quarantined ones included)."""
    con = duckdb.connect()
    try:
        raw.create(con)
        count = 0
        good: list[Record] = []
        written: set[str] = set()  # documents in the tables so far: only one of them needs its rows replaced

        def flush() -> None:
            for refused in _write(con, good, written):
                _quarantine(con, refused)
            good.clear()

        for item in map(parse, records):
            if isinstance(item, Record):
                good.append(item)
                if len(good) == _CHUNK:
                    flush()
            elif item.document_id:
                written.add(item.document_id)
                _quarantine(con, item)
            else:  # names no document: nothing to quarantine, and nothing a later run could retry
                say(f"extract: left out a record that names no document: {item.reason}")
                continue
            count += 1
        flush()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        con.execute(f"COPY ({_NESTED}) TO '{_quoted(tmp)}' (FORMAT parquet, ROW_GROUP_SIZE_BYTES '{_ROW_GROUP}')")
        tmp.replace(path)
        return count
    finally:
        con.close()


# One row per document; the lists keep each document's rows in the order they were written.
_NESTED = ", ".join(
    ["SELECT d.*"]
    + [f"coalesce((SELECT list(t ORDER BY t.rowid) FROM raw.{table} AS t WHERE t.document_id = d.document_id),"
       f" []) AS {table}" for table in LISTS]
    + [f"(SELECT any_value(reason) FROM raw.load_errors AS e WHERE e.document_id = d.document_id) AS {LOAD_ERROR}"]
) + " FROM raw.documents AS d ORDER BY d.rowid"


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _extracted(record: Record) -> raw.Extracted:
    return raw.Extracted(record.fetched, record.extraction, record.extractor_version, record.extracted_at)


def _write(con: duckdb.DuckDBPyConnection, records: list[Record], written: set[str]) -> list[BadRecord]:
    """Write the records; one the raw tables refuse is left out and returned with its reason, so one
    document cannot stop the others. `written`: the documents already in the tables (updated)."""
    ids = [record.document_id for record in records]
    new = written.isdisjoint(ids) and len(set(ids)) == len(ids)
    written.update(ids)
    con.begin()
    try:
        # A batch's documents are nearly always new to it: then their rows are not looked for to be replaced,
        # which scanned the growing tables once per chunk
        raw.replace_documents(con, map(_extracted, records), new=new)
        con.commit()
        return []
    except duckdb.Error:
        con.rollback()
    refused = []
    for record in records:  # find the culprits one by one
        con.begin()
        try:
            raw.replace_documents(con, [_extracted(record)])
            con.commit()
        except duckdb.Error as exc:
            con.rollback()
            refused.append(BadRecord(record.document_id, record.fetched, "extraction record refused by the raw "
                                                                         f"tables: {str(exc).splitlines()[0][:300]}"))
    return refused


def _quarantine(con: duckdb.DuckDBPyConnection, bad: BadRecord) -> None:
    """The document kept with its reason and no facts; marked so that the next refresh extracts it again."""
    from extract import EXTRACTOR_VERSION

    doc_id = bad.document_id or ""
    issue = {"code": "unreadable", "severity": "error", "message": bad.reason}
    source = bad.fetched.get("source")
    fetched = dict(bad.fetched) | {"document_id": doc_id,
                                   "source": source if isinstance(source, str) else f"unknown:{doc_id[:16]}"}
    # What was fetched may be what the raw tables refused (a fetched_at or size they cannot read, a string that
    # is not valid Unicode): then only its text fields, made valid
    text_only = {k: v.encode("utf-8", "replace").decode("utf-8") for k, v in fetched.items()
                 if isinstance(v, str) and k not in ("fetched_at", "size")}
    for attempt in (fetched, text_only):
        con.begin()
        try:
            raw.replace_documents(con, [raw.Extracted(attempt, {"issues": [issue]},
                                                      f"{EXTRACTOR_VERSION}+quarantined", utc_now())])
            con.commit()
            break
        except duckdb.Error:
            con.rollback()
    raw.record_load_errors(con, "", [(doc_id, bad.reason)])  # the run is set by `load`


# --- the shape of a record --------------------------------------------------------------------------------

def parse(value: Any) -> Record | BadRecord:
    try:
        return _record(value)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        fetched = value.get("fetched") if isinstance(value, dict) else None
        fetched = fetched if isinstance(fetched, dict) else {}
        doc_id = fetched.get("document_id")
        doc_id = doc_id if isinstance(doc_id, str) and _DOCUMENT_ID.fullmatch(doc_id) else None
        return BadRecord(doc_id, fetched, f"extraction record unreadable: {type(exc).__name__}: {str(exc)[:200]}")


def _record(value: Any) -> Record:
    if not isinstance(value, dict):
        raise TypeError("a record is an object")
    fetched, extraction = value["fetched"], value["extraction"]
    if not isinstance(fetched, dict) or not isinstance(extraction, dict):
        raise TypeError("fetched and extraction are objects")
    doc_id = fetched["document_id"]
    if not isinstance(doc_id, str) or not _DOCUMENT_ID.fullmatch(doc_id):
        raise ValueError(f"bad document_id {str(doc_id)[:80]!r}")
    if not isinstance(fetched.get("source"), str):
        raise ValueError("fetched.source is not a string")
    return Record(doc_id, fetched, _sane(extraction), str(value["extractor_version"]), str(value["extracted_at"]))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and abs(value) <= MAX_FACT_VALUE else None


def _offset(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _INT32 else None


def _sane(extraction: dict[str, Any]) -> dict[str, Any]:
    """The extraction with the parts the raw tables cannot hold removed (each removal an issue)."""
    out = dict(extraction)
    document = out.get("document")
    out["document"] = document if isinstance(document, dict) else {}
    year = out["document"].get("year")
    if year is not None and _offset(year) is None:
        out["document"] = out["document"] | {"year": None}
    facts, dropped = [], []
    for fact in out.get("facts") or []:
        ok = (isinstance(fact, dict) and isinstance(fact.get("metric"), str) and _number(fact.get("value")) is not None
              and isinstance(fact.get("method"), str))
        if ok:
            facts.append(fact | {"start": _offset(fact.get("start")), "end": _offset(fact.get("end"))})
        else:
            dropped.append(fact)
    out["facts"] = facts
    # an issue without a severity is still shown, as an error (the raw tables need one)
    issues = [i if isinstance(i.get("severity"), str) else i | {"severity": "error"}
              for i in out.get("issues") or [] if isinstance(i, dict) and isinstance(i.get("code"), str)]
    if dropped:
        sample = json.dumps(dropped[0], ensure_ascii=False, default=str)[:200]
        issues.append({"code": "bad_cell", "severity": "warning",
                       "message": f"{len(dropped)} fact(s) with a value no mart column holds dropped: {sample}"})
    out["issues"] = issues
    out["warnings"] = [w for w in out.get("warnings") or [] if isinstance(w, str)]
    out["checks"] = [c for c in out.get("checks") or []  # a check without its verdict says nothing
                     if isinstance(c, dict) and isinstance(c.get("name"), str) and isinstance(c.get("ok"), bool)]
    return out


# --- reading (load) -----------------------------------------------------------------------------------------

@dataclass
class Loaded:
    extracted: int = 0  # documents loaded with their extraction
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (document id, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (batch file, reason): unreadable


def load_batches(con: duckdb.DuckDBPyConnection, paths: Iterable[str | Path], run_id: str) -> Loaded:
    """Replace the batches' documents in the raw tables of `con` (one transaction, by SQL over the files:
    DuckDB streams them). A file that cannot be read is skipped, with its reason, and the others load."""
    loaded = Loaded()
    files = []
    for path in map(str, paths):
        reason = _unreadable(con, path)
        if reason:
            loaded.skipped.append((path, reason))
        else:
            files.append(path)
    if not files:
        return loaded
    batch = "read_parquet($files)"
    documents = f"SELECT document_id FROM {batch}"
    con.begin()
    try:
        for table in (*raw.DOCUMENT_TABLES, "load_errors"):
            con.execute(f"DELETE FROM raw.{table} WHERE document_id IN ({documents})", {"files": files})
        con.execute(f"INSERT INTO raw.documents BY NAME SELECT * EXCLUDE ({', '.join(LISTS)}, {LOAD_ERROR}) "
                    f"FROM {batch}", {"files": files})
        for table in LISTS:
            con.execute(f"INSERT INTO raw.{table} BY NAME SELECT unnest({table}, recursive := true) FROM {batch}",
                        {"files": files})
        con.execute(f"INSERT INTO raw.load_errors SELECT document_id, $run, {LOAD_ERROR} FROM {batch} "
                    f"WHERE {LOAD_ERROR} IS NOT NULL", {"files": files, "run": run_id})
        loaded.quarantined = con.execute(f"SELECT document_id, {LOAD_ERROR} FROM {batch} "
                                         f"WHERE {LOAD_ERROR} IS NOT NULL", {"files": files}).fetchall()
        total = con.execute(f"SELECT count(*) FROM {batch}", {"files": files}).fetchone()[0]
        con.commit()
    except BaseException:
        con.rollback()
        raise
    loaded.extracted = total - len(loaded.quarantined)
    return loaded


def _unreadable(con: duckdb.DuckDBPyConnection, path: str) -> str | None:
    """Why this batch file cannot be loaded (None when it can): unreadable, or not a batch of these tables."""
    try:
        columns = {name for name, *_ in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()}
        con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()
    except duckdb.Error as exc:
        return f"extraction batch unreadable: {str(exc).splitlines()[0][:300]}"
    expected = set(_columns(con, "documents")) | set(LISTS) | {LOAD_ERROR}
    if columns != expected:
        return f"extraction batch of another schema: {sorted(columns ^ expected)[:8]} differ"
    return None


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [name for (name,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def read_batch(path: str | Path) -> Iterator[dict[str, Any]]:
    """The rows of one batch file, as dicts (for tests and inspection; `load` never reads rows in Python)."""
    con = duckdb.connect()
    try:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            yield dict(zip(names, row, strict=True))
    finally:
        con.close()
