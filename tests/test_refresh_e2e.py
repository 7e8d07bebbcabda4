"""The refresh end to end, through Airflow, on the bundled sample corpus.

One module-scoped warehouse: a first refresh builds it; the later tests refresh it again (nothing
changed) while a reader process keeps reading, and break a structural check on purpose.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sqlite3
import time
from pathlib import Path

import duckdb
import pytest
from gold_known import KNOWN_MISSES
from sample_warehouse import SAMPLE_DOCUMENTS

from warehouse import pipeline, runstore
from warehouse.cli import main as ogi
from warehouse.layout import Layout
from warehouse.readonly import rows as query

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "samples" / "sources.yaml"
GOLD = REPO / "samples" / "gold"
MARTS = ("fct_requests", "fct_appeals", "fct_publications", "dim_agency", "dim_document")


def _marts_digest(warehouse: Path) -> dict[str, str]:
    """A digest of every mart's full content, in a stable order."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        digests = {}
        for table in MARTS:
            rows = con.execute(f"SELECT * FROM marts.{table} ORDER BY ALL").fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wh") / "ogi.duckdb"
    assert ogi(["refresh", "--sources", str(SOURCES), "--warehouse", str(path)]) == 0
    return path


def test_marts_hold_the_hangzhou_construction_committee_2023(warehouse):
    rows = query(warehouse, """
        SELECT new_received, carried_over, closed_total, carried_forward, balance_ok
        FROM marts.fct_requests
        WHERE agency_name = '杭州市城乡建设委员会' AND report_year = 2023 AND applicant = 'total'""")
    assert rows == [(615, 12, 591, 36, True)]
    appeals = query(warehouse, """SELECT reconsideration_total, reconsideration_upheld, litigation_total,
                                          litigation_upheld FROM marts.fct_appeals
                                   WHERE agency_name = '杭州市城乡建设委员会' AND report_year = 2023""")
    assert appeals == [(3, 2, 7, 6)]


def test_every_sample_document_is_in_dim_document(warehouse):
    documents = [p for p in (REPO / "samples" / "corpus").rglob("*") if p.is_file() and p.name != "SOURCES.md"]
    ids = {hashlib.sha256(p.read_bytes()).hexdigest() for p in documents}
    assert {r[0] for r in query(warehouse, "SELECT document_id FROM marts.dim_document")} == ids


def test_one_chosen_document_per_agency_year(warehouse):
    rows = query(warehouse, """SELECT agency_name, report_year, count(*) FILTER (WHERE is_chosen), count(*)
                                FROM marts.dim_document WHERE report_year IS NOT NULL AND agency_name IS NOT NULL
                                  AND kind IN ('annual_report', 'work_summary') GROUP BY ALL""")
    assert all(chosen == 1 for _, _, chosen, _ in rows)
    huaian = [r for r in rows if r[0] == "淮安市人民政府" and r[1] == 2024]
    assert huaian == [("淮安市人民政府", 2024, 1, 2)]  # the PDF and its text-layer fragment


def test_gold_figures_the_extractor_covers_appear_in_the_marts(warehouse):
    """Every gold fact of a chosen document that the extractor read lands in its mart column."""
    checked = 0
    missing = []
    for gold_file in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        name = gold_file.name.removesuffix(".json")
        chosen = query(warehouse, """SELECT d.document_id, d.agency_id, d.report_year FROM marts.dim_document d
                                      WHERE d.source LIKE ? AND d.is_chosen""", [f"%/{name}"])
        if not chosen:
            continue
        doc_id, agency_id, year = chosen[0]
        extracted = {(m, a) for m, a in query(
            warehouse, "SELECT metric, applicant FROM raw.facts WHERE document_id = ?", [doc_id])}
        for key, value in gold["facts"].items():
            if key in KNOWN_MISSES.get(name, {}).get("facts", ()):
                continue  # read otherwise, and pinned as such in tests/gold_known.py
            metric, _, applicant = key.partition("@")
            applicant = applicant or "total"
            if (metric, applicant) not in extracted:
                continue
            group, column = metric.split(".")
            where = "agency_id = ? AND report_year = ?" + (" AND applicant = ?" if group == "requests" else "")
            params = [agency_id, year] + ([applicant] if group == "requests" else [])
            got = query(warehouse, f"SELECT {column} FROM marts.fct_{group} WHERE {where}", params)
            checked += 1
            if not got or got[0][0] is None or abs(float(got[0][0]) - float(value)) > 1e-6:
                missing.append((name, key, value, got))
    assert missing == []
    assert checked > 300  # huaian alone has 200 gold facts


def test_quality_results_and_data_docs(warehouse):
    (runs,) = query(warehouse, "SELECT count(DISTINCT run_id) FROM quality.validation_results")[0]
    assert runs >= 1
    statuses = {r[0] for r in query(warehouse, "SELECT DISTINCT quality_status FROM marts.fct_requests")}
    assert statuses <= {"passed", "failed", "no_figures"} and "passed" in statuses
    assert (Layout.at(warehouse).data_docs / "index.html").exists()


