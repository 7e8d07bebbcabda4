"""Generated reports damaged the ways crawled and converted pages damage tables (tests/variants.py,
`crawled_variants`): one test per class of damage, several seeds and both forms each. Every figure a
careful reader can be sure of must be read; no figure may be wrong; where glued digits could split more
than one way into cells that add up, nothing is read and a warning names the cells."""

import pytest
from variants import APPLICANTS, DAMAGES, Variant, _num, crawled_variants, expected, glued_splits, render, score

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


def _glued_rows(report, v) -> dict[str, int]:
    """Table 三's rows by how many splits of their glued digits add up."""
    return {k: len(glued_splits("".join(_num(x, Variant(v.seed)) for x in row), 7, 7)) for k, row in report.t3.items()}


def test_glued_rows_that_split_more_than_one_way_are_not_read():
    glued = [(r, v) for r, v in CASES if v.damage == "glued"]
    ambiguous = 0
    for report, v in glued:
        data, filename, media_type = render(report, v)
        e = extract_bytes(data, "glued", filename=filename, media_type=media_type)
        got = {f.metric for f in e.facts if f.method == "table"}
        for key, splits in _glued_rows(report, v).items():
            assert (f"requests.{key}" in got) == (splits == 1), (v.seed, key, splits)
            ambiguous += splits > 1
        if any(n > 1 for n in _glued_rows(report, v).values()):
            assert any("cannot be split" in w for w in e.warnings)
    assert ambiguous  # the cases hold rows that only a guess could split


def test_glued_rows_with_numbers_of_several_digits_are_read_when_only_one_split_adds_up():
    rows_read = 0
    for report, v in [(r, v) for r, v in CASES if v.damage == "glued"]:
        data, filename, media_type = render(report, v)
        e = extract_bytes(data, "glued", filename=filename, media_type=media_type)
        read = {(f.metric, f.applicant): f.value for f in e.facts if f.method == "table"}
        for key, splits in _glued_rows(report, v).items():
            row = report.t3[key]
            if splits == 1 and any(x > 9 for x in row):
                rows_read += 1
                assert [read[(f"requests.{key}", a)] for a in APPLICANTS] == row, (v.seed, key)
    assert rows_read


def test_checks_and_confidence_are_reported():
    report, v = next((r, v) for r, v in CASES if v.damage == "cell_per_line")
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, "cells", filename=filename, media_type=media_type)
    outcome_checks = [c for c in e.checks if c.name.startswith("requests.outcomes@")]
    assert len(outcome_checks) == 7 and all(c.ok for c in outcome_checks)
    granted = [f for f in e.facts if f.metric == "requests.granted" and f.method == "table"]
    assert granted and all(f.confidence == "verified" for f in granted)


def test_the_split_search_agrees_with_plain_enumeration():
    import random

    from extract.align import glued_readings

    rng = random.Random(15)
    for _ in range(400):
        n, block = rng.choice([(7, 7), (15, 5)])
        cells = []
        for _ in range(n // block):
            part = [rng.choice([0, 0, 0, rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 999)])
                    for _ in range(block - 1)]
            cells += [*part, sum(part)]
        digits = "".join(map(str, cells))
        reference = glued_splits(digits, n, block)
        assert tuple(cells) in reference
        found = glued_readings(digits, n, block)
        assert len(found) == min(2, len(reference)), digits
        if len(reference) == 1:
            assert found == reference
    assert glued_readings("9" * 400, 7, 7) == []  # a hostile run: no reading, and no long search
