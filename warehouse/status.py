"""What `ogi status` and the end of `ogi refresh` print about the published warehouse.

`ogi status` must be right after any fault and never crash: the state of the last run is read from its
run.json and checked against what is true (a run whose swap happened is published whatever its file
says; a "running" run that no process holds the lock for was killed), the published file is checked
before it is read (missing, damaged, held read-write by another program: one line each, exit code 1),
and each section that cannot be read says so instead of ending the command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from warehouse import health, lock, readonly, runrecord, runstore
from warehouse.layout import Layout
from warehouse.render import render

_COUNTS = {
    "documents": "SELECT count(*) FROM marts.dim_document",
    "agencies": "SELECT count(*) FROM marts.dim_agency",
    "agency-years": "SELECT count(*) FROM marts.fct_appeals",
    "facts": "SELECT count(*) FROM raw.facts",
}


def run_state(layout: Layout, run: dict[str, Any], published_run: str | None) -> str:
    """One line on the last run that is true whatever the run managed to write."""
    run_id, status = run.get("run_id", "?"), run.get("status")
    if run_id == published_run:
        note = f" ({run['note']})" if run.get("note") else ""
        return f"last run {run_id}: published{note}"
    if status == "running":
        holder = lock.holder(layout)
        if holder is not None and holder.run_id in (run_id, None):
            return f"last run {run_id}: running ({holder.describe()})"
        return (f"last run {run_id}: interrupted — it ended without recording a result (killed?); "
                f"the published warehouse is unchanged")
    if status == "failed":
        return (f"last run {run_id}: failed at {run.get('finished_at', '?')} — {run.get('message', '')}; "
                f"the published warehouse is unchanged")
    return f"last run {run_id}: {status}"


def _published_run(con: duckdb.DuckDBPyConnection) -> tuple | None:
    return con.execute("""SELECT run_id, started_at, finished_at, sources, failed_sources, documents_seen,
                                 documents_extracted FROM meta.runs WHERE status = 'published'
                          ORDER BY finished_at DESC LIMIT 1""").fetchone()


def _section(label: str, body: Callable[[], None]) -> None:
    try:
        body()
    except duckdb.Error as exc:
        print(f"{label}: unavailable ({str(exc).splitlines()[0][:200]})")


def print_status(layout: Layout) -> int:
    """Print the status; 0 when a readable warehouse is published, 1 otherwise."""
    last = runrecord.latest(layout)
    if layout.warehouse.exists():
        try:
            health.check_published(layout)
        except health.WarehouseUnavailable as exc:
            if last:
                print(run_state(layout, last, None))
            print(str(exc))
            return 1
        con, where = readonly.connect(layout.warehouse), str(layout.warehouse)
    else:
        # Another machine's refresh published to a remote store (OGI_STORAGE): this one reads that publish.
        store = runstore.remote_store(layout)
        if store is None or runstore.published_version(layout) is None:
            if last:
                print(run_state(layout, last, None))
            print(f"no warehouse published at {layout.warehouse} yet: run `ogi refresh`")
            return 1
        from warehouse.published import connect_published

        con = connect_published(store, name=layout.warehouse.name)
        where = store.published_uri(layout.warehouse.name)
    try:
        run = None
        try:
            run = _published_run(con)
        except duckdb.Error as exc:
            print(f"runs: unavailable ({str(exc).splitlines()[0][:200]})")
        if last:
            print(run_state(layout, last, run[0] if run else None))
        print(f"warehouse: {where}")
        if run:
            print(f"last published run: {run[0]} (started {run[1]}, finished {run[2]})")
            print(f"  sources {run[3]} ({run[4]} failed), documents seen {run[5]}, extracted {run[6]}")
            _section("failed sources", lambda: _failed_sources(con, run[0]))
        for label, sql in _COUNTS.items():
            _section(label, lambda label=label, sql=sql: print(f"{label}: {con.execute(sql).fetchone()[0]}"))
        _section("quarantined documents", lambda: _quarantined(con))
        _section("extraction issues", lambda: _extraction_issues(con))
        _section("quality", lambda: _quality(con))
    finally:
        con.close()
    return 0


def _failed_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    for name, error in con.execute("SELECT source_name, error FROM meta.source_errors WHERE run_id = ?",
                                   [run_id]).fetchall():
        print(f"  failed source {name}: {error}")


def _quarantined(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""SELECT source_name, coalesce(agency_name, '?'), report_year, quarantine_reason
                          FROM marts.dim_document WHERE is_quarantined ORDER BY 1, 2""").fetchall()
    print(f"quarantined documents: {len(rows)}")
    for source, agency, year, reason in rows[:20]:
        print(f"  {source} ({agency} {year or '?'}): {reason}")
    if len(rows) > 20:
        print(f"  … and {len(rows) - 20} more: SELECT * FROM marts.dim_document WHERE is_quarantined")


