"""The raw layer (schema `raw`): what was fetched and what the extractor read from it.

Tables are append-only per document: a document (one distinct content, document_id = sha256 of its
bytes) is written once with its extraction; re-extraction replaces that document's rows. This module
owns the DDL and the only code that writes raw rows, so the loader and the tests share one schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import duckdb
import pandas as pd

DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS raw.documents (
    document_id VARCHAR PRIMARY KEY,   -- sha256 of the bytes
    source VARCHAR NOT NULL,           -- URL or file path the bytes were first read from
    source_name VARCHAR,               -- catalogue source id
    expected_agency VARCHAR,           -- agency the catalogue expects for this source
    fetched_at TIMESTAMP,
    size BIGINT,
    media_type VARCHAR,
    encoding VARCHAR,
    kind VARCHAR,
    agency VARCHAR,
    year INTEGER,
    year_hint INTEGER,                 -- a year read from the file name or URL, used when year is null
    published DATE,
    index_no VARCHAR,
    template VARCHAR,
    script VARCHAR,
    partial_period BOOLEAN,
    extractor_version VARCHAR,
    extracted_at TIMESTAMP,
    role VARCHAR,                      -- report | attachment (of the page `referrer`) | file (catalogue paths)
    referrer VARCHAR,                  -- the listing or report page that linked the document
    parent_document_id VARCHAR         -- an attachment's report page, by content
);
CREATE TABLE IF NOT EXISTS raw.facts (
    document_id VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    applicant VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    method VARCHAR NOT NULL,
    evidence VARCHAR,
    "start" INTEGER,
    "end" INTEGER,
    confidence VARCHAR                 -- verified | unverified | conflict (the document's own arithmetic)
);
CREATE TABLE IF NOT EXISTS raw.checks (
    document_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,             -- identity tested, e.g. requests.balance@total
    ok BOOLEAN NOT NULL,
    figures JSON                       -- the figures the identity was tested on
);
CREATE TABLE IF NOT EXISTS raw.extraction_issues (
    document_id VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,         -- error | warning
    code VARCHAR NOT NULL,
    message VARCHAR
);
CREATE TABLE IF NOT EXISTS raw.fetch_log (
    run_id VARCHAR NOT NULL,
    source_name VARCHAR,
    url VARCHAR NOT NULL,
    status INTEGER,
    bytes BIGINT,
    elapsed_ms DOUBLE,
    error VARCHAR,
    fetched_at TIMESTAMP,
    etag VARCHAR,
    last_modified VARCHAR,
    document_id VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,                    -- published | failed
    catalogue VARCHAR,
    sources INTEGER,
    failed_sources INTEGER,
    documents_seen INTEGER,
    documents_extracted INTEGER,
    message VARCHAR,
    build_fingerprint VARCHAR          -- dbt project + suites + extractor version the marts were built with
);
CREATE TABLE IF NOT EXISTS meta.source_errors (
    run_id VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    error VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS raw.sources (
    source_name VARCHAR PRIMARY KEY,   -- catalogue source id, as in raw.documents.source_name
    agency VARCHAR NOT NULL,           -- the agency the entry names first
    agencies VARCHAR[] NOT NULL,       -- every agency the source may report figures for
    allow_other_agencies BOOLEAN NOT NULL,  -- true: the source may report for any agency
    catalogue VARCHAR,
    run_id VARCHAR                     -- the last run whose catalogue had this entry
);
CREATE TABLE IF NOT EXISTS meta.previous_figures (  -- the chosen figures of the run a build started from
    agency_id VARCHAR,
    agency_name VARCHAR,
    report_year INTEGER,
    document_id VARCHAR,
    metric VARCHAR,
    applicant VARCHAR,
    value DOUBLE
);
CREATE TABLE IF NOT EXISTS raw.load_errors (
    document_id VARCHAR NOT NULL,      -- a document whose extraction record could not be loaded
    run_id VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);
"""

_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")


# Columns added after a warehouse may already have been published: applied to carried-over files.
MIGRATIONS = (
    "ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS build_fingerprint VARCHAR",
    "ALTER TABLE raw.facts ADD COLUMN IF NOT EXISTS confidence VARCHAR",
    "ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS role VARCHAR",
    "ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS referrer VARCHAR",
    "ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS parent_document_id VARCHAR",
)


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    for statement in MIGRATIONS:
        con.execute(statement)


def year_hint(source: str) -> int | None:
    """A report year written in the file name or last URL segment (huaian_city_2024.pdf → 2024)."""
    years = _YEAR_IN_NAME.findall(PurePath(source.split("?")[0]).name)
    return int(years[-1]) if years else None


@dataclass(frozen=True)
class Extracted:
    """One document to write: its fetch side and its extraction (the `ogi extract` JSON object).

    `fetched` carries document_id, source (url/path), source_name, agency (expected), fetched_at,
    size, media_type."""

    fetched: Mapping[str, Any]
    extraction: Mapping[str, Any]
    extractor_version: str
    extracted_at: str


# The tables that hold one document's extraction: replaced together whenever a document is (re)written.
DOCUMENT_TABLES = ("documents", "facts", "checks", "extraction_issues")

