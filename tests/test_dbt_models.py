"""The dbt project, built for real on a raw database made from the gold files (no extractor involved).

One `dbt build` per module (module-scoped fixture): seeds, staging/intermediate views, mart tables and
every dbt test; the tests below then read the marts as a user would.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from gold_raw import FETCHED_AT, build_raw_from_gold, write_gold_document

from extract import metrics
from warehouse.readonly import rows as query

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "dbt_project"
GOLD = REPO / "samples" / "gold"
CORPUS = REPO / "samples" / "corpus"
AMOUNTS = {"fees_amount_wan_yuan", "procurement_amount_wan_yuan", "processing_fees_yuan"}
HUAIAN = ("淮安市人民政府", 2024)
GOVOFFICE = ("杭州市人民政府办公厅", 2024)
FRAGMENT_FETCHED_AT = "2025-02-01 00:00:00"  # after the PDF (FETCHED_AT): the PDF must win on its facts
CORRECTED_AT = "2025-03-01 00:00:00"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_metric_keys", PROJECT / "scripts" / "gen_metric_keys.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the generated files restate metrics.yaml ----------------------------------------------------------

def test_metric_keys_seed_matches_metrics_yaml():
    with open(PROJECT / "seeds" / "metric_keys.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [f"{r['metric_group']}.{r['metric_key']}" for r in rows] == metrics.all_metrics()
    vocabulary = metrics.vocabulary()
    assert all(r["label"] == vocabulary[r["metric_group"]][r["metric_key"]] for r in rows)
    for group in metrics.GROUPS:
        positions = [int(r["position"]) for r in rows if r["metric_group"] == group]
        assert positions == list(range(1, len(metrics.keys(group)) + 1))
    assert {r["metric_key"] for r in rows if r["is_amount"] == "true"} == AMOUNTS
    assert all(r["description"] for r in rows)


def test_generated_yml_blocks_are_up_to_date():
    stale = [path.name for path, content in _generator().targets().items()
             if path.read_text(encoding="utf-8") != content]
    assert stale == [], "run: .venv/bin/python dbt_project/scripts/gen_metric_keys.py"


def test_generator_rewrites_a_marked_block_at_its_indentation():
    text = "cols:\n    # >>> generated: applicants\n    - stale\n    # <<< generated: applicants\nrest: 1\n"
    rendered = _generator().render_yml(text)
    assert rendered.splitlines()[2:4] == ["    - natural_person", "    - commercial_enterprise"]
    assert "stale" not in rendered and rendered.endswith("    # <<< generated: applicants\nrest: 1\n")


# --- the build ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Build:
    database: Path
    results: list  # dbt RunResult objects
    seconds: float


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Build:
    from dbt.cli.main import dbtRunner

    work = tmp_path_factory.mktemp("dbt")
    database = work / "building.duckdb"
    build_raw_from_gold(database, GOLD, CORPUS,
                        expected_agencies={"pdf_layer_fragment_2024.txt": "淮安市人民政府"},
                        fetched_at={"pdf_layer_fragment_2024.txt": FRAGMENT_FETCHED_AT})
    _republish_govoffice_2024_corrected(database)
    _add_extraction_checks(database)
    args = ["build", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-use-colors"]
    saved = os.environ.get("OGI_DBT_DATABASE")
    os.environ["OGI_DBT_DATABASE"] = str(database)
    try:
        started = time.perf_counter()
        outcome = dbtRunner().invoke(args)
        seconds = time.perf_counter() - started
    finally:
        if saved is None:
            os.environ.pop("OGI_DBT_DATABASE", None)
        else:
            os.environ["OGI_DBT_DATABASE"] = saved
    _release_database()
    assert outcome.exception is None, outcome.exception
    return Build(database, list(outcome.result.results), seconds)


def _republish_govoffice_2024_corrected(database: Path) -> None:
    """The 杭州市人民政府办公厅 2024 page served again later with other bytes at the same URL: 新受理 corrected
    from 227 to 225 (答复 229 → 227, so the balance still holds) and the lawsuit clause dropped, so the
    current content states fewer facts (5) than the superseded one (6)."""
    path = CORPUS / "real" / "hangzhou_govoffice_2024.txt"
    text = path.read_text(encoding="utf-8")
    stated = "新受理政府信息公开申请件227件,上年结转18件;按规定在法定期限内答复229件"
    assert stated in text and "行政复议10件、行政诉讼3件。" in text
    corrected = text.replace(stated, stated.replace("227", "225").replace("229", "227")).replace(
        "行政复议10件、行政诉讼3件。", "行政复议10件。")
    gold = json.loads((GOLD / "hangzhou_govoffice_2024.txt.json").read_text(encoding="utf-8"))
    facts = {key: value for key, value in gold["facts"].items() if key != "appeals.litigation_total"}
    facts |= {"requests.new_received": 225, "requests.closed_total": 227}
    con = duckdb.connect(str(database))
    try:
        write_gold_document(con, path, corrected.encode("utf-8"), {**gold, "facts": facts}, fetched_at=CORRECTED_AT)
    finally:
        con.close()


def _add_extraction_checks(database: Path) -> None:
    """The extractor's arithmetic on 淮安市人民政府 2024 as the record contract gives it: the balance of the
    total column held (its four figures verified), the outcomes of the natural_person column did not (its
    closed_total in conflict)."""
    con = duckdb.connect(str(database))
    try:
        (doc,) = con.execute("SELECT document_id FROM raw.documents WHERE source LIKE '%huaian_city_2024.pdf'"
                             ).fetchone()
        con.execute("""UPDATE raw.facts SET confidence = 'verified' WHERE document_id = ? AND applicant = 'total'
                       AND metric IN ('requests.new_received', 'requests.carried_over', 'requests.closed_total',
                                      'requests.carried_forward')""", [doc])
        con.execute("""UPDATE raw.facts SET confidence = 'conflict' WHERE document_id = ?
                       AND applicant = 'natural_person' AND metric = 'requests.closed_total'""", [doc])
        con.execute("INSERT INTO raw.extraction_issues VALUES (?, 'warning', 'bad_cell', 'table 三: cell x')", [doc])
        con.execute("""INSERT INTO raw.checks VALUES
                       (?, 'requests.balance@total', true, '{"new_received": 3119, "carried_over": 34}'),
                       (?, 'requests.outcomes@natural_person', false, '{"closed_total": 2934}')""", [doc, doc])
    finally:
        con.close()


def _release_database() -> None:
    """In process, dbt-duckdb keeps its DuckDB instance open after the run, and DuckDB refuses a read-only
    connection to a file it has open read-write: close it, as the end of a `dbt` process would."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def _query(build: Build, sql: str, params: list | None = None) -> list[tuple]:
    return query(build.database, sql, params)