def _extraction_issues(con: duckdb.DuckDBPyConnection) -> None:
    """Counts of errors and warnings, then the documents they concern: a gap must not hide in raw."""
    counts = dict(con.execute("SELECT severity, count(*) FROM raw.extraction_issues GROUP BY ALL").fetchall())
    print(f"extraction issues: {counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings")
    rows = con.execute("""
        SELECT d.source_name, coalesce(d.agency_name, '?'), d.report_year,
               count(*) FILTER (WHERE i.severity = 'error'), count(*) FILTER (WHERE i.severity = 'warning'),
               string_agg(DISTINCT i.issue_code, ', ' ORDER BY i.issue_code)
        FROM staging.stg_raw__extraction_issues AS i JOIN marts.dim_document AS d USING (document_id)
        GROUP BY ALL ORDER BY 4 DESC, 1""").fetchall()
    for source, agency, year, errors, warnings, codes in rows[:20]:
        print(f"  {source} ({agency} {year or '?'}): {errors} errors, {warnings} warnings — {codes}")
    if len(rows) > 20:
        print(f"  … and {len(rows) - 20} more documents: SELECT * FROM raw.extraction_issues")


def _quality(con: duckdb.DuckDBPyConnection) -> None:
    years = con.execute("""SELECT quality_status, verification_status, count(*) AS "agency-years"
                           FROM marts.agency_year GROUP BY ALL ORDER BY 1, 2""")
    print("agency-years by quality and verification (marts.agency_year):")
    print(render([d[0] for d in years.description], years.fetchall(), "table"), end="")
    quality = con.execute("""
        SELECT 'fct_requests' AS mart, quality_status, count(*) FROM marts.fct_requests GROUP BY ALL
        UNION ALL SELECT 'fct_appeals', quality_status, count(*) FROM marts.fct_appeals GROUP BY ALL
        UNION ALL SELECT 'fct_publications', quality_status, count(*) FROM marts.fct_publications GROUP BY ALL
        ORDER BY 1, 2""").fetchall()
    print("quality:")
    print(render(["mart", "quality_status", "rows"], quality, "table"), end="")


def print_summary(layout: Layout) -> None:
    """The per-agency/year summary that ends a refresh."""
    if not layout.warehouse.exists():
        print(f"no warehouse published at {layout.warehouse}")
        return
    try:
        health.check_published(layout)
        con = readonly.connect(layout.warehouse)
    except (health.WarehouseUnavailable, duckdb.Error) as exc:
        print(str(exc).splitlines()[0])
        return
    try:
        result = con.execute("""
            SELECT agency_name AS agency, report_year AS year, kind, template, new_received, carried_over,
                   closed_total, carried_forward, balance_ok, reconsideration_total AS reconsid,
                   litigation_total AS litig, round(coverage, 2) AS coverage, quality_status AS quality
            FROM marts.agency_year ORDER BY agency, year""")
        columns = [c[0] for c in result.description]
        rows = result.fetchall()
        failed_sources = con.execute("""SELECT source_name, error FROM meta.source_errors
                                        WHERE run_id = (SELECT run_id FROM meta.runs WHERE status = 'published'
                                                        ORDER BY finished_at DESC LIMIT 1)""").fetchall()
    except duckdb.Error as exc:
        print(f"summary unavailable: {str(exc).splitlines()[0]}")
        return
    finally:
        con.close()
    print(f"\nwarehouse: {layout.warehouse}")
    print(render(columns, rows, "table"), end="")
    for name, error in failed_sources:
        print(f"failed source {name}: {error}")
    print(next_steps(layout))


def next_steps(layout: Layout) -> str:
    """What to do next, with commands that exist (tests/test_cli.py runs each of them)."""
    flag = "" if layout.warehouse == Layout.at(None).warehouse else f" --warehouse {layout.warehouse}"
    return "\n".join([
        "",
        "next:",
        f"  charts and quality report (open in a browser, no network needed): {layout.report / 'index.html'}",
        "  what is in the warehouse, and what each column means:",
        f"    .venv/bin/ogi tables{flag}",
        f"    .venv/bin/ogi describe agency_year{flag}",
        "  one row per agency and year, as a table, or as a file for Excel (or csv, parquet, json):",
        f"    .venv/bin/ogi query \"SELECT agency_name, report_year, new_received, closed_total, quality_status "
        f"FROM marts.agency_year\"{flag}",
        f"    .venv/bin/ogi export agency_year --format xlsx{flag}",
        f"  last run, counts, warnings and quality: .venv/bin/ogi status{flag}",
    ])