_COLUMNS = {
    "documents": ["document_id", "source", "source_name", "expected_agency", "fetched_at", "size", "media_type",
                  "encoding", "kind", "agency", "year", "year_hint", "published", "index_no", "template", "script",
                  "partial_period", "extractor_version", "extracted_at", "role", "referrer", "parent_document_id"],
    "facts": ["document_id", "metric", "applicant", "value", "method", "evidence", "start", "end", "confidence"],
    "checks": ["document_id", "name", "ok", "figures"],
    "extraction_issues": ["document_id", "severity", "code", "message"],
    "fetch_log": ["run_id", "source_name", "url", "status", "bytes", "elapsed_ms", "error", "fetched_at", "etag",
                  "last_modified", "document_id"],
}


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Bulk insert through a DataFrame: row-by-row executemany costs ~100 ms per document here."""
    if not rows:
        return
    frame = pd.DataFrame.from_records(rows, columns=_COLUMNS[table])  # noqa: F841 — read by DuckDB below
    columns = ", ".join(f'"{c}"' for c in _COLUMNS[table])
    con.execute(f"INSERT INTO raw.{table} ({columns}) SELECT {columns} FROM frame")


def replace_documents(con: duckdb.DuckDBPyConnection, items: Iterable[Extracted], *, new: bool = False) -> int:
    """Write documents and their extractions, replacing any earlier rows of the same documents; `new`: the
    caller knows there are none (the delete scans the tables, every time)."""
    documents: list[tuple] = []
    facts: list[tuple] = []
    checks: list[tuple] = []
    issues: list[tuple] = []
    for item in items:
        fetched, extraction = item.fetched, item.extraction
        doc_id = fetched["document_id"]
        meta = extraction.get("document") or {}
        documents.append((
            doc_id, fetched["source"], fetched.get("source_name"), fetched.get("agency"), fetched.get("fetched_at"),
            fetched.get("size"), extraction.get("media_type") or fetched.get("media_type"), extraction.get("encoding"),
            meta.get("kind"), meta.get("agency"), meta.get("year"), year_hint(fetched["source"]), meta.get("published"),
            meta.get("index_no"), meta.get("template"), meta.get("script"), meta.get("partial_period"),
            item.extractor_version, item.extracted_at,
            fetched.get("role"), fetched.get("referrer"), fetched.get("parent_document_id"),
        ))
        facts += [
            (doc_id, f["metric"], f.get("applicant") or "total", f["value"], f["method"], f.get("evidence"),
             f.get("start"), f.get("end"), f.get("confidence") or "unverified")
            for f in extraction.get("facts") or []
        ]
        checks += [
            (doc_id, c["name"], bool(c["ok"]), json.dumps(c.get("figures") or {}, ensure_ascii=False, default=str))
            for c in extraction.get("checks") or []
        ]
        issues += [(doc_id, i["severity"], i["code"], i.get("message")) for i in extraction.get("issues") or []]
        issues += [(doc_id, "warning", "extractor_warning", w) for w in extraction.get("warnings") or []]
    if not documents:
        return 0
    if not new:
        replaced = pd.DataFrame({"document_id": [d[0] for d in documents]})  # noqa: F841 — read by DuckDB below
        for table in (*DOCUMENT_TABLES, "load_errors"):
            con.execute(f"DELETE FROM raw.{table} WHERE document_id IN (SELECT document_id FROM replaced)")
    _insert(con, "documents", documents)
    _insert(con, "facts", facts)
    _insert(con, "checks", checks)
    _insert(con, "extraction_issues", issues)
    return len(documents)


def replace_document(con: duckdb.DuckDBPyConnection, fetched: Mapping[str, Any], extraction: Mapping[str, Any], *,
                     extractor_version: str, extracted_at: str) -> None:
    replace_documents(con, [Extracted(fetched, extraction, extractor_version, extracted_at)])


def append_fetch_log(con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]]) -> int:
    values = [
        (r["run_id"], r.get("source"), r["url"], r.get("status"), r.get("bytes"), r.get("elapsed_ms"),
         r.get("error"), r.get("fetched_at"), r.get("etag"), r.get("last_modified"), r.get("document_id"))
        for r in rows
    ]
    _insert(con, "fetch_log", values)
    return len(values)


def record_sources(con: duckdb.DuckDBPyConnection, sources: Iterable[Any], *, catalogue: str, run_id: str) -> int:
    """Store what each catalogue entry may report (its agencies): the marts' provenance rule reads it.
    An entry of this run's catalogue replaces the stored one of the same name; others stay."""
    rows = [(s.name, s.agency, list(getattr(s, "agencies", ()) or (s.agency,)),
             bool(getattr(s, "allow_other_agencies", False)), catalogue, run_id) for s in sources]
    if not rows:
        return 0
    con.executemany("DELETE FROM raw.sources WHERE source_name = ?", [(r[0],) for r in rows])
    con.executemany("INSERT INTO raw.sources VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def record_load_errors(con: duckdb.DuckDBPyConnection, run_id: str, errors: Iterable[tuple[str, str]]) -> int:
    """Note documents whose extraction record could not be loaded (document_id, reason): quarantined."""
    rows = [(doc_id, run_id, reason) for doc_id, reason in errors]
    if rows:
        con.executemany("DELETE FROM raw.load_errors WHERE document_id = ?", [(r[0],) for r in rows])
        con.executemany("INSERT INTO raw.load_errors VALUES (?, ?, ?)", rows)
    return len(rows)
