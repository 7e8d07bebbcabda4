"""Generated reports damaged the ways crawled and converted pages damage tables (tests/variants.py,
`crawled_variants`): one test per class of damage, several seeds and both forms each. Every figure a
careful reader can be sure of must be read; no figure may be wrong; where glued digits could split more
than one way, nothing is read and a warning names the cells."""

import pytest
from variants import DAMAGES, crawled_variants, expected, render, score

from extract import extract_bytes

CASES = crawled_variants(3)


def _check(report, v):
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, f"crawled-{v.seed}", filename=filename, media_type=media_type)
    assert all(e.text[f.start : f.end] == f.evidence for f in e.facts)
    tables = [f for f in e.facts if f.method == "table"]
    missing, _ = score(report, v, e.facts)  # a figure read from the prose counts as read
    _, wrong = score(report, v, tables)  # a table figure not generated is judged below: extra
    truth = expected(report, v)
    extra = {(f.metric, f.applicant): f.value for f in tables if (f.metric, f.applicant) not in truth and f.value != 0}
    return e, missing, wrong, extra


@pytest.mark.parametrize("damage", DAMAGES)
def test_damage_class(damage):
    cases = [(r, v) for r, v in CASES if v.damage == damage]
    assert {r.fmt for r, _ in cases} >= {"2021"}
    for report, v in cases:
        e, missing, wrong, extra = _check(report, v)
        assert wrong == {}, (v.seed, report.fmt)
        assert extra == {}, (v.seed, report.fmt)
        assert missing == {}, (v.seed, report.fmt)
        assert all(c.ok for c in e.checks if c.name.startswith(("requests.outcomes", "requests.applicants",
                                                                "appeals."))), v.seed


def test_glued_rows_that_split_more_than_one_way_are_not_read():
    report, v = next((r, v) for r, v in CASES if v.damage == "glued")
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, "glued", filename=filename, media_type=media_type)
    ambiguous = [k for k in report.t3 if any(x > 9 for x in report.t3[k])]
    assert ambiguous
    got = {f.metric for f in e.facts if f.method == "table"}
    assert not any(f"requests.{k}" in got for k in ambiguous)
    assert any("cannot be split" in w for w in e.warnings)


def test_checks_and_confidence_are_reported():
    report, v = next((r, v) for r, v in CASES if v.damage == "cell_per_line")
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, "cells", filename=filename, media_type=media_type)
    outcome_checks = [c for c in e.checks if c.name.startswith("requests.outcomes@")]
    assert len(outcome_checks) == 7 and all(c.ok for c in outcome_checks)
    granted = [f for f in e.facts if f.metric == "requests.granted" and f.method == "table"]
    assert granted and all(f.confidence == "verified" for f in granted)
