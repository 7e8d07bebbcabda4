"""What `ogi status` and the end of `ogi refresh` print about the published warehouse."""

from __future__ import annotations

import json

from warehouse import readonly
from warehouse.layout import Layout
from warehouse.render import render

_COUNTS = {
    "documents": "SELECT count(*) FROM marts.dim_document",
    "agencies": "SELECT count(*) FROM marts.dim_agency",
    "agency-years": "SELECT count(*) FROM marts.fct_appeals",
    "facts": "SELECT count(*) FROM raw.facts",
    "extraction issues (errors)": "SELECT count(*) FROM raw.extraction_issues WHERE severity = 'error'",
}


def _last_failed_run(layout: Layout) -> dict | None:
    runs = sorted(layout.runs.glob("*/run.json"), key=lambda p: p.stat().st_mtime)
    latest = json.loads(runs[-1].read_text("utf-8")) if runs else None
    return latest if latest and latest.get("status") != "published" else None


def print_status(layout: Layout) -> None:
    failed = _last_failed_run(layout)
    if failed:
        print(f"last run {failed['run_id']}: {failed.get('status')} at {failed.get('finished_at', '?')}"
              f" — {failed.get('message', '')}")
    if not layout.warehouse.exists():
        print(f"no warehouse published at {layout.warehouse} yet")
        return
    con = readonly.connect(layout.warehouse)
    try:
        run = con.execute("""SELECT run_id, started_at, finished_at, sources, failed_sources, documents_seen,
                                    documents_extracted FROM meta.runs WHERE status = 'published'
                             ORDER BY finished_at DESC LIMIT 1""").fetchone()
        if run:
            print(f"warehouse: {layout.warehouse}")
            print(f"last published run: {run[0]} (started {run[1]}, finished {run[2]})")
            print(f"  sources {run[3]} ({run[4]} failed), documents seen {run[5]}, extracted {run[6]}")
            for name, error in con.execute(
                    "SELECT source_name, error FROM meta.source_errors WHERE run_id = ?", [run[0]]).fetchall():
                print(f"  failed source {name}: {error}")
        for label, sql in _COUNTS.items():
            print(f"{label}: {con.execute(sql).fetchone()[0]}")
        quality = con.execute("""
            SELECT 'fct_requests' AS mart, quality_status, count(*) FROM marts.fct_requests GROUP BY ALL
            UNION ALL SELECT 'fct_appeals', quality_status, count(*) FROM marts.fct_appeals GROUP BY ALL
            UNION ALL SELECT 'fct_publications', quality_status, count(*) FROM marts.fct_publications GROUP BY ALL
            ORDER BY 1, 2""").fetchall()
        print("quality:")
        print(render(["mart", "quality_status", "rows"], quality, "table"), end="")
    finally:
        con.close()


def print_summary(layout: Layout) -> None:
    """The per-agency/year summary that ends a refresh."""
    if not layout.warehouse.exists():
        print(f"no warehouse published at {layout.warehouse}")
        return
    con = readonly.connect(layout.warehouse)
    try:
        result = con.execute("""
            SELECT a.agency_name AS agency, a.report_year AS year, d.kind, d.template,
                   r.new_received, r.carried_over, r.closed_total, r.carried_forward, r.balance_ok,
                   a.reconsideration_total AS reconsid, a.litigation_total AS litig,
                   r.quality_status AS quality
            FROM marts.fct_appeals a
            JOIN marts.dim_document d USING (document_id)
            LEFT JOIN marts.fct_requests r
              ON r.agency_id = a.agency_id AND r.report_year = a.report_year AND r.applicant = 'total'
            ORDER BY agency, year""")
        columns = [c[0] for c in result.description]
        rows = result.fetchall()
        failed_sources = con.execute("""SELECT source_name, error FROM meta.source_errors
                                        WHERE run_id = (SELECT run_id FROM meta.runs WHERE status = 'published'
                                                        ORDER BY finished_at DESC LIMIT 1)""").fetchall()
    finally:
        con.close()
    print(f"\nwarehouse: {layout.warehouse}  (read-only: duckdb -readonly {layout.warehouse})")
    print(f"data docs: {layout.data_docs / 'index.html'}")
    print(render(columns, rows, "table"), end="")
    for name, error in failed_sources:
        print(f"failed source {name}: {error}")