def test_query_and_status_commands(warehouse, capsys):
    sql = ("SELECT agency_name, new_received FROM marts.fct_requests WHERE applicant = 'total' "
           "AND agency_name = '杭州市城乡建设委员会'")
    assert ogi(["query", sql, "--warehouse", str(warehouse), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["agency_name,new_received", "杭州市城乡建设委员会,615"]
    assert ogi(["query", "SELECT * FROM nowhere", "--warehouse", str(warehouse)]) == 2
    assert "query failed" in capsys.readouterr().err
    assert ogi(["query", "CREATE TABLE x (i INT)", "--warehouse", str(warehouse)]) == 2  # read-only
    assert ogi(["status", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "last published run" in out and "quality:" in out


def _reader(path: str, expected: dict, stop, reads, errors) -> None:
    while not stop.is_set():
        try:
            digest = _marts_digest(Path(path))
            if digest != expected:
                errors.append(f"marts differ mid-refresh: {digest}")
            reads.append(len(query(Path(path), "SELECT run_id FROM meta.runs")))
        except Exception as exc:  # a reader must never fail while a refresh runs
            errors.append(repr(exc))
        time.sleep(0.05)


def test_second_refresh_extracts_nothing_gives_identical_marts_and_readers_never_see_a_partial_one(warehouse):
    before = _marts_digest(warehouse)
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    stop, reads, errors = manager.Event(), manager.list(), manager.list()
    reader = ctx.Process(target=_reader, args=(str(warehouse), before, stop, reads, errors))
    reader.start()
    try:
        assert ogi(["refresh", "--sources", str(SOURCES), "--warehouse", str(warehouse)]) == 0
        time.sleep(0.5)
    finally:
        stop.set()
        reader.join(30)
    assert list(errors) == []
    assert len(reads) > 5 and set(reads) == {1, 2}  # read the old warehouse, then the new one
    assert _marts_digest(warehouse) == before
    runs = query(warehouse, "SELECT documents_seen, documents_extracted FROM meta.runs ORDER BY started_at")
    assert runs[0][1] == runs[0][0] == SAMPLE_DOCUMENTS and runs[1] == (SAMPLE_DOCUMENTS, 0)
    # Nothing changed: load said so, and Airflow skipped build and validate without running them.
    assert _task_states(warehouse)[-1] == {
        "discover": "success", "fetch": "success", "plan": "success", "extract": "skipped", "load": "success",
        "build": "skipped", "validate": "skipped", "publish": "success", "record_failure": "skipped"}
    # The published Data Docs and report still describe the marts, and both links still resolve into the
    # first run's folder, which pruning keeps however many unchanged runs follow.
    first_run = _task_states_run_ids(warehouse)[0]
    layout = Layout.at(warehouse)
    for link in (layout.data_docs, layout.report):
        assert (link / "index.html").is_file() and link.resolve().parent == layout.run_dir(first_run).resolve()
    assert f"marts of run {first_run}" in (layout.report / "index.html").read_text(encoding="utf-8")


def _airflow_rows(warehouse: Path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(Layout.at(warehouse).airflow_home / "airflow.db")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _task_states_run_ids(warehouse: Path) -> list[str]:
    return [r for (r,) in _airflow_rows(warehouse, "SELECT run_id FROM dag_run ORDER BY start_date")]


def _task_states(warehouse: Path) -> list[dict[str, str]]:
    """Per DAG run (oldest first): each task's state (a mapped task's, when all its instances agree)."""
    states = []
    for run_id in _task_states_run_ids(warehouse):
        rows = _airflow_rows(warehouse, "SELECT task_id, state FROM task_instance WHERE run_id = ?", (run_id,))
        by_task: dict[str, set[str]] = {}
        for task_id, state in rows:
            by_task.setdefault(task_id, set()).add(str(state))
        states.append({task: "/".join(sorted(s)) for task, s in by_task.items()})
    return states


def test_one_fetch_task_fetches_its_group_of_sources_as_each_source_alone(warehouse):
    """A fetch task reads what the published warehouse holds once for its whole group of sources: every
    source still gets its own validators (all the corpus's documents are known unchanged), as a fetch of one source."""
    run_id = "manual__group_fetch_test"
    names = pipeline.discover(str(SOURCES), str(warehouse), run_id)
    try:
        grouped = runstore.read_json(pipeline.fetch_sources(str(SOURCES), str(warehouse), run_id, names))
        alone = runstore.read_json([pipeline.fetch(str(SOURCES), str(warehouse), run_id, name) for name in names])
    finally:
        pipeline.record_failure(str(warehouse), run_id, "test run: fetch only")
    assert [m["source"] for m in grouped] == names
    documents = [(d["document_id"], d["unchanged"]) for m in grouped for d in m["documents"]]
    assert documents == [(d["document_id"], d["unchanged"]) for m in alone for d in m["documents"]]
    assert len({doc_id for doc_id, _ in documents}) == SAMPLE_DOCUMENTS and all(unchanged for _, unchanged in documents)


def test_structural_failure_leaves_the_published_warehouse_untouched(warehouse, tmp_path):
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    run_id = "manual__structural_failure_test"
    names = pipeline.discover(str(SOURCES), str(warehouse), run_id)
    manifests = [pipeline.fetch(str(SOURCES), str(warehouse), run_id, name) for name in names]
    batches = pipeline.plan_extraction(str(warehouse), run_id, manifests)
    assert batches == []  # nothing changed since the fixture's refresh
    pipeline.load(str(SOURCES), str(warehouse), run_id, manifests, [])
    pipeline.build(str(warehouse), run_id)
    building = Layout.at(warehouse).building(run_id)
    con = duckdb.connect(str(building))
    # the fact rows validation reads (the marts with their verdict are built after it)
    con.execute("CREATE OR REPLACE TABLE intermediate.int_requests_agency_year AS "
                "SELECT * EXCLUDE (closed_total) FROM marts.fct_requests")
    con.close()
    with pytest.raises(pipeline.StructuralFailure, match="closed_total"):
        pipeline.validate(str(warehouse), run_id)
    pipeline.record_failure(str(warehouse), run_id, "structural failure (test)")
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert not building.exists()
    assert query(warehouse, "SELECT count(*) FROM marts.fct_requests")[0][0] > 0