@pytest.mark.slow
def test_dbt_build_passes_every_model_and_test(build):
    failed = [(r.node.unique_id, str(r.status), r.message) for r in build.results
              if str(r.status) not in {"success", "pass"}]
    assert failed == []
    kinds = [r.node.resource_type for r in build.results]
    assert kinds.count("seed") == 2
    built = {r.node.name for r in build.results if r.node.resource_type == "model"}
    assert {"agency_year", "facts_long", "region_year", "fct_requests", "dim_document", "int_quality_flags",
            "stg_raw__checks", "stg_quality__validation_results"} <= built
    assert kinds.count("test") >= 150


@pytest.mark.slow
def test_hangzhou_construction_committee_2023(build):
    requests = _query(build, """
        SELECT new_received, carried_over, closed_total, carried_forward, balance_ok
        FROM marts.fct_requests
        WHERE agency_name = '杭州市城乡建设委员会' AND report_year = 2023 AND applicant = 'total'""")
    assert requests == [(615, 12, 591, 36, True)]
    appeals = _query(build, """
        SELECT reconsideration_total, reconsideration_upheld, reconsideration_other, litigation_total,
               litigation_upheld, litigation_pending
        FROM marts.fct_appeals WHERE agency_name = '杭州市城乡建设委员会' AND report_year = 2023""")
    assert appeals == [(3, 2, 1, 7, 6, None)]


