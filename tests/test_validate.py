"""Great Expectations validation: small warehouses built by hand from real figures (the relations the
validation reads: the dimensions and the fact rows before their verdict), and one built by dbt from the gold
files the way a refresh builds it — dbt, validation, then the models over the validation results."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations import structure
from expectations.requests import ORGANISATIONS
from extract import metrics
from warehouse.readonly import rows as query
from warehouse.validate import RELATIONS, validate_warehouse

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "samples" / "gold"
HANGZHOU = "杭州市城乡建设委员会"
HUAIAN = "淮安市人民政府"
YEAR_NOW = 2025
_AMOUNTS = ("_wan_yuan", "_yuan")


def _type(table: str, column: str) -> str:
    if column in ("report_year", "documents", "facts", "error_issues", "choice_rank"):
        return "INTEGER"
    if column in ("balance_ok", "is_government", "is_chosen", "partial_period"):
        return "BOOLEAN"
    if table.startswith("fct_") and column in metrics.keys(table.removeprefix("fct_")):
        return "DOUBLE" if column.endswith(_AMOUNTS) else "BIGINT"
    return "VARCHAR"


def _agency_id(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()[:12]


def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, Any]) -> None:
    names = list(row)
    con.execute(f"INSERT INTO {RELATIONS[table]} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                list(row.values()))


def _fact_row(agency: str, year: int, document_id: str, **values: Any) -> dict[str, Any]:
    return {"agency_id": _agency_id(agency), "agency_name": agency, "report_year": year,
            "document_id": document_id, **values}


def _huaian_facts() -> dict[str, dict[str, float]]:
    """The gold of 淮安市人民政府 2024 as {group: {column[@applicant]: value}}."""
    gold = json.loads((GOLD / "huaian_city_2024.pdf.json").read_text("utf-8"))
    by_group: dict[str, dict[str, float]] = {g: {} for g in metrics.GROUPS}
    for key, value in (gold["facts"] | gold["text_facts"]).items():
        group, column = key.split(".", 1)
        by_group[group][column] = value
    return by_group


def _documents(con: duckdb.DuckDBPyConnection, documents: list[tuple[str, str, int, str]]) -> None:
    agencies = sorted({agency for _, agency, _, _ in documents})
    for agency in agencies:
        _insert(con, "dim_agency", {"agency_id": _agency_id(agency), "agency_name": agency, "documents": 1,
                                    "is_government": agency.endswith("人民政府")})
    for document_id, agency, year, template in documents:
        _insert(con, "dim_document", {"document_id": document_id, "agency_id": _agency_id(agency),
                                      "agency_name": agency, "report_year": year, "kind": "annual_report",
                                      "template": template, "is_chosen": True, "choice_rank": 1})


def build_marts(path: Path) -> Path:
    """Hangzhou 2023 (a narrative whose balance holds), Huaian 2024 (table 三 per applicant, tables 四 and
    二), and a deliberately inconsistent Hangzhou 2022: 600 + 20 ≠ 590 + 12 (its carried_forward 12 is the
    2023 report's carried_over, so only the balance is broken)."""
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE SCHEMA intermediate")
    for table, columns in structure.contract().items():
        con.execute(f"CREATE TABLE {RELATIONS[table]} ({', '.join(f'{c} {_type(table, c)}' for c in columns)})")
    _documents(con, [("doc-hz-2023", HANGZHOU, 2023, "narrative"),
                     ("doc-hz-2022", HANGZHOU, 2022, "narrative"),
                     ("doc-ha-2024", HUAIAN, 2024, "2021")])

    _insert(con, "fct_requests", _fact_row(HANGZHOU, 2023, "doc-hz-2023", applicant="total", new_received=615,
                                           carried_over=12, closed_total=591, carried_forward=36))
    _insert(con, "fct_appeals", _fact_row(HANGZHOU, 2023, "doc-hz-2023", reconsideration_total=3,
                                          reconsideration_upheld=2, reconsideration_other=1,
                                          litigation_total=7, litigation_upheld=6, litigation_other=1))
    _insert(con, "fct_publications", _fact_row(HANGZHOU, 2023, "doc-hz-2023", proactive_items_total=780,
                                               new_media_posts=1674, normative_docs_issued=11))

    _insert(con, "fct_requests", _fact_row(HANGZHOU, 2022, "doc-hz-2022", applicant="total", new_received=600,
                                           carried_over=20, closed_total=590, carried_forward=12))
    _insert(con, "fct_appeals", _fact_row(HANGZHOU, 2022, "doc-hz-2022"))
    _insert(con, "fct_publications", _fact_row(HANGZHOU, 2022, "doc-hz-2022"))

    huaian = _huaian_facts()
    per_applicant: dict[str, dict[str, float]] = {}
    for key, value in huaian["requests"].items():
        column, _, applicant = key.partition("@")
        per_applicant.setdefault(applicant or "total", {})[column] = value
    for applicant, values in per_applicant.items():
        _insert(con, "fct_requests", _fact_row(HUAIAN, 2024, "doc-ha-2024", applicant=applicant, **values))
    _insert(con, "fct_appeals", _fact_row(HUAIAN, 2024, "doc-ha-2024", **huaian["appeals"]))
    _insert(con, "fct_publications", _fact_row(HUAIAN, 2024, "doc-ha-2024", **huaian["publications"]))
    con.close()
    return path


def _flags(path: Path, table: str = "fct_requests") -> dict[tuple, tuple[str, str | None]]:
    """The verdict the fact marts will carry for each row of `table`'s validated relation, read from the
    latest run's results as int_quality_flags reads them: ('failed', sorted expectations) or ('passed', None)."""
    applicant = ", v.applicant" if table == "fct_requests" else ""
    on_applicant = " AND r.applicant = v.applicant" if table == "fct_requests" else ""
    rows = query(path, f"""
        WITH latest AS (SELECT run_id FROM quality.validation_results
                        ORDER BY validated_at DESC, run_id DESC LIMIT 1)
        SELECT v.agency_name, v.report_year{applicant},
               string_agg(DISTINCT r.expectation, ',' ORDER BY r.expectation) AS failures
        FROM {RELATIONS[table]} AS v
        LEFT JOIN quality.validation_results AS r
          ON r.run_id = (SELECT run_id FROM latest) AND NOT r.success AND r.mart = '{table}'
         AND r.agency_id = v.agency_id AND r.report_year = v.report_year{on_applicant}
        GROUP BY ALL""")
    return {tuple(r[:-1]): (("failed", r[-1]) if r[-1] else ("passed", None)) for r in rows}


@pytest.fixture()
def marts(tmp_path) -> Path:
    return build_marts(tmp_path / "ogi.duckdb")


def test_consistent_rows_pass_and_the_broken_one_fails_on_the_balance(marts, tmp_path):
    started = time.perf_counter()
    report = validate_warehouse(marts, run_id="run-1", docs_dir=tmp_path / "data_docs", current_year=YEAR_NOW)
    seconds = time.perf_counter() - started
    assert report.structural_errors == []

    requests = _flags(marts)
    assert requests.pop((HANGZHOU, 2022, "total")) == ("failed", "requests.balance_identity")
    assert len(requests) == 8  # Hangzhou 2023 + Huaian's total and six applicant columns
    assert set(requests.values()) == {("passed", None)}
    for table in ("fct_appeals", "fct_publications"):
        assert set(_flags(marts, table).values()) == {("passed", None)}

    assert report.rows_flagged == 1
    assert report.expectations_failed == 1
    assert report.suites["requests"].failed == 1 and report.suites["requests"].rows_flagged == 1
    assert report.suites["appeals"].failed == report.suites["publications"].failed == 0
    assert report.expectations_run == sum(s.expectations for s in report.suites.values()) > 100
    assert report.docs_index == tmp_path / "data_docs" / "index.html" and report.docs_index.exists()
    assert seconds < 60


def test_results_hold_a_summary_row_per_expectation_and_a_row_per_failing_agency_year(marts):
    report = validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=YEAR_NOW)
    rows = query(marts, "SELECT suite, expectation, agency_id, report_year, success, observed "
                         "FROM quality.validation_results WHERE run_id = 'run-1'")
    summaries = [r for r in rows if r[2] is None]
    assert len(summaries) == report.expectations_run
    failing = [r for r in rows if r[2] is not None]
    assert len(failing) == 1
    suite, expectation, agency_id, year, success, observed = failing[0]
    assert (suite, expectation, agency_id, year, success) == (
        "requests", "requests.balance_identity", _agency_id(HANGZHOU), 2022, False)
    assert json.loads(observed) == {"check__balance_lhs": 620.0, "check__balance_rhs": 602.0}
    (detail,) = query(marts, "SELECT mart, applicant, message FROM quality.validation_results "
                             "WHERE run_id = 'run-1' AND agency_id IS NOT NULL")
    assert detail == ("fct_requests", "total", "新收+上年结转 600+20=620 ≠ 办结+结转下年 590+12=602 "
                                                "(received + carried over ≠ closed + carried forward)")
    (balance,) = [r for r in summaries if r[1] == "requests.balance_identity"]
    assert balance[4] is False and json.loads(balance[5])["unexpected_count"] == 1

    # A retried task validates the same run again: its rows replace the first attempt's.
    validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=YEAR_NOW)
    validate_warehouse(marts, run_id="run-2", docs_dir=None, current_year=YEAR_NOW)
    counts = dict(query(marts, "SELECT run_id, count(*) FROM quality.validation_results GROUP BY run_id"))
    assert counts == {"run-1": len(rows), "run-2": len(rows)}


