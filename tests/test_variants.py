"""Robustness on generated reports: the 2021 and 2019 national formats rendered the ways real sites publish
them (tests/variants.py), every generated figure checked against what the extractor reports."""

from collections import defaultdict
from functools import cache

import pytest
from variants import (
    APPLICANTS,
    Variant,
    chinese_numeral,
    close,
    expected,
    make_report,
    render,
    score,
    t3_layout,
    variants,
)

from extract import extract_bytes

CASES = variants(30)


def _id(case) -> str:
    report, v = case
    flags = [f for f in ("traditional", "gbk", "blank_zero", "fee_yuan", "chinese_numerals", "cell_breaks",
                         "layout_table", "chrome") if getattr(v, f)]
    return f"{v.seed}-{report.fmt}-{v.form}-{v.digits}" + "".join(f"-{f}" for f in flags)


@cache
def _extract(i: int):
    report, v = CASES[i]
    data, filename, media_type = render(report, v)
    return extract_bytes(data, f"variant-{v.seed}", filename=filename, media_type=media_type)


@pytest.mark.parametrize("i", range(len(CASES)), ids=[_id(c) for c in CASES])
def test_variant(i):
    report, v = CASES[i]
    e = _extract(i)
    assert (e.document.agency, e.document.year) == (report.agency, report.year)
    assert e.document.script == ("traditional" if v.traditional else "simplified")
    if v.form != "prose":
        assert e.document.template == report.fmt
    assert all(e.text[f.start : f.end] == f.evidence for f in e.facts)
    # recall: every figure; precision: no other value for a generated figure, no figure not generated
    missing, wrong = score(report, v, e.facts)
    assert missing == {}
    assert wrong == {}


def test_variants_cover_the_forms():
    forms = {(r.fmt, v.form) for r, v in CASES}
    assert {("2021", f) for f in ("html", "word", "markdown", "plain")} <= forms
    assert {("2019", f) for f in ("html", "markdown", "plain")} <= forms and ("2021", "prose") in forms
    assert any(v.traditional for _, v in CASES) and any(v.gbk for _, v in CASES)
    assert any(v.fee_yuan for _, v in CASES) and any(v.chinese_numerals for _, v in CASES)


def test_generator_is_seeded_and_checks_figures():
    a, b = make_report(7, "2021"), make_report(7, "2021")
    # tables 二 (10 cells), 三 (25 rows × 7 applicants), 四 (15) and the prose's 法人或其他组织 figure
    assert a == b and len(expected(a, Variant(7))) == 10 + 7 * 25 + 15 + 1
    assert [chinese_numeral(n) for n in (0, 12, 20, 105, 310, 2004)] == ["零", "十二", "二十", "一百零五", "三百一十",
                                                                          "二千零四"]


def test_fees_in_yuan_are_read_as_wan_yuan():
    report = make_report(42, "2021")
    report.t2["fees_amount_wan_yuan"] = 12.5
    data, filename, media_type = render(report, Variant(42, fee_yuan=True))
    assert "125000" in data.decode("utf-8")
    e = extract_bytes(data, "fees", filename=filename, media_type=media_type)
    fees = [f.value for f in e.facts if f.metric == "publications.fees_amount_wan_yuan"]
    assert fees and all(close(x, 12.5) for x in fees)


@pytest.mark.parametrize("seed", range(8))
def test_a_total_column_left_blank_is_no_zero(seed):
    # 上海市人民政府办公厅 2019 (the third blind round): the 总计 cell of every outcome row of table 三 left blank,
    # its applicant cells filled (予以公开 258 | 12 | | | 1 | 1 | ). Read as zero, the agency's total granted was 0
    # and every identity over the column failed; a total not filled in is no figure at all.
    fmt = "2019" if seed % 2 else "2021"
    form = ("html", "word", "markdown", "html")[seed % 4]
    report = make_report(seed, fmt)
    v = Variant(seed, form=form, blank_totals=True, blank_zero=seed % 3 == 0, zero_mark="")
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, f"blank-totals-{seed}", filename=filename, media_type=media_type)
    got = {(f.metric, f.applicant): f.value for f in e.facts if f.method == "table"}
    for _, _, key in t3_layout(fmt):
        row = report.t3[key]
        for applicant, value in zip(APPLICANTS[:-1], row[:-1], strict=True):
            assert got.get((f"requests.{key}", applicant), 0) == value, (key, applicant)
        if any(row[:-1]):
            assert (f"requests.{key}", "total") not in got, key
    for key in ("new_received", "carried_over", "closed_total", "carried_forward"):
        assert got[(f"requests.{key}", "total")] == report.t3[key][-1]
    assert not [c for c in e.checks if not c.ok]


