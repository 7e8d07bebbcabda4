"""Validate the marts of a built warehouse with Great Expectations and record the outcome in it.

GX's SQL path does not run on DuckDB, so the marts are read into pandas and validated as DataFrames.
Order: structural suites (tables, contract columns, grain, keys), then — only if those pass — the data
suites of expectations/. Every expectation result goes to quality.validation_results. A structural
failure, or an expectation that could not run, is returned in `structural_errors` (the caller stops the
publish) and then no row is flagged and no Data Docs are built; otherwise failing rows are flagged in the
marts (quality_status / quality_failures), never dropped, and Data Docs are built into `docs_dir`.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
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

from expectations import appeals, publications, requests, structure
from expectations.base import TEMPLATE_COLUMN, Suite, name_of

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
    observed VARCHAR            -- JSON: the failing values of that agency-year, or the summary
);
"""
_FACT_MARTS = ("fct_requests", "fct_appeals", "fct_publications")


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
    frames, errors = _read_marts(con)
    gx_run = _GxRun(run_id, docs_dir)
    results = [r for table, frame in frames.items() for r in gx_run.run(structure.suite(table, frame))]
    errors += [structure.describe(r.suite.name.removeprefix("structure."), r.name, r.result)
               for r in results if not r.success and "exception" not in r.result]
    if not errors:
        templates = frames["dim_document"].set_index("document_id")["template"]
        for fact in _FACT_MARTS:
            frames[fact][TEMPLATE_COLUMN] = frames[fact]["document_id"].map(templates)
        for suite in (requests.suite(frames["fct_requests"], year),
                      appeals.suite(frames["fct_appeals"], year),
                      publications.suite(frames["fct_publications"], year)):
            results += gx_run.run(suite)
    # An expectation that could not run checked nothing: the marts are not known to be valid either.
    errors += [f"{r.suite.name}: {r.name} could not run: {r.result['exception']}"
               for r in results if "exception" in r.result]

    con.begin()
    _write_results(con, run_id, results)
    report = ValidationReport(structural_errors=errors, expectations_run=len(results),
                              expectations_failed=sum(not r.success for r in results))
    if not errors:
        report.rows_flagged = _flag_marts(con, results)
    con.commit()
    if not errors and docs_dir is not None:
        report.docs_index = gx_run.build_docs()
    for name in dict.fromkeys(r.suite.name for r in results):
        mine = [r for r in results if r.suite.name == name]
        report.suites[name] = SuiteSummary(len(mine), sum(not r.success for r in mine),
                                           len({_key(r.suite, f) for r in mine for f in r.failing}))
    return report


# --- reading ------------------------------------------------------------------------------------------

def _read_marts(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, pd.DataFrame], list[str]]:
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                             "WHERE table_schema = 'marts'").fetchall())
    frames: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    for table in structure.contract():
        if table not in kinds:
            errors.append(f"marts.{table}: table missing")
            continue
        if table in _FACT_MARTS and kinds[table] != "BASE TABLE":
            errors.append(f"marts.{table}: is a {kinds[table].lower()}, quality flags need a table")
        frame = con.execute(f"SELECT * FROM marts.{table}").df()
        numeric = [c for c in _metric_columns(table) if c in frame.columns]
        # Counts arrive as float64 or nullable Int64 depending on nulls, amounts maybe as Decimal: one
        # dtype keeps the GX comparisons and the helper sums simple (counts stay far below 2**53).
        frame[numeric] = frame[numeric].apply(pd.to_numeric, errors="coerce").astype("float64")
        frames[table] = frame
    return frames, errors


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
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": list(suite.keys),
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


def _result_rows(run_id: str, results: Iterable[_Result]) -> list[tuple]:
    rows = []
    for r in results:
        rows.append((run_id, r.suite.name, r.name, None, None, r.success, _observed(r.result)))
        by_year: dict[tuple, list[dict]] = defaultdict(list)
        for failing in r.failing:
            year = _plain(failing.get("report_year"))
            by_year[(_plain(failing.get("agency_id")), int(year) if year is not None else None)].append(
                {k: _plain(v) for k, v in failing.items() if k not in ("agency_id", "report_year")})
        rows += [(run_id, r.suite.name, r.name, agency, year, False,
                  json.dumps(values, ensure_ascii=False, default=str))
                 for (agency, year), values in by_year.items()]
    return rows


def _write_results(con: duckdb.DuckDBPyConnection, run_id: str, results: list[_Result]) -> None:
    con.execute(RESULTS_DDL)
    # A retried task validates the same run again: its rows replace the earlier attempt's.
    con.execute("DELETE FROM quality.validation_results WHERE run_id = ?", [run_id])
    rows = _result_rows(run_id, results)
    columns = ["run_id", "suite", "expectation", "agency_id", "report_year", "success", "observed"]
    frame = pd.DataFrame(rows, columns=columns).astype({"report_year": "Int64"})
    con.register("ogi_validation_rows", frame)
    try:
        con.execute("INSERT INTO quality.validation_results SELECT * FROM ogi_validation_rows")
    finally:
        con.unregister("ogi_validation_rows")


def _flag_marts(con: duckdb.DuckDBPyConnection, results: list[_Result]) -> int:
    """Set every fact row 'passed', then the rows some expectation found failing 'failed' with the sorted
    list of those expectations. Returns the number of rows flagged."""
    failures: dict[tuple[str, tuple], set[str]] = defaultdict(set)
    for r in results:
        if r.suite.mart is not None:
            for failing in r.failing:
                failures[(r.suite.mart, _key(r.suite, failing))].add(r.name)
    flagged = 0
    for table, keys in (("fct_requests", requests.KEYS), ("fct_appeals", appeals.KEYS),
                        ("fct_publications", publications.KEYS)):
        con.execute(f"UPDATE marts.{table} SET quality_status = 'passed', quality_failures = NULL")
        rows = [(*key, ",".join(sorted(names))) for (mart, key), names in failures.items() if mart == table]
        if not rows:
            continue
        frame = pd.DataFrame(rows, columns=[*keys, "failures"])
        con.register("ogi_flags", frame)
        try:
            on = " AND ".join(f"t.{k} = f.{k}" for k in keys)
            con.execute(f"UPDATE marts.{table} AS t SET quality_status = 'failed', "
                        f"quality_failures = f.failures FROM ogi_flags AS f WHERE {on}")
        finally:
            con.unregister("ogi_flags")
        flagged += len(rows)
    return flagged