MUTATIONS = [
    # (table, where, set, the flagged row, the expectations it fails)
    ("fct_requests", "applicant = 'natural_person'", "new_received = 3002",
     [(HUAIAN, 2024, "natural_person"), (HUAIAN, 2024, "total")],
     ["requests.balance_identity", "requests.applicants_sum_to_total.new_received"]),
    ("fct_requests", "applicant = 'total'", "granted = 1363",
     [(HUAIAN, 2024, "total")],
     ["requests.applicants_sum_to_total.granted,requests.outcomes_sum_to_closed_total"]),
    ("fct_requests", "applicant = 'total'", "denied_total = 170",  # the reasons add up to 178
     [(HUAIAN, 2024, "total")],
     ["requests.denied_reasons_within_total"]),
    ("fct_appeals", "true", "reconsideration_upheld = 71",  # 350 of 351: within, not equal
     [(HUAIAN, 2024)], ["appeals.reconsideration_outcomes_sum_to_total"]),
    ("fct_appeals", "true", "litigation_direct_pending = NULL",  # a blank cell of table 四 is 0
     [(HUAIAN, 2024)], ["appeals.litigation_direct_outcomes_sum_to_total"]),
    ("fct_publications", "true", "penalty_decisions = -3985758",
     [(HUAIAN, 2024)], ["publications.non_negative.penalty_decisions"]),
]


