"""What a suite is: one pandas DataFrame (a mart plus helper columns) and the GX expectations run on it.

The suite modules only compute helper columns (sums, the previous year's value) and declare expectations;
every pass/fail decision is made by Great Expectations. An expectation carries its stable name in
`meta["name"]`: that name is what `quality.validation_results.expectation` and the marts'
`quality_failures` list hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import great_expectations.expectations as gxe
import pandas as pd

# Templates whose figures come from the standard tables: a blank cell there means zero, so a missing
# value counts as 0 in the sum identities. In narratives a missing value means "not stated".
TABLE_TEMPLATES = ("2021", "2019")
TEMPLATE_COLUMN = "document_template"  # joined from dim_document before a suite is built
HELPER_PREFIX = "check__"
FIRST_YEAR = 2008  # the national OGI regulations took effect on 2008-05-01


@dataclass(frozen=True)
class Suite:
    name: str                   # GX suite name; the `suite` column of quality.validation_results
    mart: str | None            # marts table whose rows failures flag; None for structural suites
    keys: tuple[str, ...]       # columns that locate a row of that mart (GX unexpected_index_column_names)
    frame: pd.DataFrame
    expectations: list[gxe.Expectation]


def check(name: str, expectation: type[gxe.Expectation], notes: str | None = None,
          **kwargs: Any) -> gxe.Expectation:
    return expectation(meta={"name": name}, notes=notes, **kwargs)


def name_of(expectation_config: Any) -> str:
    meta = getattr(expectation_config, "meta", None) or {}
    return meta.get("name") or f"{expectation_config.type}({expectation_config.kwargs.get('column', '')})"


def helper(name: str) -> str:
    return f"{HELPER_PREFIX}{name}"


def is_table(frame: pd.DataFrame) -> pd.Series:
    return frame[TEMPLATE_COLUMN].isin(TABLE_TEMPLATES)


def known_sum(frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.Series:
    """Sum of the known values of `columns`; NaN when none is known."""
    return frame[list(columns)].sum(axis=1, min_count=1)


def non_negative(group: str, columns: list[str]) -> list[gxe.Expectation]:
    return [check(f"{group}.non_negative.{c}", gxe.ExpectColumnValuesToBeBetween, column=c, min_value=0)
            for c in columns]


def year_in_range(group: str, current_year: int) -> gxe.Expectation:
    return check(f"{group}.report_year_in_range", gxe.ExpectColumnValuesToBeBetween,
                 notes=f"Reports exist from {FIRST_YEAR} (the OGI regulations) to the current year.",
                 column="report_year", min_value=FIRST_YEAR, max_value=current_year)


def pair_equal(name: str, lhs: str, rhs: str, notes: str) -> gxe.Expectation:
    # A NaN helper marks a row the identity does not apply to (a term unknown).
    return check(name, gxe.ExpectColumnPairValuesToBeEqual, notes=notes, column_A=lhs, column_B=rhs,
                 ignore_row_if="either_value_is_missing")


def at_least(name: str, larger: str, smaller: str, notes: str) -> gxe.Expectation:
    return check(name, gxe.ExpectColumnPairValuesAToBeGreaterThanB, notes=notes, column_A=larger,
                 column_B=smaller, or_equal=True, ignore_row_if="either_value_is_missing")


def where(condition: pd.Series, values: pd.Series) -> pd.Series:
    """`values` on the rows where `condition` holds, NaN elsewhere (the expectation skips those rows)."""
    return values.where(condition).astype("float64")
