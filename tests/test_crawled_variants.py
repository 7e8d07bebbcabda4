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


def _glued_splits(report, v) -> dict[str, list[tuple[int, ...]]]:
    """Table 三's rows with the splits of their glued digits that add up."""
    return {k: glued_splits("".join(_num(x, Variant(v.seed)) for x in row), 7, 7) for k, row in report.t3.items()}


def _glued_rows(report, v) -> dict[str, int]:
    """Table 三's rows by how many splits of their glued digits add up."""
    return {k: len(splits) for k, splits in _glued_splits(report, v).items()}


def test_glued_rows_that_split_more_than_one_way_give_only_the_cells_every_split_agrees_on():
    glued = [(r, v) for r, v in CASES if v.damage == "glued"]
    ambiguous = 0
    for report, v in glued:
        data, filename, media_type = render(report, v)
        e = extract_bytes(data, "glued", filename=filename, media_type=media_type)
        got = {(f.metric, f.applicant) for f in e.facts if f.method == "table"}
        for key, splits in _glued_splits(report, v).items():
            agreed = {a for i, a in enumerate(APPLICANTS) if splits and len({s[i] for s in splits}) == 1}
            read = {a for m, a in got if m == f"requests.{key}"}
            assert read == agreed, (v.seed, key, len(splits))
            ambiguous += len(splits) > 1 and agreed != set(APPLICANTS)
        if any(n > 1 for n in _glued_rows(report, v).values()):
            assert any("split several ways" in w or "cannot be split" in w for w in e.warnings)
    assert ambiguous  # the cases hold rows that only a guess could split whole


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


def test_a_year_glued_after_the_last_cell_opens_the_next_paragraph():
    # 平潭市场监管局 2025: "行政事业性收费02025年,我局严格按照…" and "结转下年度继续办理20000022025年,我局共收到…"
    from extract.align import _split_text, _value

    items = [(i.kind, i.text) for i in _split_text("行政事业性收费02025年,我局严格按照《条例》", 0)]
    assert ("num", "0") in items and all(t != "02025" for _, t in items)
    items = [(i.kind, i.text) for i in _split_text("四、结转下年度继续办理20000022025年,我局共收到", 0)]
    assert ("num", "2000002") in items
    assert _value("02025") == (None, 1.0)  # no figure is printed with a leading zero


def test_glued_cells_every_reading_agrees_on_are_read_and_table_four_tens_are_not_guessed():
    from extract.align import glued_readings

    # "110000011": 11|0|0|0|0|0|11 or 1|10|0|0|0|0|11; both say 总计 11
    readings = glued_readings("110000011", 7, 7, limit=64)
    assert sorted(readings) == [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)]
    text = ("三、收到和处理政府信息公开申请情况 本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和 "
            "申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他 "
            "一、本年新收政府信息公开申请数量110000011二、上年结转政府信息公开申请数量0000000")
    e = extract_bytes(("平潭综合实验区市场监督管理局2025年政府信息公开工作年度报告\n" + text).encode(), "glued",
                      filename="glued.txt")
    got = {f.applicant: f.value for f in e.facts if f.metric == "requests.new_received" and f.method == "table"}
    assert got.get("total") == 11 and "natural_person" not in got and "commercial_enterprise" not in got
    # table 四's "10000100000000000" (17 digits) splits into 10|0|0|0|10 and zeros only: not read
    assert glued_readings("10000100000000000", 15, 5) == [(10, 0, 0, 0, 10) + (0,) * 10]