@pytest.mark.slow
def test_huaian_2024_applicant_rows(build):
    rows = dict(_query(build, """
        SELECT applicant, new_received FROM marts.fct_requests
        WHERE agency_name = ? AND report_year = ?""", list(HUAIAN)))
    assert rows["natural_person"] == 3001 and rows["total"] == 3119
    assert set(rows) == set(metrics.applicants())
    # 法人或其他组织, which narratives state, is the sum of the table's five organisation columns: 53 + 0 + 0 + 61 + 4
    assert rows["organization"] == 118
    (total,) = _query(build, """
        SELECT carried_over, closed_total, carried_forward, balance_ok FROM marts.fct_requests
        WHERE agency_name = ? AND report_year = ? AND applicant = 'total'""", list(HUAIAN))
    assert total == (34, 3050, 103, True)


@pytest.mark.slow
def test_huaian_2024_has_two_documents_and_chooses_the_pdf(build):
    documents = _query(build, """
        SELECT source_name, is_chosen, choice_rank, facts FROM marts.dim_document
        WHERE agency_name = ? AND report_year = ? ORDER BY choice_rank""", list(HUAIAN))
    # same template, kind and (unknown) publication date: the PDF wins on its facts (200 table + 2 prose),
    # although the fragment was fetched later
    assert documents == [("huaian_city_2024", True, 1, 202), ("pdf_layer_fragment_2024", False, 2, 94)]
    chosen = _query(build, "SELECT DISTINCT d.source FROM marts.fct_requests r JOIN marts.dim_document d "
                           "USING (document_id) WHERE r.agency_name = ? AND r.report_year = ?", list(HUAIAN))
    assert [Path(s).name for (s,) in chosen] == ["huaian_city_2024.pdf"]


@pytest.mark.slow
def test_agency_and_year_fall_back_to_catalogue_and_file_name(build):
    # the fragment names neither: agency from the catalogue, year from "…_2024.txt"
    rows = _query(build, """SELECT d.agency_name, d.report_year, r.agency, r.year
                            FROM marts.dim_document d JOIN raw.documents r USING (document_id)
                            WHERE d.source_name = 'pdf_layer_fragment_2024'""")
    assert rows == [("淮安市人民政府", 2024, None, None)]


@pytest.mark.slow
def test_work_plan_is_documented_but_feeds_no_fact(build):
    rows = _query(build, """SELECT kind, is_chosen, choice_rank FROM marts.dim_document
                            WHERE source_name = '002_30463eea81f7d3a7'""")
    assert rows == [("work_plan", False, None)]
    years = _query(build, "SELECT report_year FROM marts.fct_appeals WHERE agency_name = '浙江省住房和城乡建设厅'")
    assert years == [(2020,)]


@pytest.mark.slow
def test_fact_columns_are_the_metrics_yaml_keys_in_order(build):
    for group in metrics.GROUPS:
        columns = _query(build, """SELECT column_name, data_type FROM information_schema.columns
                                   WHERE table_schema = 'marts' AND table_name = ?
                                   ORDER BY ordinal_position""", [f"fct_{group}"])
        names = [name for name, _ in columns]
        head = ["agency_id", "agency_name", "report_year"] + (["applicant"] if group == "requests" else [])
        tail = (["balance_ok"] if group == "requests" else []) + [
            "figures_stated", "figures_expected", "verification_status", "partial_period", "extraction_issues",
            "coverage", "quality_status", "quality_failures"]
        assert names == head + ["document_id"] + metrics.keys(group) + tail
        types = dict(columns)
        assert all(types[k] == ("DOUBLE" if k in AMOUNTS else "BIGINT") for k in metrics.keys(group))
    (fees,) = _query(build, "SELECT fees_amount_wan_yuan FROM marts.fct_publications "
                            "WHERE agency_name = '沭阳县人民政府' AND report_year = 2025")
    assert fees == (4068.208,)


