"""The refresh, one function per step. The Airflow DAG calls these; so can a test, without a scheduler.

Steps hand each other small JSON-able values (names, file paths); bulk data moves through files in
the run's folder, so no two tasks ever write to one DuckDB file at once: only `load` writes the
building database, and only `build`, `validate` and `publish` after it, one at a time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import traceback
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse import raw, readonly
from warehouse.layout import REPO_ROOT, Layout
from warehouse.progress import Counter, say

BATCH_SIZE = 25  # documents per extract task at least …
MAX_BATCHES = 16  # … and at most this many tasks, since each mapped task costs scheduler overhead


class StructuralFailure(RuntimeError):
    """The built marts break their contract (missing tables or columns, broken grain): not published."""


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _write_json(path: Path, value: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, default=str, indent=1), encoding="utf-8")
    tmp.replace(path)
    return str(path)


def _published_rows(layout: Layout, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """Rows from the published warehouse (read-only); none when there is no warehouse yet."""
    if not layout.warehouse.exists():
        return []
    try:
        return readonly.rows(layout.warehouse, sql, params)
    except duckdb.CatalogException:
        return []


# --- discover ---------------------------------------------------------------------------------------

def discover(sources_file: str, warehouse: str, run_id: str) -> list[str]:
    """Read and check the catalogue; return the names of its sources (one fetch task each)."""
    from extract.catalogue import load_catalogue

    layout = Layout.at(warehouse)
    catalogue = load_catalogue(Path(sources_file))
    run_dir = layout.run_dir(run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    for stale in layout.root.glob(f".{layout.warehouse.name}.*.building"):
        stale.unlink()  # a crashed run's leftovers; the published file was never touched
    _write_json(run_dir / "run.json", {"run_id": run_id, "sources_file": str(Path(sources_file).resolve()),
                                       "started_at": _now(), "status": "running"})
    say(f"discover: {len(catalogue.sources)} sources in {sources_file}")
    return [source.name for source in catalogue.sources]


# --- fetch ------------------------------------------------------------------------------------------

def fetch(sources_file: str, warehouse: str, run_id: str, source_name: str) -> str:
    """Fetch one source into the raw store; write its manifest (documents + request log) and return
    the manifest's path. A source that fails records its error; it never fails the run."""
    from extract.catalogue import load_catalogue
    from extract.fetch import Validator, fetch_source
    from extract.store import RawStore

    layout = Layout.at(warehouse)
    catalogue = load_catalogue(Path(sources_file))
    source = next(s for s in catalogue.sources if s.name == source_name)
    known = {
        url: Validator(etag=etag, last_modified=last_modified, document_id=document_id)
        for url, etag, last_modified, document_id in _published_rows(
            layout,
            """SELECT url, arg_max(etag, fetched_at), arg_max(last_modified, fetched_at),
                      arg_max(document_id, fetched_at)
               FROM raw.fetch_log WHERE source_name = ? AND document_id IS NOT NULL GROUP BY url""",
            [source_name],
        )
    }
    try:
        result = fetch_source(source, catalogue.settings, RawStore(layout.store), run_id=run_id, known=known)
        manifest = {
            "source": source_name,
            "error": result.error,
            "documents": [dataclasses.asdict(d) for d in result.documents],
            "log": [dataclasses.asdict(e) for e in result.log],
        }
    except Exception as exc:  # noqa: BLE001 — one broken source must not stop the others
        manifest = {"source": source_name, "error": f"{type(exc).__name__}: {exc}", "documents": [], "log": []}
        traceback.print_exc()
    status = f"error: {manifest['error']}" if manifest["error"] else "ok"
    say(f"fetch {source_name}: {len(manifest['documents'])} documents, {len(manifest['log'])} requests, {status}")
    return _write_json(layout.run_dir(run_id) / "fetch" / f"{source_name}.json", manifest)


def _manifests(paths: Iterable[str]) -> list[dict[str, Any]]:
    return [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]


