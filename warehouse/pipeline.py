"""The refresh, one function per step. The Airflow DAG calls these; so can a test, without a scheduler.

Steps hand each other small JSON-able values (names, file paths); bulk data moves through files in
the run's folder, so no two tasks ever write to one DuckDB file at once: only `load` writes the
building database, and only `build`, `validate` and `publish` after it, one at a time.

Every step runs under `_step`: it checks (and renews) the run's hold on the warehouse's refresh lock
(warehouse/lock.py, taken by `discover`), and a failure is noted, in one line, as the run's first cause,
which `record_failure` writes as the run's final state and `ogi status` shows. With a remote store the lock and
this record live in the store (warehouse/lock.py, warehouse/runrecord.py): a run's tasks may run on machines
that share no disk. The building database does not: `load` → `publish` run where it is (one Celery queue).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import shutil
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from warehouse import handoff, health, lock, raw, readonly, runrecord, runstore
from warehouse.clock import utc_now
from warehouse.layout import REPO_ROOT, Layout
from warehouse.progress import Counter, say
from warehouse.slots import task_count

if TYPE_CHECKING:
    from fetching.catalogue import Catalogue, Source
    from fetching.fetch import FetchedDocument, FetchLogEntry, Validator

# How a run's documents are split into extract tasks. A task has a fixed cost of about a second on a
# deployment (its process and imports, the extraction pool's start, the batch file): what one worker takes to
# read ~200 documents, so smaller batches spend more time starting than reading.
BATCH_SIZE = 200  # documents per extract task at least …
MAX_BATCHES = 16  # … and at most this many tasks, since each mapped task costs scheduler overhead …
# … and two per task slot of the deployment (warehouse/slots.py) …
MAX_BATCH_SIZE = 2_500  # … unless that makes a batch larger than this: its task holds it in memory to write it


T = TypeVar("T")


class StructuralFailure(RuntimeError):
    """The built marts break their contract (missing tables or columns, broken grain): not published."""


def first_error(layout: Layout, run_id: str) -> str | None:
    return runrecord.first_error(layout, run_id)


# What a build step returns when its run has already published: it was cleared or retried after the publish
# (by hand, or on a replaced worker whose disk has no building database). Nothing is redone, nothing is
# published twice, and the run ends as it was: published.
ALREADY_PUBLISHED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "load": lambda info: {"rebuild": False, "already_published": True},
    "build": lambda info: {"skipped": True},
    "validate": lambda info: {"skipped": True},
    "publish": lambda info: info,
}


def _step(name: str) -> Callable:
    """Run a pipeline step: renew the run's lock (every step but discover, which takes it) and note a
    failure as the run's first cause, in one line. A build step of a run that has already published does
    nothing (ALREADY_PUBLISHED); an earlier step of such a run redoes its own hand-offs without the lock,
    which the publish gave back (another run may hold it by now)."""

    def wrap(fn: Callable) -> Callable:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            arguments = signature.bind(*args, **kwargs).arguments
            layout, run_id = Layout.at(arguments["warehouse"]), arguments["run_id"]
            names = arguments.get("source_names") or ()
            part = (names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "") if names
                    else (arguments.get("batch") or [{}])[0].get("document_id", ""))
            task = f"{name}:{part}" if part else name
            try:
                published = name != "discover" and _run_info(layout, run_id).get("status") == "published"
                if published and name in ALREADY_PUBLISHED:
                    say(f"{name}: run {run_id} has already published; nothing to redo")
                    return ALREADY_PUBLISHED[name](_run_info(layout, run_id))
                if name != "discover" and not published:
                    lock.renew(layout, run_id)
                result = fn(*args, **kwargs)
            except Exception as exc:
                runrecord.note_failure(layout, run_id, task, health.one_line(name, exc, layout.building(run_id)))
                raise
            runrecord.clear_failure(layout, run_id, task)
            return result

        return run

    return wrap


def _published_rows(layout: Layout, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """Rows from the published warehouse (read-only); none when there is no warehouse yet."""
    if not runstore.fetch_published(layout):  # a remote store: its current publish, copied here first
        return []
    try:
        return readonly.rows(layout.warehouse, sql, params)
    except duckdb.CatalogException:
        return []


# --- discover ---------------------------------------------------------------------------------------

@_step("discover")
def discover(sources_file: str, warehouse: str, run_id: str, lock_owner: str | None = None) -> list[str]:
    """Take the warehouse's refresh lock (or adopt the one `ogi refresh` took for this run: `lock_owner`),
    check the published warehouse can be read, remove what crashed runs left, read and check the
    catalogue; return the names of its sources (one fetch task each)."""
    from fetching.catalogue import load_catalogue

    layout = Layout.at(warehouse)
    run_dir = layout.run_dir(run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    runrecord.reset(layout, run_id)  # a cleared and re-run DAG run starts afresh
    runrecord.write(layout, run_id, _run_info(layout, run_id) | {
        "run_id": run_id, "sources_file": str(Path(sources_file).resolve()), "started_at": utc_now(),
        "status": "running", "pid": os.getpid()})
    lock.acquire(layout, lock_owner or f"run:{run_id}", run_id)
    health.check_published(layout)  # damaged, or held read-write by another program: stop now, in one line
    catalogue = load_catalogue(Path(sources_file))
    for stale in layout.root.glob(f".{layout.warehouse.name}.*.building*"):
        if not stale.name.startswith(layout.building(run_id).name):
            stale.unlink()  # a crashed run's leftovers (we hold the lock); the published file was never touched
    say(f"discover: {len(catalogue.sources)} sources in {sources_file}")
    return [source.name for source in catalogue.sources]


# --- fetch ------------------------------------------------------------------------------------------

@_step("fetch")
def fetch_sources(sources_file: str, warehouse: str, run_id: str, source_names: list[str]) -> list[str]:
    """Fetch a group of sources (one fetch task) into the raw store; write each one's manifest (documents +
    request log) and return the manifests' URIs, in order. A source that fails records its error; it never
    fails the run. The validators of what the published warehouse already holds are read once for the group:
    opening the published file costs ~25 ms, once per source 1 s of a 10k-document no-change refresh."""
    from fetching.catalogue import load_catalogue
    from fetching.fetch import Validator

    layout = Layout.at(warehouse)
    catalogue = load_catalogue(Path(sources_file))
    known: dict[str, dict[str, Validator]] = {name: {} for name in source_names}
    for source_name, url, etag, last_modified, document_id in _published_rows(
        layout,
        """SELECT source_name, url, arg_max(etag, fetched_at), arg_max(last_modified, fetched_at),
                  arg_max(document_id, fetched_at)
           FROM raw.fetch_log WHERE list_contains(?, source_name) AND document_id IS NOT NULL
           GROUP BY source_name, url""",
        [list(source_names)],
    ):
        known[source_name][url] = Validator(etag=etag, last_modified=last_modified, document_id=document_id)
    by_name = {source.name: source for source in catalogue.sources}
    return [_fetch_source(layout, catalogue, by_name[name], run_id, known[name]) for name in source_names]


def fetch(sources_file: str, warehouse: str, run_id: str, source_name: str) -> str:
    """One source's fetch (fetch_sources for a group of one): its manifest's URI."""
    return fetch_sources(sources_file, warehouse, run_id, [source_name])[0]


def _fetch_source(layout: Layout, catalogue: Catalogue, source: Source, run_id: str,
                  known: dict[str, Validator]) -> str:
    from fetching.fetch import fetch_source
    from fetching.store import RawStore

    source_name = source.name
    try:
        result = fetch_source(source, catalogue.settings, RawStore(layout.store), run_id=run_id, known=known)
        manifest = {
            "source": source_name,
            "error": result.error,
            "documents": [_fields(d) for d in result.documents],
            "log": [_fields(e) for e in result.log],
        }
    except Exception as exc:  # noqa: BLE001 — one broken source must not stop the others
        manifest = {"source": source_name, "error": f"{type(exc).__name__}: {exc}", "documents": [], "log": []}
        traceback.print_exc()
    status = f"error: {manifest['error']}" if manifest["error"] else "ok"
    say(f"fetch {source_name}: {len(manifest['documents'])} documents, {len(manifest['log'])} requests, {status}")
    # Hand-offs go through the store (OGI_STORAGE; by default this folder): the bytes, then the manifest's URI.
    runstore.put_blobs(layout, layout.store, [d["document_id"] for d in manifest["documents"]])
    return runstore.put_json(layout, layout.run_dir(run_id) / "fetch" / f"{source_name}.json", manifest)


def _fields(record: FetchedDocument | FetchLogEntry) -> dict[str, Any]:
    """A fetch record as a dict. Its fields are all scalars, so a shallow copy is dataclasses.asdict's result,
    without the generic deep copy that was a quarter of a no-change fetch task."""
    return dict(vars(record))


def _manifests(paths: Iterable[str]) -> list[dict[str, Any]]:
    return runstore.read_json(paths)  # URIs (or paths); a missing one fails the task


def _documents(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct documents of the run (one per content), first seen first."""
    seen: dict[str, dict[str, Any]] = {}
    for manifest in manifests:
        for doc in manifest["documents"]:
            seen.setdefault(doc["document_id"], doc)
    return list(seen.values())


