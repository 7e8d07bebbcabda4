"""A raw database built from the hand-checked gold files, so the dbt project can be tested before and
independently of the extractor: each gold file stands in for the extraction of its corpus document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from warehouse import raw

FETCHED_AT = "2025-01-01 00:00:00"
EXTRACTED_AT = "2025-01-01 00:05:00"
EXTRACTOR_VERSION = "gold"
_STANDARD_TEMPLATES = {"2021", "2019"}
_MEDIA_TYPES = {".pdf": "application/pdf", ".md": "text/markdown", ".txt": "text/plain",
                ".html": "text/html", ".htm": "text/html"}
_DOCUMENT_FIELDS = ("kind", "agency", "year", "published", "index_no", "template", "script", "partial_period")


def gold_facts(gold: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The gold figures as extractor facts: "group.metric@applicant" keys split, table facts for a
    document in a standard template, text facts otherwise; the gold's `text_facts` (figures the prose
    states) as text facts in every case."""
    method = "table" if gold.get("template") in _STANDARD_TEMPLATES else "text"
    facts = []
    for figures, how in ((gold.get("facts") or {}, method), (gold.get("text_facts") or {}, "text")):
        for key, value in figures.items():
            metric, _, applicant = key.partition("@")
            facts.append({"metric": metric, "applicant": applicant or "total", "value": value, "method": how})
    return facts


def gold_extraction(gold: Mapping[str, Any], media_type: str | None) -> dict[str, Any]:
    """The `ogi extract` object the gold file describes."""
    document = {field: gold.get(field) for field in _DOCUMENT_FIELDS}
    document["kind"] = document["kind"] or "other"
    document["script"] = document["script"] or "simplified"
    document["partial_period"] = bool(document["partial_period"])
    return {"document": document, "facts": gold_facts(gold), "warnings": [], "issues": [],
            "media_type": media_type}


def write_gold_document(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    content: bytes,
    gold: Mapping[str, Any],
    *,
    expected_agency: str | None = None,
    fetched_at: str = FETCHED_AT,
) -> str:
    """Write the document `content` fetched from `source` at `fetched_at`, read as `gold` says, with its
    fetch-log row; the catalogue expects `expected_agency` (default: the gold agency). Returns its id."""
    media_type = _MEDIA_TYPES.get(source.suffix.lower())
    document_id = hashlib.sha256(content).hexdigest()
    fetched = {
        "document_id": document_id,
        "source": str(source),
        "source_name": source.stem,
        "agency": expected_agency or gold.get("agency"),
        "fetched_at": fetched_at,
        "size": len(content),
        "media_type": media_type,
    }
    raw.replace_document(con, fetched, gold_extraction(gold, media_type),
                         extractor_version=EXTRACTOR_VERSION, extracted_at=EXTRACTED_AT)
    raw.append_fetch_log(con, [{
        "run_id": "gold", "source": source.stem, "url": str(source), "bytes": len(content),
        "elapsed_ms": 0.0, "fetched_at": fetched_at, "document_id": document_id,
    }])
    return document_id


def build_raw_from_gold(
    db_path: str | Path,
    gold_dir: str | Path,
    corpus_dir: str | Path,
    *,
    expected_agencies: Mapping[str, str] | None = None,
    fetched_at: Mapping[str, str] | None = None,
) -> list[str]:
    """Write raw.documents/facts/fetch_log for every gold file whose document is under `corpus_dir`.

    document_id is the sha256 of the real file bytes and source its corpus path. The catalogue's
    expected agency is the gold agency unless `expected_agencies` (file name → agency) says otherwise,
    as a catalogue does for a document that names no agency; every document is fetched at FETCHED_AT
    unless `fetched_at` (file name → timestamp) says otherwise. Returns the document ids written.
    """
    corpus = {p.name: p for p in Path(corpus_dir).rglob("*") if p.is_file()}
    expected_agencies = expected_agencies or {}
    fetched_at = fetched_at or {}
    con = duckdb.connect(str(db_path))
    written = []
    try:
        raw.create(con)
        for gold_file in sorted(Path(gold_dir).glob("*.json")):
            name = gold_file.name.removesuffix(".json")
            if name not in corpus:
                continue
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            written.append(write_gold_document(
                con, corpus[name], corpus[name].read_bytes(), gold,
                expected_agency=expected_agencies.get(name), fetched_at=fetched_at.get(name, FETCHED_AT)))
    finally:
        con.close()
    return written
