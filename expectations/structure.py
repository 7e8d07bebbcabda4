"""Structural suites: the relations validated (the dimensions, and the fact rows before their verdict)
have their contract columns (the fixed ones of the mart contract plus
one per metric key of extract/metrics.yaml), a unique grain and non-null keys. A structural failure stops
the publish; it flags no rows."""

from __future__ import annotations

from typing import Any

import great_expectations.expectations as gxe
import pandas as pd

from expectations.base import Suite, check
from extract import metrics

_FACT_KEYS = ["agency_id", "agency_name", "report_year"]


def contract() -> dict[str, list[str]]:
    """Every marts table and the columns it must have."""
    return {
        "dim_agency": ["agency_id", "agency_name", "province", "city", "county", "level", "is_government",
                       "documents"],
        "dim_document": ["document_id", "agency_id", "agency_name", "report_year", "kind", "template",
                         "published", "source", "source_name", "script", "partial_period", "fetched_at",
                         "media_type", "facts", "error_issues", "is_chosen", "choice_rank", "checks_held",
                         "checks_failed", "warning_issues"],
        # the verdict columns (quality_status …) are added by the fact marts after validation
        "fct_requests": [*_FACT_KEYS, "applicant", "document_id", *metrics.keys("requests"), "balance_ok"],
        "fct_appeals": [*_FACT_KEYS, "document_id", *metrics.keys("appeals")],
        "fct_publications": [*_FACT_KEYS, "document_id", *metrics.keys("publications")],
    }


GRAIN: dict[str, tuple[str, ...]] = {
    "dim_agency": ("agency_id",),
    "dim_document": ("document_id",),
    "fct_requests": ("agency_id", "report_year", "applicant"),
    "fct_appeals": ("agency_id", "report_year"),
    "fct_publications": ("agency_id", "report_year"),
}
NOT_NULL: dict[str, tuple[str, ...]] = {t: g + (("document_id",) if t.startswith("fct_") else ())
                                        for t, g in GRAIN.items()}


def suite(table: str, frame: pd.DataFrame) -> Suite:
    present = set(frame.columns)
    grain = GRAIN[table]
    expectations = [check(f"structure.{table}.columns", gxe.ExpectTableColumnsToMatchSet,
                          column_set=contract()[table], exact_match=False)]
    if present.issuperset(grain):
        expectations.append(check(f"structure.{table}.grain_unique", gxe.ExpectCompoundColumnsToBeUnique,
                                  column_list=list(grain)) if len(grain) > 1 else
                            check(f"structure.{table}.grain_unique", gxe.ExpectColumnValuesToBeUnique,
                                  column=grain[0]))
    expectations += [check(f"structure.{table}.{c}_not_null", gxe.ExpectColumnValuesToNotBeNull, column=c)
                     for c in NOT_NULL[table] if c in present]
    keys = tuple(c for c in ("agency_id", "report_year", "applicant", "document_id")
                 if c in grain and c in present)
    return Suite(f"structure.{table}", None, keys, frame, expectations)


def describe(relation: str, name: str, result: dict[str, Any]) -> str:
    """A one-line structural error from a failed structural expectation's result on `relation`
    (schema.table, the relation validated for a contract table)."""
    table = name.split(".")[1]
    if name.endswith(".columns"):
        missing = sorted(((result.get("details") or {}).get("mismatched") or {}).get("missing") or [])
        return f"{relation}: missing columns {', '.join(missing)}"
    if name.endswith(".grain_unique"):
        return (f"{relation}: grain ({', '.join(GRAIN[table])}) not unique, "
                f"{result.get('unexpected_count')} rows share a key")
    column = name.rsplit(".", 1)[1].removesuffix("_not_null")
    return f"{relation}: {column} is null in {result.get('unexpected_count')} rows"
