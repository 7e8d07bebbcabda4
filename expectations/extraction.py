"""Suite `extraction_checks` on the extractor's own arithmetic (raw.checks via staging.stg_raw__checks),
one row per identity tested on a document: `extraction.identities_hold` expects every identity to hold.

This reports the extraction checks beside the mart suites, in the same results table and Data Docs. A
failure flags no mart row: the figures it involves already carry `confidence = 'conflict'`, which the
marts' `verification_status` shows.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations.base import Suite, check

KEYS = ("agency_id", "report_year", "document_id", "check_name")


def suite(checks: pd.DataFrame) -> Suite:
    expectations = [check("extraction.identities_hold", gxe.ExpectColumnValuesToBeInSet,
                          notes="Every arithmetic identity the extractor tested on a document holds "
                                "(raw.checks.ok); a failure means the printed figures or their reading "
                                "do not add up.",
                          column="is_ok", value_set=[True])]
    return Suite("extraction_checks", None, KEYS, checks.copy(), expectations)
