"""The tables behind the report's charts: one query each on the published marts (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Table:
    result = con.execute(sql, params or [])
    return Table([d[0] for d in result.description], result.fetchall())


YEAR_TOTALS = """
    SELECT report_year, agencies, agencies_reporting_requests, new_received, closed_total, granted,
           new_received_change, new_received_change_pct, agencies_comparable, new_received_like_for_like_pct,
           reconsideration_total, litigation_total
    FROM marts.region_year WHERE province = 'all' AND level = 'all' ORDER BY report_year"""

RECEIVED_VS_CLOSED = """
    SELECT agency_name, report_year, new_received, closed_total, carried_over, carried_forward, balance_ok,
           partial_period, quality_status
    FROM marts.agency_year WHERE new_received IS NOT NULL OR closed_total IS NOT NULL
    ORDER BY agency_name, report_year"""

# Each agency's latest year with a request figure, largest first.
RANKING = """
    SELECT agency_name, report_year, new_received, level, province, partial_period
    FROM marts.agency_year WHERE new_received IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY report_year DESC) = 1
    ORDER BY new_received DESC, agency_name"""

OUTCOMES = """
    SELECT agency_name, report_year, closed_total, granted, partially_granted, denied_total, unavailable_total,
           not_processed_total, other_total, granted_share
    FROM marts.agency_year
    WHERE closed_total IS NOT NULL AND coalesce(granted, partially_granted, denied_total, unavailable_total,
                                                not_processed_total, other_total) IS NOT NULL
    ORDER BY agency_name, report_year"""

APPEALS = """
    SELECT agency_name, report_year, reconsideration_total, reconsideration_upheld, reconsideration_corrected,
           reconsideration_other, reconsideration_pending, reconsideration_corrected_rate, litigation_total,
           litigation_upheld, litigation_corrected, litigation_other, litigation_pending, litigation_corrected_rate
    FROM marts.agency_year WHERE reconsideration_total IS NOT NULL OR litigation_total IS NOT NULL
    ORDER BY agency_name, report_year"""

TRENDS = """
    SELECT agency_name, report_year, new_received, closed_total, partial_period
    FROM marts.agency_year
    WHERE agency_id IN (SELECT agency_id FROM marts.agency_year WHERE new_received IS NOT NULL)
    ORDER BY agency_name, report_year"""

QUALITY = """
    SELECT agency_name, report_year, template, coverage, figures_stated, figures_expected, verification_status,
           quality_status, partial_period, warning_issues, error_issues, quality_failures
    FROM marts.agency_year ORDER BY coverage DESC, agency_name, report_year"""

QUALITY_COUNTS = """
    SELECT quality_status, count(*) AS agency_years FROM marts.agency_year GROUP BY ALL ORDER BY 1"""

LATEST_RUN = """
    SELECT run_id, max(validated_at) AS validated_at, count(*) FILTER (WHERE agency_id IS NULL) AS expectations,
           count(*) FILTER (WHERE agency_id IS NULL AND NOT success) AS failed
    FROM quality.validation_results GROUP BY run_id ORDER BY max(validated_at) DESC NULLS LAST, run_id DESC
    LIMIT 1"""

FAILURES = """
    SELECT coalesce(a.agency_name, r.agency_id) AS agency_name, r.report_year, r.applicant, r.suite, r.expectation,
           coalesce(r.message, r.observed) AS message
    FROM quality.validation_results AS r
    LEFT JOIN marts.dim_agency AS a USING (agency_id)
    WHERE r.run_id = ? AND NOT r.success AND r.agency_id IS NOT NULL
    ORDER BY r.suite = 'extraction_checks', agency_name, r.report_year, r.applicant, r.expectation"""

DOCUMENT_ISSUES = """
    SELECT coalesce(d.agency_name, '(unknown agency)') AS agency_name, d.report_year, d.source_name, i.severity,
           i.issue_code, i.message
    FROM staging.stg_raw__extraction_issues AS i JOIN marts.dim_document AS d USING (document_id)
    ORDER BY i.severity, agency_name, d.report_year, i.issue_code"""

GAPS = """
    SELECT agency_name, report_year, quality_status, verification_status, coverage, figures_stated, figures_expected,
           partial_period, extraction_issues
    FROM marts.agency_year
    WHERE quality_status IN ('failed', 'no_figures') OR verification_status = 'conflict' OR partial_period
       OR coverage < 0.5
    ORDER BY quality_status, coverage, agency_name, report_year"""