def _documents(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct documents of the run (one per content), first seen first."""
    seen: dict[str, dict[str, Any]] = {}
    for manifest in manifests:
        for doc in manifest["documents"]:
            seen.setdefault(doc["document_id"], doc)
    return list(seen.values())


# --- plan + extract ---------------------------------------------------------------------------------

def plan_extraction(warehouse: str, run_id: str, manifest_paths: list[str]) -> list[list[dict[str, Any]]]:
    """Batches of the documents that need extracting: new content, or content last extracted by
    another extractor version. Unchanged documents keep their published extraction."""
    from extract import EXTRACTOR_VERSION

    layout = Layout.at(warehouse)
    done = {
        doc_id
        for (doc_id,) in _published_rows(
            layout, "SELECT document_id FROM raw.documents WHERE extractor_version = ?", [EXTRACTOR_VERSION]
        )
    }
    documents = _documents(_manifests(manifest_paths))
    todo = [d for d in documents if d["document_id"] not in done]
    say(f"plan: {len(documents)} documents, {len(todo)} to extract, {len(documents) - len(todo)} unchanged")
    size = max(BATCH_SIZE, -(-len(todo) // MAX_BATCHES))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def extract_batch(warehouse: str, run_id: str, batch: list[dict[str, Any]]) -> str:
    """Extract a batch of stored documents to a JSONL file (one line per document); return its path."""
    from extract import EXTRACTOR_VERSION, extract_bytes
    from extract.store import RawStore

    layout = Layout.at(warehouse)
    store = RawStore(layout.store)
    out = layout.run_dir(run_id) / "extract" / f"{batch[0]['document_id'][:16]}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    counter = Counter("extract", len(batch))
    with open(out.with_suffix(".tmp"), "w", encoding="utf-8") as handle:
        for doc in batch:
            extraction = extract_bytes(
                store.get(doc["document_id"]),
                doc["url"],
                filename=Path(doc["url"].split("?")[0]).name,
                media_type=doc.get("media_type"),
                charset=doc.get("charset"),
            ).to_json()
            check_agency(extraction, doc.get("agency"))
            fetched = {"document_id": doc["document_id"], "source": doc["url"], "source_name": doc["source"],
                       "agency": doc.get("agency"), "fetched_at": doc.get("fetched_at"), "size": doc.get("size"),
                       "media_type": doc.get("media_type")}
            line = {"fetched": fetched, "extraction": extraction, "extractor_version": EXTRACTOR_VERSION,
                    "extracted_at": _now()}
            handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            counter.tick(Path(doc["url"]).name)
    out.with_suffix(".tmp").replace(out)
    return str(out)


def check_agency(extraction: dict[str, Any], expected: str | None) -> None:
    """Record (as an issue) when the catalogue expects another agency than the document names."""
    found = (extraction.get("document") or {}).get("agency")
    if expected and found and found != expected:
        extraction.setdefault("issues", []).append({
            "code": "agency_mismatch", "severity": "warning",
            "message": f"the catalogue expects {expected}, the document names {found}",
        })


# --- load -------------------------------------------------------------------------------------------

def load(sources_file: str, warehouse: str, run_id: str, manifest_paths: list[str],
         extract_paths: list[str]) -> dict[str, Any]:
    """Create the run's building database: a copy of the published one (the published file itself is
    never written), with this run's fetch log added and fresh extractions replacing their documents.
    Returns counts for the run summary and whether the marts need rebuilding."""
    layout = Layout.at(warehouse)
    building = layout.building(run_id)
    building.unlink(missing_ok=True)
    manifests = _manifests(manifest_paths)
    extracted = [json.loads(line) for p in extract_paths for line in Path(p).read_text("utf-8").splitlines()]
    fingerprint = build_fingerprint()
    published_fingerprint = _published_rows(
        layout, "SELECT build_fingerprint FROM meta.runs WHERE status = 'published' ORDER BY finished_at DESC LIMIT 1")
    rebuild = bool(extracted) or published_fingerprint != [(fingerprint,)]
    if layout.warehouse.exists():
        shutil.copyfile(layout.warehouse, building)

    con = duckdb.connect(str(building))
    try:
        raw.create(con)
        raw.replace_documents(con, (raw.Extracted(e["fetched"], e["extraction"], e["extractor_version"],
                                                  e["extracted_at"]) for e in extracted))
        logged = raw.append_fetch_log(con, (row for m in manifests for row in m["log"]))
        failed = [(run_id, m["source"], m["error"]) for m in manifests if m["error"]]
        if failed:
            con.executemany("INSERT INTO meta.source_errors VALUES (?, ?, ?)", failed)
        seen = len(_documents(manifests))
        con.execute(
            "INSERT INTO meta.runs VALUES (?, ?, NULL, 'building', ?, ?, ?, ?, ?, NULL, ?)",
            [run_id, _run_info(layout, run_id).get("started_at"), str(Path(sources_file).resolve()),
             len(manifests), len(failed), seen, len(extracted), fingerprint],
        )
    finally:
        con.close()
    say(f"load: {len(extracted)} extracted documents, {logged} requests logged, {len(failed)} failed sources"
        + ("" if rebuild else "; nothing changed, the marts stay as published"))
    return {"documents_seen": seen, "documents_extracted": len(extracted), "failed_sources": len(failed),
            "rebuild": rebuild}


def build_fingerprint() -> str:
    """What the marts are a function of besides the raw rows: the dbt project, the quality suites and
    the extractor version. When neither it nor any document changed, the marts need no rebuild."""
    from extract import EXTRACTOR_VERSION

    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    roots = [REPO_ROOT / "dbt_project" / d for d in ("models", "macros", "seeds", "tests")]
    roots += [REPO_ROOT / "expectations", REPO_ROOT / "warehouse" / "validate.py"]
    for root in roots:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and path.suffix in {".sql", ".yml", ".csv", ".py"}:
                digest.update(str(path.relative_to(REPO_ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _run_info(layout: Layout, run_id: str) -> dict[str, Any]:
    path = layout.run_dir(run_id) / "run.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


# --- build, validate, publish -----------------------------------------------------------------------

def build(warehouse: str, run_id: str, loaded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    from warehouse.build import dbt_build

    if loaded is not None and not loaded.get("rebuild", True):
        say("dbt: skipped (no document and no model changed)")
        return {"skipped": True}
    layout = Layout.at(warehouse)
    result = dbt_build(layout.building(run_id), layout.run_dir(run_id) / "dbt")
    say(f"dbt: {result.models} models built, {result.tests} tests passed")
    return {"models": result.models, "tests": result.tests}


def validate(warehouse: str, run_id: str, built: Mapping[str, Any] | None = None) -> dict[str, Any]:
    if built is not None and built.get("skipped"):
        say("validate: skipped (the marts are the published ones, already validated)")
        return {"skipped": True}
    from warehouse.validate import validate_warehouse  # Great Expectations takes seconds to import

    layout = Layout.at(warehouse)
    report = validate_warehouse(layout.building(run_id), run_id=run_id, docs_dir=layout.run_data_docs(run_id))
    if report.structural_errors:
        raise StructuralFailure("; ".join(report.structural_errors))
    say(f"validate: {report.expectations_run} expectations, {report.expectations_failed} failed, "
        f"{report.rows_flagged} rows flagged")
    return {"expectations": report.expectations_run, "failed": report.expectations_failed,
            "rows_flagged": report.rows_flagged}


KEEP_RUNS = 10  # run folders (work files, dbt logs, Data Docs) kept beside the warehouse


def publish(warehouse: str, run_id: str) -> dict[str, Any]:
    from warehouse.publish import point_link, prune_runs, swap_in

    layout = Layout.at(warehouse)
    building = layout.building(run_id)
    con = duckdb.connect(str(building))
    try:
        con.execute("UPDATE meta.runs SET status = 'published', finished_at = ? WHERE run_id = ?", [_now(), run_id])
    finally:
        con.close()
    swap_in(building, layout.warehouse)
    docs = layout.run_data_docs(run_id)
    if docs.is_dir():  # not when validation was skipped: the published docs still describe these marts
        point_link(layout.data_docs, docs)
    info = _run_info(layout, run_id) | {"status": "published", "finished_at": _now()}
    _write_json(layout.run_dir(run_id) / "run.json", info)
    prune_runs(layout.runs, KEEP_RUNS, protect={layout.data_docs.resolve(), layout.run_dir(run_id).resolve()})
    say(f"publish: {layout.warehouse}; data docs: {layout.data_docs / 'index.html'}")
    return info


def record_failure(warehouse: str, run_id: str, message: str) -> None:
    """Note a failed run beside the warehouse (the published file is never written outside a publish)."""
    layout = Layout.at(warehouse)
    layout.building(run_id).unlink(missing_ok=True)
    info = _run_info(layout, run_id) | {"status": "failed", "finished_at": _now(), "message": message}
    _write_json(layout.run_dir(run_id) / "run.json", info)