@pytest.mark.slow
def test_grain_and_one_row_per_chosen_agency_year(build):
    for table, grain in (("fct_requests", "agency_id, report_year, applicant"),
                         ("fct_appeals", "agency_id, report_year"), ("fct_publications", "agency_id, report_year"),
                         ("dim_agency", "agency_id"), ("dim_document", "document_id")):
        assert _query(build, f"SELECT count(*) FROM (SELECT {grain} FROM marts.{table} "
                             f"GROUP BY ALL HAVING count(*) > 1)") == [(0,)]
    chosen = set(_query(build, "SELECT agency_id, report_year, document_id FROM marts.dim_document WHERE is_chosen"))
    # one per agency-year a document feeds; the work plan feeds nothing, the fragment and the superseded page lose
    feeding = set(_query(build, "SELECT DISTINCT agency_id, report_year FROM marts.dim_document "
                                "WHERE choice_rank IS NOT NULL"))
    assert {(a, y) for a, y, _ in chosen} == feeding and len(chosen) == len(feeding) >= 13
    passed_over = _query(build, """SELECT source_name FROM marts.dim_document WHERE NOT is_chosen
                                   AND source_name IN ('002_30463eea81f7d3a7', 'pdf_layer_fragment_2024',
                                                       'hangzhou_govoffice_2024')""")
    assert sorted(passed_over) == [("002_30463eea81f7d3a7",), ("hangzhou_govoffice_2024",),
                                   ("pdf_layer_fragment_2024",)]
    for table in ("fct_appeals", "fct_publications"):
        assert set(_query(build, f"SELECT agency_id, report_year, document_id FROM marts.{table}")) == chosen
    totals = _query(build, "SELECT agency_id, report_year, document_id FROM marts.fct_requests "
                           "WHERE applicant = 'total'")
    assert set(totals) == chosen and len(totals) == len(chosen)
    # no validation has run on this warehouse: rows with figures are unchecked, rows without are gaps
    assert set(_query(build, "SELECT DISTINCT quality_status, quality_failures FROM marts.fct_requests")) == {
        ("unchecked", None), ("no_figures", None)}


@pytest.mark.slow
def test_table_fact_wins_over_text_fact_and_text_fills_gaps(build):
    # 沭阳县人民政府 2025 states closed_total in table 三 and in prose: two raw facts, one mart value
    raw = _query(build, """SELECT method FROM raw.facts JOIN raw.documents USING (document_id)
                           WHERE source_name = 'shuyang_county_2025' AND metric = 'requests.closed_total'
                             AND applicant = 'total' ORDER BY method""")
    assert raw == [("table",), ("text",)]
    chosen = _query(build, """SELECT method, value FROM intermediate.int_facts_chosen
                              WHERE agency_name = '沭阳县人民政府' AND metric = 'requests.closed_total'
                                AND applicant = 'total'""")
    assert chosen == [("table", 718.0)]
    # 沭阳县发展和改革局 2023: the table's 总计 cell was not retrieved, the prose gives 26
    assert _query(build, """SELECT new_received FROM marts.fct_requests
                            WHERE agency_name = '沭阳县发展和改革局' AND applicant = 'total'""") == [(26,)]


@pytest.mark.slow
def test_dim_agency_places_and_levels(build):
    rows = {name: rest for name, *rest in _query(build, """
        SELECT agency_name, province, city, county, level, is_government, documents FROM marts.dim_agency""")}
    assert rows["义乌市廿三里街道办事处"] == ["浙江省", "金华市", "义乌市", "township", True, 1]
    assert rows["杭州市临平区人民政府"] == ["浙江省", "杭州市", "临平区", "county", True, 1]
    assert rows["沭阳县发展和改革局"] == ["江苏省", "宿迁市", "沭阳县", "county", False, 1]
    assert rows["杭州市城乡建设委员会"] == ["浙江省", "杭州市", None, "city", False, 1]  # 城乡 is no 乡
    assert rows["杭州市城市管理局"] == ["浙江省", "杭州市", None, "city", False, 1]  # 城市 is no county
    assert rows["杭州市人民政府办公厅"] == ["浙江省", "杭州市", None, "city", True, 2]  # two contents of its page
    assert rows["武汉市生态环境局"] == ["湖北省", "武汉市", None, "city", False, 1]
    assert rows["淮安市人民政府"] == ["江苏省", "淮安市", None, "city", True, 2]
    assert rows["浙江省住房和城乡建设厅"] == ["浙江省", None, None, "province", False, 2]
    # one row per agency any document names (the corpus grows: counted, not hard-coded)
    named = _query(build, "SELECT DISTINCT agency_id FROM marts.dim_document WHERE agency_id IS NOT NULL")
    assert len(rows) == len(named)