@pytest.mark.parametrize(("table", "where", "assignment", "flagged", "expected"), MUTATIONS,
                         ids=[m[2] for m in MUTATIONS])
def test_each_identity_flags_the_row_that_breaks_it(marts, table, where, assignment, flagged, expected):
    con = duckdb.connect(str(marts))
    con.execute(f"UPDATE {RELATIONS[table]} SET {assignment} WHERE agency_name = ? AND {where}", [HUAIAN])
    con.close()
    validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=YEAR_NOW)
    flags = _flags(marts, table)
    got = [flags[key] for key in flagged]
    assert got == [("failed", names) for names in expected]


def test_carried_over_must_match_the_previous_years_carried_forward(marts):
    con = duckdb.connect(str(marts))
    con.execute("UPDATE intermediate.int_requests_agency_year SET carried_forward = 13, closed_total = 607 "
                "WHERE agency_name = ? AND report_year = 2022", [HANGZHOU])  # balanced now
    con.close()
    validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=YEAR_NOW)
    flags = _flags(marts)
    assert flags[(HANGZHOU, 2022, "total")] == ("passed", None)
    assert flags[(HANGZHOU, 2023, "total")] == ("failed", "requests.carried_over_matches_previous_year")


def test_a_report_year_after_the_current_year_fails_in_every_mart(marts):
    validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=2023)
    assert _flags(marts, "fct_appeals")[(HUAIAN, 2024)] == ("failed", "appeals.report_year_in_range")
    assert _flags(marts)[(HUAIAN, 2024, "other_org")] == ("failed", "requests.report_year_in_range")


