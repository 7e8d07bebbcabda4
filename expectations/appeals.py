"""Suite `appeals` on marts.fct_appeals (table 四 行政复议、行政诉讼), one row per agency × year.

Each of the four groups (reconsideration, litigation_direct, litigation_after_reconsideration and
litigation, the last being both kinds of litigation together) has four outcomes and a total:
- `appeals.<group>_outcomes_sum_to_total`: upheld + corrected + other + pending = total. In a table
  document (template 2021/2019) a missing cell counts as 0 and the identity applies once any of the five
  is known; elsewhere it applies only when all five are known.
- `appeals.<group>_outcomes_within_total`: the known outcomes add up to at most the total (narratives
  often state a total and only some outcomes).
- `appeals.litigation_kinds_sum_to_total`: litigation_total = litigation_direct_total +
  litigation_after_reconsideration_total, where all three are known.
"""

from __future__ import annotations

import pandas as pd

from expectations.base import (
    Suite,
    at_least,
    helper,
    is_table,
    known_sum,
    non_negative,
    pair_equal,
    where,
    year_in_range,
)
from extract import metrics

KEYS = ("agency_id", "report_year")
GROUPS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration", "litigation")
OUTCOMES = ("upheld", "corrected", "other", "pending")


def columns() -> list[str]:
    return metrics.keys("appeals")


def _group_helpers(frame: pd.DataFrame, group: str, table: pd.Series) -> dict[str, pd.Series]:
    parts = frame[[f"{group}_{o}" for o in OUTCOMES]]
    total = frame[f"{group}_total"]
    complete = parts.notna().all(axis=1) & total.notna()
    applies = (table & (parts.notna().any(axis=1) | total.notna())) | complete
    return {
        helper(f"{group}_outcomes_sum"): where(applies, parts.sum(axis=1)),
        helper(f"{group}_outcomes_total"): where(applies, total.fillna(0)),
        helper(f"{group}_known_outcomes"): known_sum(frame, list(parts.columns)),
    }


def suite(fct_appeals: pd.DataFrame, current_year: int) -> Suite:
    frame = fct_appeals.copy()
    table = is_table(frame)
    helpers: dict[str, pd.Series] = {
        helper("litigation_kinds_sum"): frame["litigation_direct_total"]
        + frame["litigation_after_reconsideration_total"],
    }
    for group in GROUPS:
        helpers |= _group_helpers(frame, group, table)
    frame = pd.concat([frame, pd.DataFrame(helpers, index=frame.index)], axis=1)

    expectations = [year_in_range("appeals", current_year), *non_negative("appeals", columns())]
    for group in GROUPS:
        expectations += [
            pair_equal(f"appeals.{group}_outcomes_sum_to_total", helper(f"{group}_outcomes_sum"),
                       helper(f"{group}_outcomes_total"),
                       f"{group}: upheld + corrected + other + pending = total (blank = 0 in tables)."),
            at_least(f"appeals.{group}_outcomes_within_total", f"{group}_total",
                     helper(f"{group}_known_outcomes"),
                     f"{group}: the known outcomes add up to at most the total."),
        ]
    expectations.append(pair_equal(
        "appeals.litigation_kinds_sum_to_total", "litigation_total", helper("litigation_kinds_sum"),
        "litigation_total = litigation_direct_total + litigation_after_reconsideration_total."))
    return Suite("appeals", "fct_appeals", KEYS, frame, expectations)
