"""The orchestrator: contract, merge, and bad input (never an exception, always a stable issue code)."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import EXTRACTOR_VERSION, extract_bytes, extract_path
from extract.extractor import merge
from extract.record import ISSUE_CODES, Fact

CORPUS = Path(__file__).parent.parent / "samples" / "corpus"

REPORT_HTML = """<html><head><meta charset="utf-8"><title>年度报告</title></head><body>
<h1>某某市某某局2023年政府信息公开工作年度报告</h1>
<p>本报告所列数据的统计期限为2023年1月1日至12月31日。</p>
<p>全年共收到政府信息公开申请12件,上年结转1件,办结13件。</p>
<table>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>{issued}</td><td>1</td><td>20</td></tr>
</table>
<p>本年度制发规范性文件3件。</p>
</body></html>"""


def codes(extraction) -> list[str]:
    return [i.code for i in extraction.issues]


def test_version_is_exported():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_contract_and_evidence_offsets():
    e = extract_path(CORPUS / "seeds" / "000_eef804524ea2797b.txt")
    out = e.to_json()
    json.dumps(out, ensure_ascii=False)
    assert out["document"]["kind"] == "work_summary"
    assert out["document"]["script"] == "traditional"
    assert out["document"]["template"] == "narrative"
    for f in e.facts:
        assert e.text[f.start : f.end] == f.evidence and f.evidence
        assert f.method == "text"
    received = next(f for f in e.facts if f.metric == "requests.new_received")
    assert (received.value, received.evidence) == (615, "收到政府信息公开申请615件")


def test_table_and_text_agree_or_conflict():
    agree = extract_bytes(REPORT_HTML.format(issued=3).encode(), "a.html", filename="a.html")
    issued = [f for f in agree.facts if f.metric == "publications.normative_docs_issued"]
    assert [(f.method, f.value) for f in issued] == [("table", 3)]
    assert agree.document.template == "2021"
    assert not any("conflict" in w for w in agree.warnings)
    assert {f.metric: f.value for f in agree.facts if f.method == "text"} == {
        "requests.new_received": 12,
        "requests.carried_over": 1,
        "requests.closed_total": 13,
    }

    disagree = extract_bytes(REPORT_HTML.format(issued=4).encode(), "b.html", filename="b.html")
    issued = [f for f in disagree.facts if f.metric == "publications.normative_docs_issued"]
    assert sorted((f.method, f.value) for f in issued) == [("table", 4), ("text", 3)]
    assert any("conflict" in w and "normative_docs_issued" in w for w in disagree.warnings)


def test_merge_treats_split_litigation_as_the_combined_figure():
    table = [
        Fact("appeals.litigation_direct_total", 30, method="table"),
        Fact("appeals.litigation_after_reconsideration_total", 16, method="table"),
    ]
    same, warnings = merge(table, [Fact("appeals.litigation_total", 46, evidence="行政诉讼46件")])
    assert same == table and warnings == []
    other, warnings = merge(table, [Fact("appeals.litigation_total", 40, evidence="行政诉讼40件")])
    assert len(other) == 3 and "litigation_total" in warnings[0]


def test_work_plan_gives_no_facts():
    e = extract_path(CORPUS / "seeds" / "002_30463eea81f7d3a7.txt")
    assert e.document.kind == "work_plan" and e.facts == []


def test_empty_file():
    e = extract_bytes(b"", "empty.html", filename="empty.html")
    assert codes(e) == ["empty"] and e.facts == []


def test_random_bytes():
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(20_000))
    e = extract_bytes(data, "noise.bin", filename="noise.bin")
    assert e.facts == [] and "internal_error" not in codes(e)


def test_truncated_html_keeps_what_it_can():
    html = REPORT_HTML.format(issued=3)
    cut = html[: html.index("<table>") + 60].encode()
    e = extract_bytes(cut, "cut.html", filename="cut.html")
    assert "internal_error" not in codes(e)
    assert {f.metric for f in e.facts} >= {"requests.new_received"}


def test_fifty_megabyte_file():
    data = b"<p>" + b"a" * (50 * 1024 * 1024 + 10) + b"</p>"
    e = extract_bytes(data, "big.html", filename="big.html")
    assert codes(e) == ["too_large"] and e.facts == []


def test_ten_thousand_deep_nesting():
    data = b"<div>" * 10_000 + "全年共收到政府信息公开申请615件。".encode() + b"</div>" * 10_000
    e = extract_bytes(data, "deep.html", filename="deep.html")
    assert "internal_error" not in codes(e)
    assert "too_deep" in codes(e) or e.facts


def test_pdf_that_is_not_a_pdf():
    e = extract_bytes(b"<html>not a pdf</html>", "x.pdf", filename="x.pdf")
    assert codes(e) == ["not_a_pdf"] and e.facts == []


def test_text_in_numeric_cells_is_a_bad_cell_issue():
    html = REPORT_HTML.format(issued="见附件").encode()
    e = extract_bytes(html, "bad.html", filename="bad.html")
    assert "bad_cell" in codes(e)
    assert "internal_error" not in codes(e)


def test_every_issue_code_is_known():
    for data, name in [(b"", "a.html"), (b"%PDF-1.4 broken", "a.pdf"), (b"\xff\xfe\x00", "a.txt")]:
        for code in codes(extract_bytes(data, name, filename=name)):
            assert code in ISSUE_CODES


def test_missing_file_is_an_issue():
    e = extract_path(CORPUS / "no_such_file.html")
    assert codes(e) == ["unreadable"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4000), name=st.sampled_from(["a.html", "a.txt", "a.md", "a.pdf", "a.docx", ""]))
def test_arbitrary_bytes_never_raise(data, name):
    e = extract_bytes(data, "fuzz", filename=name)
    assert "internal_error" not in codes(e)
    for f in e.facts:
        assert e.text[f.start : f.end] == f.evidence


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="收到申请件办结复议诉讼予以公开0123456789一二三,。;()年上结转下|\n 万余条", max_size=300))
def test_arbitrary_report_like_text_never_raises(text):
    e = extract_bytes(("某某局2023年政府信息公开工作年度报告\n" + text).encode(), "fuzz.txt", filename="fuzz.txt")
    assert "internal_error" not in codes(e)
    for f in e.facts:
        assert e.text[f.start : f.end] == f.evidence
