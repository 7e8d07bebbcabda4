"""Generated reports damaged the ways crawled and converted pages damage tables (tests/variants.py,
`crawled_variants`): one test per class of damage, several seeds and both forms each. Every figure a
careful reader can be sure of must be read; no figure may be wrong; where glued digits could split more
than one way, nothing is read and a warning names the cells."""

from collections import defaultdict

import pytest
from variants import DAMAGES, crawled_variants, expected, render

from extract import extract_bytes

CASES = crawled_variants(3)


def _close(a, b) -> bool:
    return abs(a - b) < 1e-6


def _check(report, v):
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, f"crawled-{v.seed}", filename=filename, media_type=media_type)
    truth = expected(report, v)
    table: dict[tuple[str, str], list] = defaultdict(list)
    text: dict[tuple[str, str], list] = defaultdict(list)
    for f in e.facts:
        assert e.text[f.start : f.end] == f.evidence
        (table if f.method == "table" else text)[(f.metric, f.applicant)].append(f.value)
    found = {k: table.get(k, []) + text.get(k, []) for k in set(table) | set(text)}
    missing = {k: x for k, x in truth.items() if not any(_close(g, x) for g in found.get(k, [0] if x == 0 else []))}
    wrong = {k: g for k, g in table.items() if k in truth and any(not _close(x, truth[k]) for x in g)}
    extra = {k: g for k, g in table.items() if k not in truth and any(x != 0 for x in g)}
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
