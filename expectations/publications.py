"""Suite `publications` on marts.fct_publications (table 二 主动公开 and the narrative), one row per
agency × year: every count and amount is non-negative and the year is plausible. The table has no sum
identity (its rows are independent categories)."""

from __future__ import annotations

import pandas as pd

from expectations.base import Suite, non_negative, year_in_range
from extract import metrics

KEYS = ("agency_id", "report_year")


def columns() -> list[str]:
    return metrics.keys("publications")


def suite(fct_publications: pd.DataFrame, current_year: int) -> Suite:
    expectations = [year_in_range("publications", current_year), *non_negative("publications", columns())]
    return Suite("publications", "fct_publications", KEYS, fct_publications.copy(), expectations)
