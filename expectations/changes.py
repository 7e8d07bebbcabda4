"""Suite `changes` on intermediate.int_chosen_figure_changes, one row per agency-year present in both the
last published run and this one: `changes.chosen_figures_stable` expects no chosen figure of an
agency-year to move by more than MAX_CHANGE_SHARE of its previous value (|new − old| / max(|old|, 1))
unless the chosen document changed to one from the agency's own catalogue source.

Why: a figure that jumps between two runs without a new report from the agency is what a hostile or
mistaken page looks like (淮安市人民政府 new_received 3119 → 713 from another source's page). The
provenance rule keeps such pages out of the marts; this check catches what gets past it (a source with
`allow_other_agencies`, a re-extraction that reads a table differently). A failure flags no mart row
here; it is recorded per agency-year in quality.validation_results.
"""

from __future__ import annotations

import duckdb
import great_expectations.expectations as gxe
import pandas as pd

from expectations.base import Suite, check, helper, where

KEYS = ("agency_id", "report_year")
MAX_CHANGE_SHARE = 0.5
_SQL = """SELECT agency_id, agency_name, report_year, document_id, previous_document_id, figures_compared,
                 max_change_share, most_changed_figure, explained
          FROM intermediate.int_chosen_figure_changes"""


def read(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """The changes of this build; None when the warehouse has no such model (a hand-made test warehouse)."""
    try:
        return con.execute(_SQL).df()
    except duckdb.CatalogException:
        return None


def suite(changes: pd.DataFrame) -> Suite:
    frame = changes.copy()
    unexplained = ~frame["explained"].fillna(False).astype(bool)
    frame[helper("unexplained_change")] = where(unexplained, frame["max_change_share"].astype("float64"))
    expectations = [check("changes.chosen_figures_stable", gxe.ExpectColumnValuesToBeBetween,
                          notes=f"No chosen figure of an agency-year moves by more than {MAX_CHANGE_SHARE:.0%} "
                                "of its value in the last published run unless a new document from the "
                                "agency's own source is chosen.",
                          column=helper("unexplained_change"), min_value=0, max_value=MAX_CHANGE_SHARE)]
    return Suite("changes", None, KEYS, frame, expectations)
