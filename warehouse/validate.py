"""Validate a built warehouse with Great Expectations and record the outcome in it.

Runs between the two halves of the dbt build (warehouse/pipeline.py): dbt first builds everything that
does not depend on validation — staging, intermediate, dim_agency, dim_document and the fact rows before
their verdict (intermediate.int_*_agency_year) — this module checks those with GX and writes every
result to quality.validation_results, then dbt builds the models over that table (`source:quality+`):
int_quality_flags and the marts that carry the verdict. Nothing here writes into a dbt-built table, so
a dbt rerun recomputes the same verdict from the stored results.

GX's SQL path does not run on DuckDB, so relations are read into pandas and validated as DataFrames.
Order: structural suites (tables, contract columns, grain, keys), then — only if those pass — the data
suites of expectations/ and the extractor's own checks (raw.checks). A structural failure, or an
expectation that could not run, is returned in `structural_errors` (the caller stops the publish), and then
no Data Docs are built. A failing row gets one result row with a plain bilingual sentence (`message`).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from expectations import appeals, changes, extraction, publications, requests, structure
from expectations.base import TEMPLATE_COLUMN, Suite, name_of
from expectations.messages import describe

DOCS_SITE = "ogi_data_docs"
RESULTS_DDL = """
CREATE SCHEMA IF NOT EXISTS quality;
CREATE TABLE IF NOT EXISTS quality.validation_results (
    run_id VARCHAR NOT NULL,
    suite VARCHAR NOT NULL,
    expectation VARCHAR NOT NULL,
    agency_id VARCHAR,          -- null on the one summary row of each expectation
    report_year INTEGER,
    success BOOLEAN NOT NULL,
    observed VARCHAR            -- JSON: the checked values of the failing row, or the summary
);
-- added later, so they come last in older warehouses too (dbt's on-run-start creates the same table)
ALTER TABLE quality.validation_results ADD COLUMN IF NOT EXISTS mart VARCHAR;       -- the mart row a failure flags
ALTER TABLE quality.validation_results ADD COLUMN IF NOT EXISTS applicant VARCHAR;  -- its applicant (fct_requests)
ALTER TABLE quality.validation_results ADD COLUMN IF NOT EXISTS message VARCHAR;    -- plain bilingual sentence
ALTER TABLE quality.validation_results ADD COLUMN IF NOT EXISTS validated_at TIMESTAMP;
"""
_RESULT_COLUMNS = ["run_id", "suite", "expectation", "agency_id", "report_year", "success", "observed", "mart",
                   "applicant", "message", "validated_at"]
# The relation each contract table is validated on: the fact rows before their verdict (the fact marts are
# built from them after validation), the dimensions as built.
RELATIONS = {
    "dim_agency": "marts.dim_agency",
    "dim_document": "marts.dim_document",
    "fct_requests": "intermediate.int_requests_agency_year",
    "fct_appeals": "intermediate.int_appeals_agency_year",
    "fct_publications": "intermediate.int_publications_agency_year",
}
_FACT_MARTS = ("fct_requests", "fct_appeals", "fct_publications")
_CHECKS_SQL = """
    SELECT d.agency_id, d.agency_name, d.report_year, c.document_id, c.check_name, c.is_ok,
           CAST(c.figures AS VARCHAR) AS figures
    FROM staging.stg_raw__checks AS c JOIN marts.dim_document AS d USING (document_id)
    ORDER BY d.agency_name, d.report_year, c.check_name"""


@dataclass
class SuiteSummary:
    expectations: int
    failed: int
    rows_flagged: int  # distinct mart rows (or keys, for structural suites) with a failure of this suite


@dataclass
class ValidationReport:
    structural_errors: list[str] = field(default_factory=list)
    expectations_run: int = 0
    expectations_failed: int = 0
    rows_flagged: int = 0
    suites: dict[str, SuiteSummary] = field(default_factory=dict)
    docs_index: Path | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class _Result:
    suite: Suite
    name: str
    success: bool
    result: dict[str, Any]
    failing: list[dict[str, Any]]  # GX unexpected_index_list: the suite's key columns + checked values


def validate_warehouse(db_path: Path, *, run_id: str, docs_dir: Path | None,
                       current_year: int | None = None) -> ValidationReport:
    started = time.perf_counter()
    con = duckdb.connect(str(db_path))
    try:
        report = _validate(con, run_id, docs_dir, current_year or date.today().year)
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def _validate(con: duckdb.DuckDBPyConnection, run_id: str, docs_dir: Path | None,
              year: int) -> ValidationReport:
    frames, errors = _read_relations(con)
    gx_run = _GxRun(run_id, docs_dir)
    results = [r for table, frame in frames.items() for r in gx_run.run(structure.suite(table, frame))]
    errors += [structure.describe(RELATIONS[r.suite.name.removeprefix("structure.")], r.name, r.result)
               for r in results if not r.success and "exception" not in r.result]
    if not errors:
        templates = frames["dim_document"].set_index("document_id")["template"]
        for fact in _FACT_MARTS:
            frames[fact][TEMPLATE_COLUMN] = frames[fact]["document_id"].map(templates)
        suites = [requests.suite(frames["fct_requests"], year), appeals.suite(frames["fct_appeals"], year),
                  publications.suite(frames["fct_publications"], year)]
        if (checks := _read_checks(con)) is not None:
            suites.append(extraction.suite(checks))
        if (moved := changes.read(con)) is not None:  # chosen figures against the last published run
            suites.append(changes.suite(moved))
        for suite in suites:
            results += gx_run.run(suite)
    # An expectation that could not run checked nothing: the marts are not known to be valid either.
    errors += [f"{r.suite.name}: {r.name} could not run: {r.result['exception']}"
               for r in results if "exception" in r.result]

    con.begin()
    _write_results(con, run_id, results)
    con.commit()
    flagged = {(r.suite.mart, _key(r.suite, f)) for r in results if r.suite.mart for f in r.failing}
    report = ValidationReport(structural_errors=errors, expectations_run=len(results),
                              expectations_failed=sum(not r.success for r in results),
                              rows_flagged=0 if errors else len(flagged))
    if not errors and docs_dir is not None:
        report.docs_index = gx_run.build_docs()
    for name in dict.fromkeys(r.suite.name for r in results):
        mine = [r for r in results if r.suite.name == name]
        report.suites[name] = SuiteSummary(len(mine), sum(not r.success for r in mine),
                                           len({_key(r.suite, f) for r in mine for f in r.failing}))
    return report


# --- reading ------------------------------------------------------------------------------------------

def _read_relations(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, pd.DataFrame], list[str]]:
    present = {f"{s}.{n}" for s, n in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables").fetchall()}
    frames: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    for table in structure.contract():
        relation = RELATIONS[table]
        if relation not in present:
            errors.append(f"{relation}: table missing")
            continue
        frame = con.execute(f"SELECT * FROM {relation}").df()
        numeric = [c for c in _metric_columns(table) if c in frame.columns]
        # Counts arrive as float64 or nullable Int64 depending on nulls, amounts maybe as Decimal: one
        # dtype keeps the GX comparisons and the helper sums simple (counts stay far below 2**53).
        frame[numeric] = frame[numeric].apply(pd.to_numeric, errors="coerce").astype("float64")
        frames[table] = frame
    return frames, errors


def _read_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """The extractor's identity checks with their document's agency-year; None when the warehouse has no
    staging layer (a hand-made test warehouse)."""
    try:
        return con.execute(_CHECKS_SQL).df()
    except duckdb.CatalogException:
        return None


def _metric_columns(table: str) -> list[str]:
    return {"fct_requests": requests.columns(), "fct_appeals": appeals.columns(),
            "fct_publications": publications.columns()}.get(table, [])


# --- running GX ---------------------------------------------------------------------------------------

class _GxRun:
    """An ephemeral GX context (in-memory stores: nothing of GX's own is written anywhere) whose only Data
    Docs site is `docs_dir`."""

    def __init__(self, run_id: str, docs_dir: Path | None) -> None:
        sites = {} if docs_dir is None else {DOCS_SITE: {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        }}
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            data_docs_sites=sites,
        )
        self._context = gx.get_context(mode="ephemeral", project_config=config)
        self._source = self._context.data_sources.add_pandas("marts")
        self._run_id = RunIdentifier(run_name=run_id)
        self._docs_dir = docs_dir

    def run(self, suite: Suite) -> list[_Result]:
        batch = self._source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("whole")
        gx_suite = self._context.suites.add(
            gx.ExpectationSuite(name=suite.name, expectations=suite.expectations))
        definition = self._context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
        validated = definition.run(
            batch_parameters={"dataframe": suite.frame}, run_id=self._run_id,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": _index_columns(suite),
                           "return_unexpected_index_query": False})
        out = []
        for r in validated.results:
            result = dict(r.result or {})
            if (message := _exception_message(r.exception_info or {})) is not None:
                result["exception"] = message
            failing = [] if r.success else list(result.get("unexpected_index_list") or [])
            out.append(_Result(suite, name_of(r.expectation_config), bool(r.success), result, failing))
        return out

    def build_docs(self) -> Path:
        docs_dir = Path(self._docs_dir or ".")
        # The index lists only this run's results (the stores are in memory); earlier runs' pages would
        # stay behind unlinked and pile up, so the site holds the latest validation only.
        for section in ("validations", "expectations"):
            shutil.rmtree(docs_dir / section, ignore_errors=True)
        self._context.build_data_docs(site_names=[DOCS_SITE])
        return docs_dir / "index.html"


def _exception_message(info: dict[str, Any]) -> str | None:
    """GX reports an exception either flat ({"raised_exception": True, "exception_message": …}) or, when a
    metric failed to resolve, per metric ({metric id: {"exception_message": …}})."""
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("exception_message"):
            return str(value["exception_message"])
        if getattr(value, "exception_message", None):
            return str(value.exception_message)
    return None


# --- writing ------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _key(suite: Suite, failing: dict[str, Any]) -> tuple:
    return tuple(_plain(failing.get(k)) for k in suite.keys)


def _observed(result: dict[str, Any]) -> str:
    if "exception" in result:
        summary = {"exception": result["exception"]}
    elif "observed_value" in result:
        summary = {"observed_value": result["observed_value"], **({"details": result["details"]}
                                                                  if "details" in result else {})}
    else:
        summary = {k: result.get(k) for k in ("element_count", "unexpected_count", "missing_count")}
    return json.dumps(summary, ensure_ascii=False, default=_plain)


def _index_columns(suite: Suite) -> list[str]:
    """The suite's key columns, plus the agency's name so Data Docs show who fails, not an id."""
    extra = ["agency_name"] if "agency_name" in suite.frame.columns and "agency_name" not in suite.keys else []
    return [*suite.keys, *extra]


def _rows_by_key(suite: Suite, wanted: set[tuple]) -> dict[tuple, dict[str, Any]]:
    """The frame's rows with these keys, as dicts: only the failing ones (all of a 70k-row frame as dicts
    took 9 s and most of the validation's memory at 10k documents)."""
    if not wanted:
        return {}
    first = suite.frame[suite.keys[0]]
    candidates = suite.frame[first.isin({key[0] for key in wanted})]  # vectorised: few rows are left
    rows: dict[tuple, dict[str, Any]] = {}
    for record in candidates.to_dict("records"):
        key = tuple(_plain(record.get(k)) for k in suite.keys)
        if key in wanted:
            rows.setdefault(key, record)
    return rows


def _year(value: Any) -> int | None:
    value = _plain(value)
    return int(value) if value is not None else None


def _result_rows(run_id: str, validated_at: datetime, results: Iterable[_Result]) -> list[tuple]:
    """One summary row per expectation, then one row per failing row (agency-year [× applicant]) with the
    checked values and a sentence; `mart` names the mart row a data suite's failure flags."""
    rows = []
    results = list(results)
    failing_keys: dict[str, set[tuple]] = {}
    for r in results:
        failing_keys.setdefault(r.suite.name, set()).update(_key(r.suite, f) for f in r.failing)
    by_suite: dict[str, dict[tuple, dict[str, Any]]] = {}
    for r in results:
        rows.append((run_id, r.suite.name, r.name, None, None, r.success, _observed(r.result), None, None, None,
                     validated_at))
        if not r.failing:
            continue
        if r.suite.name not in by_suite:
            by_suite[r.suite.name] = _rows_by_key(r.suite, failing_keys[r.suite.name])
        full = by_suite[r.suite.name]
        for failing in r.failing:
            record = full.get(_key(r.suite, failing), {})
            values = {k: _plain(v) for k, v in failing.items()
                      if k not in ("agency_id", "report_year", "applicant", "agency_name")}
            applicant = _plain(failing.get("applicant")) if r.suite.mart == "fct_requests" else None
            rows.append((run_id, r.suite.name, r.name, _plain(failing.get("agency_id")),
                         _year(failing.get("report_year")), False,
                         json.dumps(values, ensure_ascii=False, default=str), r.suite.mart, applicant,
                         describe(r.name, record) if record else None, validated_at))
    return rows


def _write_results(con: duckdb.DuckDBPyConnection, run_id: str, results: list[_Result]) -> None:
    con.execute(RESULTS_DDL)
    # A retried task validates the same run again: its rows replace the earlier attempt's.
    con.execute("DELETE FROM quality.validation_results WHERE run_id = ?", [run_id])
    validated_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    frame = pd.DataFrame(_result_rows(run_id, validated_at, results), columns=_RESULT_COLUMNS)
    frame = frame.astype({"report_year": "Int64"})
    con.register("ogi_validation_rows", frame)
    try:
        columns = ", ".join(_RESULT_COLUMNS)
        con.execute(f"INSERT INTO quality.validation_results ({columns}) SELECT {columns} FROM ogi_validation_rows")
    finally:
        con.unregister("ogi_validation_rows")