@pytest.mark.parametrize(("sql", "message"), [
    ("ALTER TABLE intermediate.int_requests_agency_year DROP COLUMN closed_total",
     "intermediate.int_requests_agency_year: missing columns closed_total"),
    ("INSERT INTO intermediate.int_appeals_agency_year SELECT * FROM intermediate.int_appeals_agency_year "
     "WHERE report_year = 2024",
     "intermediate.int_appeals_agency_year: grain (agency_id, report_year) not unique"),
    ("UPDATE intermediate.int_publications_agency_year SET agency_id = NULL WHERE report_year = 2022",
     "intermediate.int_publications_agency_year: agency_id is null in 1 rows"),
    ("DROP TABLE marts.dim_agency", "marts.dim_agency: table missing"),
    ("ALTER TABLE intermediate.int_appeals_agency_year ALTER report_year TYPE VARCHAR",
     "appeals: appeals.report_year_in_range could not run"),
])
def test_a_structural_failure_is_reported_and_flags_nothing(marts, tmp_path, sql, message):
    con = duckdb.connect(str(marts))
    con.execute(sql)
    con.close()
    report = validate_warehouse(marts, run_id="run-1", docs_dir=tmp_path / "data_docs", current_year=YEAR_NOW)
    assert any(e.startswith(message) for e in report.structural_errors), report.structural_errors
    assert report.rows_flagged == 0
    assert report.docs_index is None and not (tmp_path / "data_docs").exists()


def test_every_failure_reads_as_a_sentence_with_the_figures(marts):
    con = duckdb.connect(str(marts))
    con.execute("UPDATE intermediate.int_appeals_agency_year SET reconsideration_upheld = 71 WHERE agency_name = ?",
                [HUAIAN])
    con.execute("UPDATE intermediate.int_requests_agency_year SET granted = 1363 "
                "WHERE agency_name = ? AND applicant = 'total'", [HUAIAN])
    con.close()
    validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=YEAR_NOW)
    messages = dict(query(marts, "SELECT expectation, message FROM quality.validation_results "
                                 "WHERE agency_id IS NOT NULL"))
    assert messages["appeals.reconsideration_outcomes_sum_to_total"].startswith(
        "行政复议: 维持+纠正+其他+尚未审结 71+")
    assert "≠ 总计 351" in messages["appeals.reconsideration_outcomes_sum_to_total"]
    assert messages["requests.outcomes_sum_to_closed_total"].startswith(
        "予以公开+部分公开+不予公开+无法提供+不予处理+其他处理 1363+")
    assert "≠ 办结总计 3050" in messages["requests.outcomes_sum_to_closed_total"]
    assert messages["requests.applicants_sum_to_total.granted"].startswith("（一）予以公开: 自然人+五类法人或其他组织 ")
    assert all(m and "check__" not in m for m in messages.values())


# --- a warehouse dbt built from the gold files ------------------------------------------------------------