@pytest.mark.slow
def test_published_file_is_self_contained_under_another_name(build, tmp_path):
    # the pipeline renames the built file into place: views must not depend on the build-time name
    copy = tmp_path / "ogi.duckdb"
    shutil.copy(build.database, copy)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM staging.stg_raw__facts").fetchone()[0] > 500
        assert con.execute("SELECT count(*) FROM intermediate.int_request_facts_pivoted").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM marts.fct_requests").fetchone()[0] > 14
    finally:
        con.close()


@pytest.mark.slow
def test_huaian_2024_totals_the_tables_leave_out_are_the_sums_of_their_parts(build):
    # table 三 gives the eight reasons of 不予公开 but no sum; table 四 gives 行政诉讼 未经复议直接起诉 and
    # 复议后起诉 (each with its 总计) but nothing for both kinds: the mart derives them (var derived_totals)
    stated = _query(build, """
        SELECT f.metric FROM raw.facts f JOIN raw.documents d USING (document_id)
        WHERE d.source_name = 'huaian_city_2024' AND f.applicant = 'total'
          AND f.metric IN ('requests.denied_total', 'appeals.litigation_total', 'appeals.litigation_upheld')""")
    assert stated == []
    (appeals,) = _query(build, """
        SELECT litigation_direct_total, litigation_after_reconsideration_total, litigation_total,
               litigation_upheld, litigation_corrected, litigation_other, litigation_pending
        FROM marts.fct_appeals WHERE agency_name = ? AND report_year = ?""", list(HUAIAN))
    assert appeals == (26, 20, 46, 13 + 12, 4 + 1, 8 + 1, 1 + 6)
    (requests,) = _query(build, """
        SELECT denied_state_secret, denied_prohibited_by_law, denied_three_safeties, denied_third_party,
               denied_internal_affairs, denied_process_info, denied_enforcement_file, denied_query_matter,
               denied_total
        FROM marts.fct_requests WHERE agency_name = ? AND report_year = ? AND applicant = 'total'""", list(HUAIAN))
    assert requests == (2, 31, 5, 6, 8, 12, 9, 105, 178)


@pytest.mark.slow
def test_current_content_of_a_page_supersedes_its_earlier_content(build):
    documents = _query(build, """
        SELECT source, fetched_at, facts, is_chosen, choice_rank FROM marts.dim_document
        WHERE agency_name = ? AND report_year = ? ORDER BY fetched_at""", list(GOVOFFICE))
    (source,) = {row[0] for row in documents}
    assert Path(source).name == "hangzhou_govoffice_2024.txt"
    assert [row[1:] for row in documents] == [
        (datetime.fromisoformat(FETCHED_AT), 6, False, 2),  # superseded, although it states more facts
        (datetime.fromisoformat(CORRECTED_AT), 5, True, 1),
    ]
    requests = _query(build, """
        SELECT new_received, carried_over, closed_total, carried_forward, balance_ok FROM marts.fct_requests
        WHERE agency_name = ? AND report_year = ? AND applicant = 'total'""", list(GOVOFFICE))
    assert requests == [(225, 18, 227, 16, True)]
    # the current content wins as a whole: the lawsuit count only the old content stated is not carried over
    appeals = _query(build, """SELECT reconsideration_total, litigation_total FROM marts.fct_appeals
                               WHERE agency_name = ? AND report_year = ?""", list(GOVOFFICE))
    assert appeals == [(10, None)]


# --- the marts for analysts ---------------------------------------------------------------------------------

def _one(build: Build, sql: str, params: list | None = None) -> dict:
    con = duckdb.connect(str(build.database), read_only=True)
    try:
        result = con.execute(sql, params or [])
        rows = result.fetchall()
        assert len(rows) == 1, rows
        return dict(zip([d[0] for d in result.description], rows[0], strict=True))
    finally:
        con.close()