# --- plan + extract ---------------------------------------------------------------------------------

@_step("plan")
def plan_extraction(warehouse: str, run_id: str, manifest_paths: list[str],
                    slots: int | None = None) -> list[list[dict[str, Any]]]:
    """Batches of the documents that need extracting: new content, or content last extracted by
    another extractor version. Unchanged documents keep their published extraction. `slots`: how many
    tasks the deployment runs at once (its parallelism), when known."""
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
    return split_batches(todo, slots)


def split_batches(todo: list[T], slots: int | None = None) -> list[list[T]]:
    """`todo` in order, cut into batches of equal size (the last one shorter): at least BATCH_SIZE each, and
    at most MAX_BATCHES of them, or two per slot when the deployment's slots are known (slots.task_count) — as
    long as none holds more than MAX_BATCH_SIZE."""
    tasks = task_count(slots, MAX_BATCHES)
    size = min(MAX_BATCH_SIZE, max(BATCH_SIZE, -(-len(todo) // tasks)))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def _fetched(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"document_id": doc["document_id"], "source": doc["url"], "source_name": doc.get("source"),
            "agency": doc.get("agency"), "fetched_at": doc.get("fetched_at"), "size": doc.get("size"),
            "media_type": doc.get("media_type")}


@_step("extract")
def extract_batch(warehouse: str, run_id: str, batch: list[dict[str, Any]]) -> str:
    """Extract a batch of stored documents into one Parquet hand-off file (one row per document, see
    warehouse/handoff.py); return its URI. Each document is read in a worker process under a time and a
    memory limit (extract/sandbox.py): one that exceeds them gets a `timeout` / `too_large` issue and the
    rest of the batch is extracted."""
    from extract import EXTRACTOR_VERSION
    from extract.sandbox import ExtractionPool, Job, Limits
    from fetching.store import RawStore

    layout = Layout.at(warehouse)
    store = RawStore(layout.store)
    out = layout.run_dir(run_id) / "extract" / f"{batch[0]['document_id'][:16]}.parquet"
    counter = Counter("extract", len(batch))
    by_id = {doc["document_id"]: doc for doc in batch}
    runstore.get_blobs(layout, layout.store, by_id)  # on a fresh worker: from the store, or fail loudly
    jobs = (Job(key=doc["document_id"], source=doc["url"], path=str(store.path(doc["document_id"])),
                filename=Path(doc["url"].split("?")[0]).name, media_type=doc.get("media_type"),
                charset=doc.get("charset")) for doc in batch)

    def records(pool: ExtractionPool) -> Iterator[dict[str, Any]]:
        for outcome in pool.run(jobs):
            doc = by_id[outcome.key]
            check_agency(outcome.extraction, doc.get("agency"))
            yield {"fetched": _fetched(doc), "extraction": outcome.extraction,
                   "extractor_version": EXTRACTOR_VERSION, "extracted_at": utc_now()}
            counter.tick(Path(doc["url"]).name + (f" ({outcome.killed})" if outcome.killed else ""))

    with ExtractionPool(Limits.from_env()) as pool:
        handoff.write_batch(out, records(pool))  # written as the documents come, while the next are read
    return runstore.put_file(layout, out)


def check_agency(extraction: dict[str, Any], expected: str | None) -> None:
    """Record (as an issue) when the catalogue expects another agency than the document names."""
    found = (extraction.get("document") or {}).get("agency")
    if expected and found and found != expected:
        extraction.setdefault("issues", []).append({
            "code": "agency_mismatch", "severity": "warning",
            "message": f"the catalogue expects {expected}, the document names {found}",
        })


# --- load -------------------------------------------------------------------------------------------

LOAD_MEMORY = "512MB"  # DuckDB's memory limit while loading (the building file's own buffers included)
PREVIOUS_FIGURES = "meta.previous_figures"  # the chosen figures of the published marts, for the change check


def _snapshot_previous_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the published marts' chosen figures for the expectation `changes.chosen_figures_stable`
    (expectations/changes.py, via int_chosen_figure_changes). Read from the table facts_long, which holds
    exactly the chosen figures as published, not from the view int_facts_chosen: the view would see this
    run's rows once loaded, and recomputing it costs ~1.4 s at 10k documents."""
    con.execute(f"DELETE FROM {PREVIOUS_FIGURES}")  # raw.create made it
    try:
        con.execute(f"""INSERT INTO {PREVIOUS_FIGURES}
                        SELECT agency_id, agency_name, report_year, document_id,
                               metric_group || '.' || metric_key, applicant, value
                        FROM marts.facts_long""")
    except duckdb.Error:
        pass  # no marts published yet (or built by a project without that table): nothing to compare with


@_step("load")
def load(sources_file: str, warehouse: str, run_id: str, manifest_paths: list[str],
         extract_paths: list[str]) -> dict[str, Any]:
    """Create the run's building database: a copy of the published one (the published file itself is
    never written), with this run's fetch log and catalogue entries added and fresh extractions replacing
    their documents, read by DuckDB straight from the Parquet batches (warehouse/handoff.py). A document the
    extract task could not write comes quarantined (kept with its reason, no facts); an unreadable batch is
    skipped and the others load. Returns counts for the run summary and whether the marts need rebuilding."""
    from fetching.catalogue import load_catalogue

    layout = Layout.at(warehouse)
    building = layout.building(run_id)
    building.unlink(missing_ok=True)
    manifests = _manifests(manifest_paths)
    catalogue = load_catalogue(Path(sources_file))
    batches = runstore.local_files(layout, extract_paths)  # on a fresh worker: from the store, or fail loudly
    fingerprint = build_fingerprint()
    published_fingerprint = _published_rows(
        layout, "SELECT build_fingerprint FROM meta.runs WHERE status = 'published' ORDER BY finished_at DESC LIMIT 1")
    rebuild = published_fingerprint != [(fingerprint,)]
    if runstore.fetch_published(layout):  # never build from an empty database when one is published
        shutil.copyfile(layout.warehouse, building)

    # DuckDB spills to a file beside the building one beyond this, so load's memory stays the same however
    # many documents a run loads (measured at 10k documents: 0.74 GB without the limit, 0.56 GB with it).
    con = duckdb.connect(str(building), config={"memory_limit": LOAD_MEMORY})
    try:
        raw.create(con)
        provenance = "SELECT source_name, agencies, allow_other_agencies FROM raw.sources ORDER BY 1"
        before = con.execute(provenance).fetchall()
        raw.record_sources(con, catalogue.sources, catalogue=str(Path(sources_file).resolve()), run_id=run_id)
        rebuild = rebuild or con.execute(provenance).fetchall() != before  # who may report for whom changed
        loaded = handoff.load_batches(con, batches, run_id)
        for batch, reason in loaded.skipped:  # its documents are extracted again by the next refresh
            say(f"load: skipped {Path(batch).name}: {reason}")
        for doc_id, reason in loaded.quarantined:
            say(f"load: quarantined {doc_id[:16]}: {reason}")
        rebuild = rebuild or bool(loaded.extracted or loaded.quarantined)
        if rebuild:  # else the marts, and the snapshot their change check was built from, stay as published
            _snapshot_previous_figures(con)
        logged = raw.append_fetch_log(con, (row for m in manifests for row in m["log"]))
        failed = [(run_id, m["source"], m["error"]) for m in manifests if m["error"]]
        if failed:
            con.executemany("INSERT INTO meta.source_errors VALUES (?, ?, ?)", failed)
        seen = len(_documents(manifests))
        con.execute(
            "INSERT INTO meta.runs VALUES (?, ?, NULL, 'building', ?, ?, ?, ?, ?, NULL, ?)",
            [run_id, _run_info(layout, run_id).get("started_at"), str(Path(sources_file).resolve()),
             len(manifests), len(failed), seen, loaded.extracted, fingerprint],
        )
    finally:
        con.close()
    say(f"load: {loaded.extracted} extracted documents, {len(loaded.quarantined)} quarantined, "
        f"{len(loaded.skipped)} batches skipped, {logged} requests logged, "
        f"{len(failed)} failed sources"
        + ("" if rebuild else "; nothing changed, the marts stay as published"))
    return {"documents_seen": seen, "documents_extracted": loaded.extracted, "failed_sources": len(failed),
            "quarantined": len(loaded.quarantined), "rebuild": rebuild}


def load_if_changed(sources_file: str, warehouse: str, run_id: str, manifest_paths: list[str],
                    extract_paths: list[str]) -> dict[str, Any] | None:
    """`load`, returning None when the marts need no rebuild: the DAG then skips build and validate."""
    loaded = load(sources_file, warehouse, run_id, manifest_paths, extract_paths)
    return loaded if loaded.get("rebuild", True) else None


def build_fingerprint() -> str:
    """What the marts are a function of besides the raw rows: the dbt project, the quality suites and
    the extractor version. When neither it nor any document changed, the marts need no rebuild."""
    from extract import EXTRACTOR_VERSION

    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    from warehouse.resources import dbt_project_dir

    project = dbt_project_dir()  # raises when missing: an empty model set would hide every model change
    roots = [project / d for d in ("models", "macros", "seeds", "tests")]
    roots += [REPO_ROOT / "expectations", REPO_ROOT / "warehouse" / "validate.py"]
    for root in roots:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and path.suffix in {".sql", ".yml", ".csv", ".py"}:
                digest.update(str(path.relative_to(REPO_ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _run_info(layout: Layout, run_id: str) -> dict[str, Any]:
    """run.json: in the store when it is remote (written by a task on another worker), else beside the warehouse."""
    return runrecord.read(layout, run_id)


# --- build, validate, publish -----------------------------------------------------------------------

# The dbt models that read quality.validation_results (the fact marts with their verdict, agency_year,
# facts_long, region_year) and their tests: built by `validate` once GX has written the results, so the
# verdict is a dbt model's output and nothing writes into a dbt-built table.
AFTER_VALIDATION = "source:quality+"


@_step("build")
def build(warehouse: str, run_id: str, loaded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    from warehouse.build import dbt_build

    if loaded is not None and not loaded.get("rebuild", True):
        say("dbt: skipped (no document and no model changed)")
        return {"skipped": True}
    layout = Layout.at(warehouse)
    # Everything but the models over the validation results: those are built by `validate`, after it.
    result = dbt_build(layout.building(run_id), layout.run_dir(run_id) / "dbt", exclude=AFTER_VALIDATION,
                       parse_cache=layout.dbt_parse)
    say(f"dbt: {result.models} models built, {result.tests} tests passed")
    return {"models": result.models, "tests": result.tests}


@_step("validate")
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
    from warehouse.build import dbt_build

    marts = dbt_build(layout.building(run_id), layout.run_dir(run_id) / "dbt_marts", select=AFTER_VALIDATION,
                      parse_cache=layout.dbt_parse)
    say(f"dbt: {marts.models} models over the validation results built, {marts.tests} tests passed")
    return {"expectations": report.expectations_run, "failed": report.expectations_failed,
            "rows_flagged": report.rows_flagged}


KEEP_RUNS = 10  # run folders (work files, dbt logs, Data Docs) kept beside the warehouse


@_step("publish")
def publish(warehouse: str, run_id: str) -> dict[str, Any]:
    from warehouse.publish import point_link, prune_runs, swap_in

    layout = Layout.at(warehouse)
    building = layout.building(run_id)
    if _swapped_in(layout, run_id):  # a retry after the swap (the task died before the record said so)
        say(f"publish: run {run_id} is already the published warehouse; finishing its bookkeeping")
    else:
        if building.is_file():
            con = duckdb.connect(str(building))
            try:
                con.execute("UPDATE meta.runs SET status = 'published', finished_at = ? WHERE run_id = ?",
                            [utc_now(), run_id])
            finally:
                con.close()
            swap_in(building, layout.warehouse)
        elif not _local_is(layout, run_id):  # never publish a database made up here from nothing
            raise runstore.MissingInput(f"missing input: the run's building database {building} (load → "
                                        "publish must run on one worker: Celery queue ogi_build)")
        runstore.publish_to_store(layout, run_id)  # a remote store: new object + the pointer readers follow
    # From here on the run IS published, whatever fails next: the state says so first.
    info = _run_info(layout, run_id) | {"status": "published", "finished_at": utc_now()}
    runrecord.write(layout, run_id, info)
    docs = layout.run_data_docs(run_id)
    report = layout.report
    if docs.is_dir():  # validated here: the marts are new
        point_link(layout.data_docs, docs)
        _publish_report(layout, run_id)
    elif report.is_dir():  # not rebuilt: the published Data Docs and report still describe these marts
        say(f"report: {report / 'index.html'} (the marts are unchanged)")
    else:
        _publish_report(layout, run_id)
    # The run folders the two links point into stay, however many runs since left the marts unchanged.
    linked = {link.resolve().parent for link in (layout.data_docs, report) if link.exists()}
    prune_runs(layout.runs, KEEP_RUNS, protect=linked | {layout.run_dir(run_id).resolve()})
    lock.release(layout, run_id=run_id)
    say(f"publish: {layout.warehouse}; data docs: {layout.data_docs / 'index.html'}")
    return info


def _publish_report(layout: Layout, run_id: str) -> None:
    """Rebuild the charts and quality report (`ogi report`) from the file just published, into the run's
    folder, and switch the `report` link to it. The warehouse is already published: a report that fails
    to build is said, not raised."""
    from warehouse.publish import point_link
    from warehouse.report import build_site

    try:
        index = build_site(layout.warehouse, layout.run_report(run_id))
        point_link(layout.report, index.parent)
        say(f"report: {layout.report / 'index.html'}")
    except Exception as exc:  # noqa: BLE001 — the publish stands; the report is rebuilt by `ogi report`
        say(f"report: not rebuilt ({type(exc).__name__}: {exc}); run `ogi report`")


def _local_is(layout: Layout, run_id: str) -> bool:
    """Whether this worker's warehouse file is the one `run_id` built and marked published (swapped in here)."""
    try:
        return layout.warehouse.is_file() and bool(readonly.rows(
            layout.warehouse, "SELECT 1 FROM meta.runs WHERE run_id = ? AND status = 'published'", [run_id]))
    except duckdb.Error:
        return False


def _swapped_in(layout: Layout, run_id: str) -> bool:
    """Whether the store already publishes `run_id`'s build: the pointer names it (remote store), or the
    published file is it (the store is this folder)."""
    if runstore.remote_store(layout) is not None:
        return runstore.published_version(layout) == run_id
    return _local_is(layout, run_id)


def published_run(layout: Layout, run_id: str) -> bool:
    """Whether the published warehouse is the one `run_id` built (its swap happened)."""
    try:
        return bool(_published_rows(layout, "SELECT 1 FROM meta.runs WHERE run_id = ? AND status = 'published'",
                                    [run_id]))
    except duckdb.Error:
        return False


def record_failure(warehouse: str, run_id: str, message: str | None = None) -> dict[str, Any]:
    """Write the run's final state beside the warehouse: `failed` with its first cause in one line (the
    published file is never written outside a publish) — or `published` when the swap did happen and
    only a later step failed. Removes the run's building file and gives the lock back."""
    layout = Layout.at(warehouse)
    for leftover in layout.root.glob(layout.building(run_id).name + "*"):
        leftover.unlink(missing_ok=True)
    cause = first_error(layout, run_id) or message or "a step failed (no cause recorded: see the Airflow log)"
    if published_run(layout, run_id):
        info = _run_info(layout, run_id) | {"status": "published", "note": f"after publishing: {cause}"}
    else:
        info = _run_info(layout, run_id) | {"status": "failed", "finished_at": utc_now(), "message": cause}
    try:
        runrecord.write(layout, run_id, info)
    finally:
        lock.release(layout, run_id=run_id)
    return info