def _dbt(database: Path, work: Path, *selection: str) -> None:
    """One `dbt build` in process on `database`, released afterwards (dbt-duckdb keeps its database open)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    project = str(REPO / "dbt_project")
    saved = os.environ.get("OGI_DBT_DATABASE")
    os.environ["OGI_DBT_DATABASE"] = str(database)
    try:
        outcome = dbtRunner().invoke(["build", "--project-dir", project, "--profiles-dir", project,
                                      "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
                                      "--no-use-colors", "--quiet", *selection])
    finally:
        if saved is None:
            os.environ.pop("OGI_DBT_DATABASE")
        else:
            os.environ["OGI_DBT_DATABASE"] = saved
        environment = getattr(DuckDBConnectionManager, "_ENV", None)
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()
    assert outcome.exception is None and outcome.success


@pytest.mark.slow
@pytest.mark.skipif(not (REPO / "dbt_project" / "dbt_project.yml").exists()
                    or not (REPO / "tests" / "gold_raw.py").exists(),
                    reason="needs the dbt project and tests/gold_raw.py")
def test_a_dbt_built_warehouse_from_the_gold_files(tmp_path):
    """The refresh's order: dbt builds all but the models over the validation results, GX validates, dbt
    builds those. 杭州市城乡建设委员会 2023's carried_forward is misread on purpose (36 → 31), and the
    extractor reported a failed identity on 淮安市人民政府 2024. (Some real reports of the corpus break an
    identity in print: their failures are theirs, not checked here.)"""
    from gold_raw import build_raw_from_gold

    from warehouse.pipeline import AFTER_VALIDATION

    database = tmp_path / "ogi.duckdb"
    build_raw_from_gold(database, GOLD, REPO / "samples" / "corpus",
                        expected_agencies={"pdf_layer_fragment_2024.txt": HUAIAN})
    con = duckdb.connect(str(database))
    con.execute("""UPDATE raw.facts SET value = 31 WHERE metric = 'requests.carried_forward' AND applicant = 'total'
                   AND document_id = (SELECT document_id FROM raw.documents WHERE agency = ? AND year = 2023)""",
                [HANGZHOU])
    con.execute("""INSERT INTO raw.checks SELECT document_id, 'requests.outcomes@natural_person', false,
                   '{"closed_total": 2934, "outcomes": 2933}' FROM raw.documents
                   WHERE source LIKE '%huaian_city_2024.pdf'""")
    con.close()
    _dbt(database, tmp_path / "dbt", "--exclude", AFTER_VALIDATION)

    started = time.perf_counter()
    report = validate_warehouse(database, run_id="gold", docs_dir=tmp_path / "data_docs", current_year=YEAR_NOW)
    seconds = time.perf_counter() - started
    print(f"validation of the gold warehouse: {seconds:.1f}s, {report.expectations_run} expectations, "
          f"{report.expectations_failed} failed, {report.rows_flagged} rows flagged")
    assert report.structural_errors == []
    assert (tmp_path / "data_docs" / "index.html").exists()
    failed = query(database, "SELECT suite, expectation, agency_id, report_year, applicant, message "
                             "FROM quality.validation_results WHERE NOT success AND agency_id IN (?, ?) "
                             "ORDER BY suite", [_agency_id(HUAIAN), _agency_id(HANGZHOU)])
    assert [r[:5] for r in failed] == [
        ("extraction_checks", "extraction.identities_hold", _agency_id(HUAIAN), 2024, None),
        ("requests", "requests.balance_identity", _agency_id(HANGZHOU), 2023, "total")]
    assert failed[0][5].startswith("抽取核对 requests.outcomes@natural_person 不成立: ")
    assert failed[1][5] == ("新收+上年结转 615+12=627 ≠ 办结+结转下年 591+31=622 "
                            "(received + carried over ≠ closed + carried forward)")
    # the extraction check flags no mart row (its figures say 'conflict'); the balance flags one
    flagged = query(database, "SELECT DISTINCT mart FROM quality.validation_results WHERE NOT success "
                              "AND agency_id = ?", [_agency_id(HUAIAN)])
    assert flagged == [(None,)]
    # ... and the identities were evaluated on real rows, not vacuously
    applied = {e: json.loads(o) for e, o in query(database, """
        SELECT expectation, observed FROM quality.validation_results
        WHERE agency_id IS NULL AND expectation IN ('requests.balance_identity',
              'requests.outcomes_sum_to_closed_total', 'appeals.reconsideration_outcomes_sum_to_total')""")}
    evaluated = {e: o["element_count"] - o["missing_count"] for e, o in applied.items()}
    assert evaluated["requests.balance_identity"] >= 18 and evaluated["requests.outcomes_sum_to_closed_total"] >= 16
    assert evaluated["appeals.reconsideration_outcomes_sum_to_total"] >= 3
    assert seconds < 60

    _dbt(database, tmp_path / "dbt", "--select", AFTER_VALIDATION)
    verdicts = query(database, """SELECT agency_name, report_year, applicant, quality_status, quality_failures
                                  FROM marts.fct_requests WHERE quality_status = 'failed'
                                    AND agency_name IN (?, ?)""", [HANGZHOU, HUAIAN])
    assert verdicts == [(HANGZHOU, 2023, "total", "failed", "requests.balance_identity")]
    statuses = dict(query(database, "SELECT quality_status, count(*) FROM marts.agency_year GROUP BY ALL"))
    assert set(statuses) == {"failed", "passed", "no_figures"}
    assert statuses["failed"] == len(query(database, """
        SELECT DISTINCT agency_id, report_year FROM quality.validation_results
        WHERE NOT success AND mart IS NOT NULL AND run_id = 'gold'"""))
    assert query(database, "SELECT quality_status FROM marts.agency_year "
                           "WHERE agency_name = ? AND report_year = 2023", [HANGZHOU]) == [("failed",)]
    huaian = dict(query(database, "SELECT applicant, quality_status FROM marts.fct_requests "
                                  "WHERE agency_name = ? AND report_year = 2024", [HUAIAN]))
    assert set(huaian.values()) == {"passed"} and set(huaian) == {"total", "natural_person", "organization",
                                                                 *ORGANISATIONS}

    # The verdict is a dbt model's output: building the marts again does not reset it.
    _dbt(database, tmp_path / "dbt", "--select", AFTER_VALIDATION)
    assert query(database, """SELECT agency_name, report_year, applicant, quality_status, quality_failures
                              FROM marts.fct_requests WHERE quality_status = 'failed'
                                AND agency_name IN (?, ?)""", [HANGZHOU, HUAIAN]) == verdicts


def test_a_total_not_stated_is_not_checked_against_its_applicant_columns():
    # Shanghai's government office 2019 left the 总计 of its outcome rows blank: the total row has no granted
    # figure, which is no "272 ≠ 总计 0"; a stated total that does not add up still fails
    import pandas as pd

    from expectations import requests
    from expectations.base import helper

    rows = [{"agency_id": a, "report_year": 2019, "applicant": who, "granted": v}
            for a, total in (("sh", None), ("hz", 5))
            for who, v in (("natural_person", 258), ("commercial_enterprise", 12), ("total", total))]
    frame = pd.DataFrame(rows).reindex(columns=["agency_id", "report_year", "applicant", *requests.columns()])
    frame[requests.columns()] = frame[requests.columns()].astype("float64")
    sums = requests._applicant_sums(frame)
    checked = frame.assign(lhs=sums[helper("applicants_sum__granted")], rhs=sums[helper("applicants_total__granted")])
    checked = checked[checked["lhs"].notna()]
    assert checked[["agency_id", "lhs", "rhs"]].values.tolist() == [["hz", 270.0, 5.0]]