@pytest.mark.slow
def test_agency_year_is_one_row_per_chosen_agency_year_with_figures_rates_and_trust(build):
    chosen = _query(build, "SELECT agency_id, report_year, document_id FROM marts.dim_document WHERE is_chosen")
    assert set(_query(build, "SELECT agency_id, report_year, document_id FROM marts.agency_year")) == set(chosen)
    row = _one(build, "SELECT * FROM marts.agency_year WHERE agency_name = ? AND report_year = ?", list(HUAIAN))
    assert (row["new_received"], row["carried_over"], row["closed_total"], row["carried_forward"]) == (
        3119, 34, 3050, 103)
    assert (row["province"], row["level"], row["template"], row["balance_ok"]) == ("江苏省", "city", "2021", True)
    assert row["granted_share"] == round(row["granted"] / 3050, 4)
    assert row["reconsideration_corrected_rate"] == round(
        row["reconsideration_corrected"] / (row["reconsideration_total"] - row["reconsideration_pending"]), 4)
    assert row["litigation_total"] == 46 and row["denied_total"] == 178  # derived from their parts
    assert (row["figures_stated"], row["figures_expected"], row["coverage"]) == (30, 30, 1.0)
    # the extractor's checks travel with the row: one figure in conflict makes the document's status conflict
    assert (row["facts_verified"], row["facts_conflict"], row["verification_status"]) == (4, 1, "conflict")
    assert (row["checks_held"], row["checks_failed"], row["warning_issues"]) == (1, 1, 1)
    assert row["extraction_issues"] == "bad_cell: table 三: cell x"
    assert (row["quality_status"], row["quality_failures"]) == ("unchecked", None)  # no validation ran


@pytest.mark.slow
def test_a_report_without_figures_is_a_gap_not_a_pass(build):
    row = _one(build, """SELECT new_received, closed_total, figures_stated, coverage, facts_stated,
                                verification_status, quality_status
                         FROM marts.agency_year WHERE agency_name = '杭州市人民政府' AND report_year = 2017""")
    assert row == {"new_received": None, "closed_total": None, "figures_stated": 0, "coverage": 0.0,
                   "facts_stated": 0, "verification_status": None, "quality_status": "no_figures"}
    statuses = _query(build, """SELECT DISTINCT quality_status FROM marts.fct_appeals
                                WHERE agency_name = '杭州市人民政府' AND report_year = 2017""")
    assert statuses == [("no_figures",)]


@pytest.mark.slow
def test_a_stated_zero_is_zero_and_an_unstated_figure_is_null(build):
    row = _one(build, """SELECT carried_over, carried_forward, new_received FROM marts.agency_year
                         WHERE agency_name = '沭阳县发展和改革局' AND report_year = 2023""")
    assert row == {"carried_over": None, "carried_forward": 0, "new_received": 26}


@pytest.mark.slow
def test_partial_year_flag_travels_with_the_figures_and_stays_out_of_region_totals(build):
    flags = _query(build, """SELECT DISTINCT a.partial_period, r.partial_period FROM marts.agency_year a
                             JOIN marts.fct_requests r USING (agency_id, report_year)
                             WHERE a.agency_name = '杭州市临平区人民政府'""")
    assert flags == [(True, True)]
    totals = dict(_query(build, """SELECT report_year, new_received FROM marts.region_year
                                   WHERE province = 'all' AND level = 'all'"""))
    full_years = dict(_query(build, """SELECT report_year, sum(new_received) FROM marts.agency_year
                                       WHERE NOT partial_period GROUP BY ALL"""))
    assert totals == full_years
    # 2024 holds 淮安 3119 and 杭州市人民政府办公厅 225 (the corrected page), not 临平区's 794 (a partial year)
    in_2024 = dict(_query(build, "SELECT agency_name, new_received FROM marts.agency_year WHERE report_year = 2024"))
    assert in_2024["杭州市临平区人民政府"] == 794
    assert totals[2024] == sum(v or 0 for a, v in in_2024.items() if a != "杭州市临平区人民政府")
    change = _one(build, """SELECT new_received_previous_year, new_received_change, new_received_change_pct
                            FROM marts.region_year WHERE province = 'all' AND level = 'all' AND report_year = 2024""")
    assert change == {"new_received_previous_year": totals[2023], "new_received_change": totals[2024] - totals[2023],
                      "new_received_change_pct": round(totals[2024] / totals[2023] - 1, 4)}
    # the change is against exactly the year before: none where that year has no row
    for year in totals:
        (row,) = _query(build, """SELECT new_received_change FROM marts.region_year
                                  WHERE province = 'all' AND level = 'all' AND report_year = ?""", [year])
        assert (row[0] is None) == (totals.get(year - 1) is None or totals[year] is None), year
    provinces = {p for (p,) in _query(build, "SELECT DISTINCT province FROM marts.region_year")}
    assert {"all", "浙江省", "江苏省"} <= provinces


