"""Great Expectations validation of the marts: small warehouses built by hand from real figures, and one
built by dbt from the gold files."""

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
from warehouse.validate import validate_warehouse

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
    con.execute(f"INSERT INTO marts.{table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                list(row.values()))


def _fact_row(agency: str, year: int, document_id: str, **values: Any) -> dict[str, Any]:
    return {"agency_id": _agency_id(agency), "agency_name": agency, "report_year": year,
            "document_id": document_id, "quality_status": "unchecked", **values}


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
    con.execute("CREATE SCHEMA marts")
    for table, columns in structure.contract().items():
        con.execute(f"CREATE TABLE marts.{table} ({', '.join(f'{c} {_type(table, c)}' for c in columns)})")
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
    applicant = ", applicant" if table == "fct_requests" else ""
    rows = query(path, f"SELECT agency_name, report_year{applicant}, quality_status, quality_failures "
                        f"FROM marts.{table}")
    return {tuple(r[:-2]): (r[-2], r[-1]) for r in rows}


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
    assert json.loads(observed) == [
        {"applicant": "total", "check__balance_lhs": 620.0, "check__balance_rhs": 602.0}]
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
    con.execute(f"UPDATE marts.{table} SET {assignment} WHERE agency_name = ? AND {where}", [HUAIAN])
    con.close()
    validate_warehouse(marts, run_id="run-1", docs_dir=None, current_year=YEAR_NOW)
    flags = _flags(marts, table)
    got = [flags[key] for key in flagged]
    assert got == [("failed", names) for names in expected]


def test_carried_over_must_match_the_previous_years_carried_forward(marts):
    con = duckdb.connect(str(marts))
    con.execute("UPDATE marts.fct_requests SET carried_forward = 13, closed_total = 607 "
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
    ("ALTER TABLE marts.fct_requests DROP COLUMN closed_total",
     "marts.fct_requests: missing columns closed_total"),
    ("INSERT INTO marts.fct_appeals SELECT * FROM marts.fct_appeals WHERE report_year = 2024",
     "marts.fct_appeals: grain (agency_id, report_year) not unique"),
    ("UPDATE marts.fct_publications SET agency_id = NULL WHERE report_year = 2022",
     "marts.fct_publications: agency_id is null in 1 rows"),
    ("DROP TABLE marts.dim_agency", "marts.dim_agency: table missing"),
    ("ALTER TABLE marts.fct_appeals ALTER report_year TYPE VARCHAR",
     "appeals: appeals.report_year_in_range could not run"),
])
def test_a_structural_failure_is_reported_and_flags_nothing(marts, tmp_path, sql, message):
    con = duckdb.connect(str(marts))
    con.execute(sql)
    con.close()
    report = validate_warehouse(marts, run_id="run-1", docs_dir=tmp_path / "data_docs", current_year=YEAR_NOW)
    assert any(e.startswith(message) for e in report.structural_errors), report.structural_errors
    assert {s for s, _ in _flags(marts, "fct_appeals").values()} == {"unchecked"}
    assert report.docs_index is None and not (tmp_path / "data_docs").exists()


# --- a warehouse dbt built from the gold files ------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not (REPO / "dbt_project" / "dbt_project.yml").exists()
                    or not (REPO / "tests" / "gold_raw.py").exists(),
                    reason="needs the dbt project and tests/gold_raw.py")
def test_a_dbt_built_warehouse_from_the_gold_files(tmp_path):
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner
    from gold_raw import build_raw_from_gold

    database = tmp_path / "ogi.duckdb"
    build_raw_from_gold(database, GOLD, REPO / "samples" / "corpus",
                        expected_agencies={"pdf_layer_fragment_2024.txt": HUAIAN})
    project = str(REPO / "dbt_project")
    saved = os.environ.get("OGI_DBT_DATABASE")
    os.environ["OGI_DBT_DATABASE"] = str(database)
    try:
        outcome = dbtRunner().invoke(["build", "--project-dir", project, "--profiles-dir", project,
                                      "--target-path", str(tmp_path / "target"), "--log-path",
                                      str(tmp_path / "logs"), "--no-use-colors", "--quiet"])
    finally:
        if saved is None:
            os.environ.pop("OGI_DBT_DATABASE")
        else:
            os.environ["OGI_DBT_DATABASE"] = saved
        # dbt-duckdb keeps its database open in process; the validation opens it itself.
        environment = getattr(DuckDBConnectionManager, "_ENV", None)
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()
    assert outcome.exception is None and outcome.success

    started = time.perf_counter()
    report = validate_warehouse(database, run_id="gold", docs_dir=tmp_path / "data_docs",
                                current_year=YEAR_NOW)
    seconds = time.perf_counter() - started
    print(f"validation of the gold warehouse: {seconds:.1f}s, {report.expectations_run} expectations, "
          f"{report.expectations_failed} failed, {report.rows_flagged} rows flagged")
    assert report.structural_errors == []
    assert (tmp_path / "data_docs" / "index.html").exists()

    # Huaian 2024's table 三 balances in every column, its outcome rows and applicant columns add up, and
    # so does its table 四; the gold figures of every other document are consistent too.
    requests = _flags(database)
    assert {k[2]: v for k, v in requests.items() if k[:2] == (HUAIAN, 2024)} == {
        a: ("passed", None) for a in ("total", "natural_person", "organization", *ORGANISATIONS)}
    assert requests[(HANGZHOU, 2023, "total")] == ("passed", None)
    assert _flags(database, "fct_appeals")[(HUAIAN, 2024)] == ("passed", None)
    failed = query(database, "SELECT expectation, agency_id, report_year FROM quality.validation_results "
                              "WHERE NOT success")
    assert failed == [] and report.expectations_failed == 0
    # ... and that is not vacuous: the identities were evaluated on real rows.
    applied = {e: json.loads(o) for e, o in query(database, """
        SELECT expectation, observed FROM quality.validation_results
        WHERE agency_id IS NULL AND expectation IN ('requests.balance_identity',
              'requests.outcomes_sum_to_closed_total', 'appeals.reconsideration_outcomes_sum_to_total')""")}
    assert {e: o["element_count"] - o["missing_count"] for e, o in applied.items()} == {
        # + 2 derived organization rows (淮安 2024 and 沭阳 2025 break applicants down)
        "requests.balance_identity": 18, "requests.outcomes_sum_to_closed_total": 16,
        "appeals.reconsideration_outcomes_sum_to_total": 3}
    assert seconds < 60