@pytest.mark.parametrize("seed", range(6))
def test_markdown_without_outer_pipes_keeps_a_blank_first_and_last_cell(seed):
    # Markdown written `a | b` (delimiter row ---|---, no outer pipes, as some converters and hand-kept
    # copies do): a row whose first cell is blank starts with a pipe (" | 3 |  | 3 …"), one whose last
    # cell is blank ends with one. Read as outer pipes, table 四's row lost a cell and was skipped.
    fmt = "2019" if seed % 3 == 2 else "2021"
    report = make_report(seed, fmt)
    report.t4[0] = 0  # 行政复议 结果维持: the row's first cell
    report.t4[-5:] = [0, 0, 0, 0, 0]  # 复议后起诉: the row ends in blanks
    v = Variant(seed, form="markdown", bare_pipes=True, blank_zero=True, zero_mark="", fullwidth=seed % 2 == 0)
    data, filename, media_type = render(report, v)
    assert any(line.startswith(" | ") for line in data.decode("utf-8" if not v.gbk else "gbk").splitlines())
    e = extract_bytes(data, f"bare-pipes-{seed}", filename=filename, media_type=media_type)
    got = {(f.metric, f.applicant): f.value for f in e.facts if f.method == "table"}
    truth = expected(report, v)
    table = {k: x for k, x in truth.items() if k[0].split(".")[0] in ("appeals", "requests", "publications")}
    wrong = {k: (got.get(k), x) for k, x in table.items() if k in got and not close(got[k], x)}
    assert wrong == {}
    assert {k for k in truth if k[0].startswith("appeals.") and truth[k]} <= set(got)
    assert all((f"requests.{key}", applicant) in got or value == 0
               for key, row in report.t3.items() for applicant, value in zip(APPLICANTS, row, strict=True))


@pytest.mark.parametrize("seed", range(12))
def test_label_cells_torn_out_of_the_rows_by_a_pdf_converter(seed):
    # 上海市科委 2024 (sixth blind round), a PDF converted to Markdown: outcome rows keep only their numbers
    # ("| 1 | 0 | 0 | 0 | 0 | 0 | 1 |"), their labels stand as wrapped text lines before them or rows earlier
    # ("5.属于三类内部事务信" / "息" / "1.本机关不掌握相关政" / "府信息"). Read by the nearest label, 不掌握 took the
    # row of 内部事务; each row read with its own label cells only, and placed by the form where it has none,
    # every row lands where the arithmetic confirms it.
    fmt = "2019" if seed % 3 == 2 else "2021"
    report = make_report(seed, fmt)
    v = Variant(seed, form="markdown", torn_labels=True, bare_pipes=seed % 4 == 1, blank_zero=seed % 5 == 3,
                zero_mark="")
    data, filename, media_type = render(report, v)
    assert "\n|---|" in data.decode() or "\n---|" in data.decode()
    e = extract_bytes(data, f"torn-{seed}", filename=filename, media_type=media_type)
    got = defaultdict(list)
    for f in e.facts:
        got[(f.metric, f.applicant)].append(f.value)
    truth = expected(report, v)
    assert {k: g for k, g in got.items() if k[0].startswith("requests.") and any(x != truth.get(k, 0) for x in g)} == {}
    assert [k for k, x in truth.items() if x and k not in got] == []


@pytest.mark.parametrize(("seed", "header_cells_cut"), [(s, s % 2 == 1) for s in range(6)])
def test_a_row_cut_by_a_page_break_keeps_its_place(seed, header_cells_cut):
    # generated reports printed to PDF (variant_accuracy --pdf): a row at the foot of a page falls out of the
    # ruled table as a text line with the start of its label ("4.无正当理 8 0 0 0 0 0 8"), the rest of the label
    # on the next page ("由大量反复申请"). The start of the next row's label, confirmed by the arithmetic, places it.
    report = make_report(seed, "2021")
    v = Variant(seed, form="markdown")
    data, filename, media_type = render(report, v)
    lines = data.decode("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "4.无正当理由大量反复申请" in line)
    values = " ".join(str(x) for x in report.t3["not_processed_excessive"])
    lines[at:at + 1] = [f"4.无正当理 {values}", "由大量反复申请"]
    if header_cells_cut:
        # as Chromium's print rebuilds the header: its spanned cells left blank, "其他" the last label of the
        # line; a label without figures must not move the reading on to the form's row 其他
        header = next(i for i, line in enumerate(lines) if "| 商业企业 |" in line)
        lines[header] = "|  |  |  |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |"
    e = extract_bytes("\n".join(lines).encode(), f"page-break-{seed}", filename=filename, media_type=media_type)
    got = {(f.metric, f.applicant): f.value for f in e.facts if f.method == "table"}
    for applicant, value in zip(APPLICANTS, report.t3["not_processed_excessive"], strict=True):
        assert got.get(("requests.not_processed_excessive", applicant), 0) == value, applicant
    assert got[("requests.closed_total", "total")] == report.t3["closed_total"][-1]


@pytest.mark.parametrize("seed", range(10))
def test_wu_as_the_zero_mark(seed):
    # 路北区住房和城乡建设局 2022 (the tenth blind round): every zero of tables 二 and 三 written 无, in a table
    # crawled one cell per line; read as words, tables 二 and 三 gave 1 figure of 13
    fmt = "2019" if seed % 3 == 2 else "2021"
    report = make_report(seed, fmt)
    form = ("html", "word", "markdown", "plain", "crawled")[seed % 5]
    v = Variant(seed, form=form, blank_zero=True, zero_mark="无",
                damage=("cell_per_line", "pipe_lines")[seed % 2] if form == "crawled" else "")
    data, filename, media_type = render(report, v)
    e = extract_bytes(data, f"wu-{seed}", filename=filename, media_type=media_type)
    missing, wrong = score(report, v, e.facts)
    assert (missing, wrong) == ({}, {})