@pytest.mark.slow
def test_fact_rows_say_whether_their_figures_are_verified(build):
    rows = dict(_query(build, """SELECT applicant, verification_status FROM marts.fct_requests
                                 WHERE agency_name = ? AND report_year = ?""", list(HUAIAN)))
    assert rows["total"] == "partly_verified" and rows["natural_person"] == "conflict"
    assert rows["commercial_enterprise"] == "unverified"
    verified = _query(build, """SELECT metric_key FROM marts.facts_long WHERE confidence = 'verified'
                                ORDER BY metric_key""")
    assert verified == [("carried_forward",), ("carried_over",), ("closed_total",), ("new_received",)]


@pytest.mark.slow
def test_dim_document_counts_the_identities_that_held_and_failed(build):
    row = _one(build, """SELECT checks_held, checks_failed, failed_checks, warning_issues, issue_codes
                         FROM marts.dim_document WHERE agency_name = ? AND report_year = ? AND is_chosen""",
               list(HUAIAN))
    assert row == {"checks_held": 1, "checks_failed": 1, "failed_checks": "requests.outcomes@natural_person",
                   "warning_issues": 1, "issue_codes": "bad_cell"}


@pytest.mark.slow
def test_facts_long_labels_every_printed_figure(build):
    assert _query(build, "SELECT count(*) FROM marts.facts_long") == _query(
        build, "SELECT count(*) FROM intermediate.int_facts_chosen")
    row = _one(build, """SELECT label, description, value, method, confidence, quality_status FROM marts.facts_long
                         WHERE agency_name = ? AND report_year = ? AND metric_key = 'new_received'
                           AND applicant = 'total'""", list(HUAIAN))
    assert row == {"label": "一、本年新收政府信息公开申请数量", "description": "requests received this year",
                   "value": 3119.0, "method": "table", "confidence": "verified", "quality_status": "unchecked"}
    assert _query(build, "SELECT count(*) FROM marts.facts_long WHERE label IS NULL") == [(0,)]


def _starts_chinese(text: str | None) -> bool:
    # CJK ideographs and punctuation, and the full-width forms of the form's row labels (（一）)
    return bool(text) and ("\u3000" <= text[0] <= "\u9fff" or "\uff00" <= text[0] <= "\uffef")


@pytest.mark.slow
def test_descriptions_are_duckdb_comments_that_start_with_the_chinese_label(build):
    mine = ("agency_year", "facts_long", "region_year", "fct_requests", "fct_appeals", "fct_publications",
            "dim_document")
    tables = dict(_query(build, "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'marts'"))
    columns = _query(build, """SELECT table_name, column_name, comment FROM duckdb_columns()
                               WHERE schema_name = 'marts'""")
    for table in mine:
        assert _starts_chinese(tables[table]), (table, tables[table])
        for name, column, comment in columns:
            if name == table:
                assert _starts_chinese(comment), (table, column, comment)
    comment = dict((c, m) for t, c, m in columns if t == "agency_year")["new_received"]
    assert comment.startswith("本年新收申请 — ")
    assert _query(build, "SELECT comment FROM duckdb_tables() WHERE table_name = 'metric_keys'")[0][0].startswith(
        "指标字典")


@pytest.mark.slow
def test_quality_tables_created_by_dbt_match_the_validation_step(build, tmp_path):
    from warehouse.validate import RESULTS_DDL

    scratch = tmp_path / "q.duckdb"
    con = duckdb.connect(str(scratch))
    try:
        con.execute(RESULTS_DDL)
        expected = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_schema = 'quality' ORDER BY ordinal_position").fetchall()
    finally:
        con.close()
    assert _query(build, "SELECT column_name, data_type FROM information_schema.columns "
                         "WHERE table_schema = 'quality' ORDER BY ordinal_position") == expected
