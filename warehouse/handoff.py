"""The extraction hand-off between the extract tasks and `load`: one JSON record per document.

Records are separated by "\\n" and by nothing else. A document's text may hold any character, and
U+2028, U+2029 or U+0085 (common in text pasted from Word) are line breaks to `str.splitlines()`, which
once split a record in two and stopped every later refresh: records are read from bytes split on b"\\n"
only (JSON escapes a newline inside a string, so the separator never occurs in a record).

Reading never fails as a whole: a record that cannot be read or has the wrong shape becomes a `BadRecord`
with its reason, which `load` quarantines (that document only); facts whose values no mart column can
hold are dropped from their record with an issue, since one of them would fail the whole dbt build.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FACT_VALUE = 1e15  # far above any count or amount in these reports; marts cast counts to BIGINT
_INT32 = 2**31 - 1
_DOCUMENT_ID = re.compile(rb'"document_id":\s*"([0-9a-f]{64})"')


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
    reason: str
    where: str  # file:record number


def encode(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, default=str).encode("utf-8") + b"\n"


def write_batch(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records to `path` atomically (a temporary file renamed into place). Returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "wb") as handle:
        for record in records:
            handle.write(encode(record))
            count += 1
    tmp.replace(path)
    return count


def read_batches(paths: Iterable[str | Path]) -> Iterator[Record | BadRecord]:
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            yield BadRecord(None, f"extraction file unreadable: {exc.strerror or exc}", str(path))
            continue
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.strip():
                yield parse(line, f"{Path(path).name}:{number}")


def parse(line: bytes, where: str) -> Record | BadRecord:
    try:
        value = json.loads(line.decode("utf-8"))
        return _record(value)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        match = _DOCUMENT_ID.search(line[:4096])
        doc_id = match.group(1).decode() if match else None
        return BadRecord(doc_id, f"extraction record unreadable: {type(exc).__name__}: {str(exc)[:200]}", where)


def _record(value: Any) -> Record:
    if not isinstance(value, dict):
        raise TypeError("a record is a JSON object")
    fetched, extraction = value["fetched"], value["extraction"]
    if not isinstance(fetched, dict) or not isinstance(extraction, dict):
        raise TypeError("fetched and extraction are objects")
    doc_id = fetched["document_id"]
    if not isinstance(doc_id, str) or not re.fullmatch(r"[0-9a-f]{64}", doc_id):
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
    issues = [i for i in out.get("issues") or [] if isinstance(i, dict) and isinstance(i.get("code"), str)]
    if dropped:
        sample = json.dumps(dropped[0], ensure_ascii=False, default=str)[:200]
        issues.append({"code": "bad_cell", "severity": "warning",
                       "message": f"{len(dropped)} fact(s) with a value no mart column holds dropped: {sample}"})
    out["issues"] = issues
    out["warnings"] = [w for w in out.get("warnings") or [] if isinstance(w, str)]
    out["checks"] = [c for c in out.get("checks") or [] if isinstance(c, dict) and isinstance(c.get("name"), str)]
    return out
