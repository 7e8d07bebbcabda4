"""Suite `requests` on marts.fct_requests (table 三 收到和处理政府信息公开申请情况), one row per
agency × year × applicant.

How the outcome rows combine (documented rule, used by `requests.outcomes_sum_to_closed_total`):
  closed_total = granted + partially_granted + denied + unavailable + not_processed + other, where each
  of the four categories is
  - in a table document (template 2021/2019): the sum of its reason columns when any is known, else its
    *_total; every missing term counts as 0 (a blank cell of the standard table is zero), and the
    identity applies as soon as one of its terms is known;
  - in any other document: its *_total when known (narratives state totals and only some reasons), else
    the sum of its known reason columns; the identity applies only when closed_total and all six terms
    are known.
  Separately, a category's known reasons may never add up to more than its *_total
  (`requests.<category>_reasons_within_total`).
Applicant columns (`requests.applicants_sum_to_total.<metric>`): for agency-years with the per-applicant
table (a row for at least one of the five organisation columns), natural_person + the five organisation
rows = the total row, per metric of table 三, missing applicant cells counting as 0; checked on (and flagging) the
total row, where it states the figure (a 总计 left blank over filled cells is no figure, extract/tables.py).
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
from extract.forms import forms

KEYS = ("agency_id", "report_year", "applicant")
ORGANISATIONS = forms().organisations  # the columns of 法人或其他组织, as the national form prints them
PER_APPLICANT = ("natural_person", *ORGANISATIONS)
CATEGORIES = ("denied", "unavailable", "not_processed", "other")


def columns() -> list[str]:
    return metrics.keys("requests")


def table_metrics() -> list[str]:
    """The rows of the 2019/2021 table 三, each broken down by applicant (the form has no total row for
    the denied/unavailable/not_processed reasons; other_total is the single 其他处理 row of 2019)."""
    category_totals = {f"{c}_total" for c in CATEGORIES if c != "other"}
    return [k for k in columns() if not k.startswith(("legacy_", "received_")) and k not in category_totals]


def reasons(category: str) -> list[str]:
    return [k for k in columns() if k.startswith(f"{category}_") and k != f"{category}_total"]


def _category(frame: pd.DataFrame, category: str, table: pd.Series) -> pd.Series:
    by_reason = known_sum(frame, reasons(category))
    total = frame[f"{category}_total"]
    return by_reason.combine_first(total).where(table, total.combine_first(by_reason))


def _outcomes(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """The outcome sum and closed_total where the identity applies (NaN elsewhere), and the six terms
    (kept as helper columns so a failure can be told term by term)."""
    table = is_table(frame)
    terms = pd.DataFrame({"granted": frame["granted"], "partially_granted": frame["partially_granted"]}
                         | {c: _category(frame, c, table) for c in CATEGORIES})
    closed = frame["closed_total"]
    applies = (table & (terms.notna().any(axis=1) | closed.notna())) | (
        ~table & terms.notna().all(axis=1) & closed.notna())
    return where(applies, terms.sum(axis=1)), where(applies, closed.fillna(0)), terms


def _applicant_sums(frame: pd.DataFrame) -> dict[str, pd.Series]:
    year = ["agency_id", "report_year"]
    at = pd.MultiIndex.from_frame(frame[year])
    with_table = pd.MultiIndex.from_frame(frame.loc[frame["applicant"].isin(ORGANISATIONS), year])
    on_total = pd.Series(at.isin(with_table), index=frame.index) & (frame["applicant"] == "total")
    parts = frame[frame["applicant"].isin(PER_APPLICANT)].groupby(year)[table_metrics()].sum(min_count=1)
    parts = parts.reindex(at).set_axis(frame.index)
    out: dict[str, pd.Series] = {}
    for metric in table_metrics():
        applies = on_total & frame[metric].notna()
        out[helper(f"applicants_sum__{metric}")] = where(applies, parts[metric].fillna(0))
        out[helper(f"applicants_total__{metric}")] = where(applies, frame[metric].fillna(0))
    return out


def _previous_carried_forward(frame: pd.DataFrame) -> pd.Series:
    previous = frame[["agency_id", "applicant", "report_year", "carried_forward"]].copy()
    previous["report_year"] = previous["report_year"] + 1
    joined = frame[["agency_id", "applicant", "report_year"]].merge(
        previous, how="left", on=["agency_id", "applicant", "report_year"], validate="one_to_one")
    return joined["carried_forward"].set_axis(frame.index).astype("float64")


def suite(fct_requests: pd.DataFrame, current_year: int) -> Suite:
    frame = fct_requests.copy()
    helpers: dict[str, pd.Series] = {
        helper("balance_lhs"): frame["new_received"] + frame["carried_over"],
        helper("balance_rhs"): frame["closed_total"] + frame["carried_forward"],
        helper("previous_carried_forward"): _previous_carried_forward(frame),
    }
    helpers[helper("outcomes_sum")], helpers[helper("outcomes_closed_total")], terms = _outcomes(frame)
    helpers |= {helper(f"outcome__{name}"): terms[name].astype("float64") for name in terms.columns}
    for category in CATEGORIES:
        helpers[helper(f"{category}_reasons")] = known_sum(frame, reasons(category))
    helpers |= _applicant_sums(frame)
    frame = pd.concat([frame, pd.DataFrame(helpers, index=frame.index)], axis=1)

    expectations = [
        year_in_range("requests", current_year),
        *non_negative("requests", columns()),
        pair_equal("requests.balance_identity", helper("balance_lhs"), helper("balance_rhs"),
                   "new_received + carried_over = closed_total + carried_forward, where all four are known."),
        pair_equal("requests.outcomes_sum_to_closed_total", helper("outcomes_sum"),
                   helper("outcomes_closed_total"),
                   "granted + partially_granted + denied + unavailable + not_processed + other = "
                   "closed_total (rule in expectations/requests.py)."),
        *[at_least(f"requests.{c}_reasons_within_total", f"{c}_total", helper(f"{c}_reasons"),
                   f"The known {c}_* reasons add up to at most {c}_total.") for c in CATEGORIES],
        *[pair_equal(f"requests.applicants_sum_to_total.{m}", helper(f"applicants_sum__{m}"),
                     helper(f"applicants_total__{m}"),
                     f"natural_person + the five organisation columns = total for {m} (per-applicant table).")
          for m in table_metrics()],
        pair_equal("requests.carried_over_matches_previous_year", "carried_over",
                   helper("previous_carried_forward"),
                   "carried_over equals the agency's (and applicant's) carried_forward of the year before."),
    ]
    return Suite("requests", "fct_requests", KEYS, frame, expectations)
