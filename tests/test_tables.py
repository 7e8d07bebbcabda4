import json
from pathlib import Path

import pytest

from extract import extract_bytes
from extract.formats import render
from extract.normalise import normalise
from extract.tables import table_facts

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REAL = SAMPLES / "corpus" / "real"


def read(name: str):
    rendered = render((REAL / name).read_bytes(), filename=name)
    text = normalise(rendered.text).text
    return text, table_facts(text)


def as_gold_keys(result) -> dict[str, float]:
    return {f.metric if f.applicant == "total" else f"{f.metric}@{f.applicant}": f.value
            for f in result.facts}


def gold(name: str) -> tuple[dict, set[str]]:
    data = json.loads((SAMPLES / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    return data["facts"], set(data.get("optional_zero", []))


def check_against_gold(name: str, text: str, result) -> dict[str, float]:
    got = as_gold_keys(result)
    facts, optional_zero = gold(name)
    for key, value in got.items():
        assert key in facts or (key in optional_zero and value == 0), f"unexpected {key}={value}"
        if key in facts:
            assert value == pytest.approx(facts[key]), key
    for fact in result.facts:
        assert text[fact.start:fact.end] == fact.evidence and fact.method == "table"
    return got


@pytest.mark.parametrize("name", ["huaian_city_2024.pdf", "shuyang_county_2025.md",
                                  "pdf_layer_fragment_2024.txt"])
def test_all_table_facts_of_the_real_2021_reports(name):
    text, result = read(name)
    got = check_against_gold(name, text, result)
    facts, _ = gold(name)
    assert set(got) == set(facts)
    assert result.template == "2021"
    assert result.issues == []


def test_huaian_pdf_values():
    _, result = read("huaian_city_2024.pdf")
    got = as_gold_keys(result)
    assert got["requests.new_received@natural_person"] == 3001
    assert got["requests.new_received"] == 3119
    assert got["requests.other_other@commercial_enterprise"] == 2
    assert got["requests.closed_total"] == 3050
    assert got["appeals.reconsideration_other"] == 178
    assert got["appeals.litigation_after_reconsideration_total"] == 20
    assert got["publications.licensing_decisions"] == 447228  # the number cell spans three columns
    assert got["publications.fees_amount_wan_yuan"] == 96171.6


def test_pdf_text_layer_flattened_rows():
    text, result = read("pdf_layer_fragment_2024.txt")
    got = as_gold_keys(result)
    # label wrapped over two lines, numbers on the second; group label split from its sub-row
    assert got["requests.partially_granted@natural_person"] == 447
    assert got["requests.unavailable_not_held"] == 769
    fact = next(f for f in result.facts
                if f.metric == "requests.partially_granted" and f.applicant == "total")
    assert fact.evidence == "形,不计其他情形) 447 7 0 0 0 0 454"


def test_shuyang_ocr_markdown_with_generic_and_hallucinated_headers():
    _, result = read("shuyang_county_2025.md")
    got = as_gold_keys(result)
    assert got["requests.new_received@legal_service_org"] == 5  # "数据5" is the 5th applicant column
    # after the hallucinated header "本年新收件数 | 上年结转件数 | …" the columns are still applicants
    assert got["requests.other_overdue_fee@natural_person"] == 7
    assert got["requests.other_other"] == 143
    assert got["requests.carried_forward@natural_person"] == 31
    assert got["appeals.litigation_direct_upheld"] == 3
    assert got["appeals.litigation_after_reconsideration_other"] == 1
    assert got["publications.fees_amount_wan_yuan"] == 4068.208
    assert "requests.new_received@organization" not in got


def test_shuyang_fagaiju_table_four_and_partial_table_three():
    text, result = read("shuyang_fagaiju_2023.txt")
    got = check_against_gold("shuyang_fagaiju_2023.txt", text, result)
    facts, _ = gold("shuyang_fagaiju_2023.txt")
    assert set(facts) <= set(got)
    assert got["appeals.reconsideration_pending"] == 1
    assert got["appeals.reconsideration_total"] == 1
    assert got["appeals.litigation_after_reconsideration_total"] == 0
    assert got["publications.normative_docs_issued"] == 8  # "规范性文件" under the 2021 columns
    assert got["publications.normative_docs_in_force"] == 18
    assert "requests.new_received" not in got  # its cell says "[not retrieved]"
    assert [i.code for i in result.issues] == ["bad_cell"]


def test_wuhan_2019_table_two_in_traditional_script():
    text, result = read("wuhan_ecoenv_2020_zhtw.txt")
    got = check_against_gold("wuhan_ecoenv_2020_zhtw.txt", text, result)
    assert result.template == "2019"
    assert got["publications.normative_docs_issued"] == 2
    assert got["publications.normative_docs_published"] == 2
    assert got["publications.normative_docs_in_force"] == 19  # not 255 from the 其他主动公开文件 row
    assert got["publications.other_services_decisions"] == 165
    assert got["publications.penalty_decisions"] == 22
    assert got.get("publications.coercion_decisions", 0) == 0  # printed "-"
    assert "publications.fees_amount_wan_yuan" not in got  # the 2019 form has no fee amount


@pytest.mark.parametrize("name", ["hangzhou_govoffice_2024.txt", "hangzhou_chengguan_2023.txt",
                                  "yiwu_niansanli_2022.txt", "hangzhou_city_2017.txt"])
def test_prose_gives_no_table_facts(name):
    _, result = read(name)
    assert result.facts == []


def html_report(body: str) -> str:
    rendered = render(f"<html><body>{body}</body></html>".encode(), filename="r.html")
    return normalise(rendered.text).text


TABLE_3_HEAD = (
    "<tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
    "<td colspan=7>申请人情况</td></tr>"
    "<tr><td rowspan=2>自然</span>人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>"
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)


def test_html_2019_format_table_three_with_single_other_row():
    body = (
        "<p>三、收到和处理政府信息公开申请情况</p><table>" + TABLE_3_HEAD
        + "<tr><td colspan=3>一、本年新收政府信息公开申请数量</td>"
        "<td>１２</td><td>2</td><td></td><td></td><td>1</td><td>&nbsp;</td><td>15</td></tr>"
        "<tr><td rowspan=4>三、本年度办理结果</td><td colspan=2>（一）予以<span>公开</span></td>"
        "<td>6</td><td>1</td><td></td><td></td><td></td><td></td><td>7</td></tr>"
        "<tr><td rowspan=2>（三）不予公开</td><td>3.危及“三安全一稳定”</td>"
        "<td>1</td><td></td><td></td><td></td><td></td><td></td><td>1</td></tr>"
        "<tr><td>8.属于行政查询事项</td><td>2</td><td></td><td></td><td></td><td></td><td></td><td>2</td></tr>"
        "<tr><td colspan=2>（六）其他处理</td><td>3</td><td>1</td>"
        "<td></td><td></td><td></td><td></td><td>4</td></tr>"
        "</table><p>四、政府信息公开行政复议、行政诉讼情况</p>"
        "<table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
        "<tr><td rowspan=2>结果维持</td><td rowspan=2>结果纠正</td><td rowspan=2>其他结果</td>"
        "<td rowspan=2>尚未审结</td><td rowspan=2>总计</td><td colspan=5>未经复议直接起诉</td>"
        "<td colspan=5>复议后起诉</td></tr><tr>" + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td>"
        "<td>尚未审结</td><td>总计</td>" * 2 + "</tr><tr>"
        + "".join(f"<td>{v}</td>" for v in [1, 0, 0, 0, 1, 2, 0, 1, 0, 3, 0, 0, 0, 1, 1]) + "</tr></table>"
        "<p>五、存在的主要问题及改进情况</p><p>全年共收到申请99件。</p>"
    )
    text = html_report(body)
    result = table_facts(text)
    got = as_gold_keys(result)
    assert got["requests.new_received@natural_person"] == 12  # full-width digits
    assert got["requests.new_received@legal_service_org"] == 1
    assert got["requests.new_received@other_org"] == 0  # blank cell
    assert got["requests.new_received"] == 15
    assert got["requests.granted"] == 7
    assert got["requests.denied_three_safeties@natural_person"] == 1
    assert got["requests.denied_query_matter"] == 2
    assert got["requests.other_total"] == 4 and "requests.other_other" not in got
    assert got["appeals.reconsideration_upheld"] == 1
    assert got["appeals.litigation_direct_total"] == 3
    assert got["appeals.litigation_after_reconsideration_pending"] == 1
    assert result.template == "2019"
    assert all(f.value != 99 for f in result.facts)
    for fact in result.facts:
        assert text[fact.start:fact.end] == fact.evidence


def test_html_2021_table_two_yuan_to_wan_yuan_and_bad_cell():
    body = (
        "<p>二、主动公开政府信息情况</p><table>"
        "<tr><td colspan=4>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        "<tr><td><span>行政</span>规范性文件</td><td>3</td><td>详见附件</td><td>40</td></tr>"
        "<tr><td colspan=4>第二十条第（五）项</td></tr>"
        "<tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>"
        "<tr><td>行政许可</td><td colspan=3>1,234</td></tr>"
        "<tr><td colspan=4>第二十条第（八）项</td></tr>"
        "<tr><td>信息内容</td><td colspan=3>本年收费金额（单位：元）</td></tr>"
        "<tr><td>行政事业性收费</td><td colspan=3>52000</td></tr></table>"
    )
    result = table_facts(html_report(body))
    got = as_gold_keys(result)
    assert got["publications.normative_docs_issued"] == 3
    assert "publications.normative_docs_repealed" not in got
    assert got["publications.normative_docs_in_force"] == 40
    assert got["publications.licensing_decisions"] == 1234
    assert got["publications.fees_amount_wan_yuan"] == pytest.approx(5.2)
    assert [i.code for i in result.issues] == ["bad_cell"]
    assert result.template == "2021"


def test_reordered_applicant_columns_follow_the_header():
    text = normalise(
        "三、收到和处理政府信息公开申请情况\n"
        "| 项目 | 总计 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
        "| 一、本年新收政府信息公开申请数量 | 10 | 7 | 1 | 0 | 0 | 2 | 0 |\n"
    ).text
    got = as_gold_keys(table_facts(text))
    assert got["requests.new_received"] == 10
    assert got["requests.new_received@natural_person"] == 7
    assert got["requests.new_received@legal_service_org"] == 2


def _t2_row(row: str):
    text = normalise("二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
                     + row + "\n").text
    result = table_facts(text)
    return as_gold_keys(result), [(i.code, i.severity, i.message) for i in result.issues]


def test_text_in_the_first_value_cell_is_a_bad_cell_and_the_row_stays():
    got, issues = _t2_row("| 行政规范性文件 | 见附件 | 1 | 20 |")
    assert got == {"publications.normative_docs_repealed": 1, "publications.normative_docs_in_force": 20}
    assert [(code, severity) for code, severity, _ in issues] == [("bad_cell", "warning")]
    assert "normative_docs_issued" in issues[0][2] and "'见附件'" in issues[0][2]
    assert "行政规范性文件 | 见附件" in issues[0][2]
    # 无 ("none") in a count cell marks zero as a dash does (路北区住建局 2022 writes every zero so); other words
    # are reported
    got, issues = _t2_row("| 规章 | 无 | 0 | abc |")
    assert got == {"publications.regulations_issued": 0, "publications.regulations_repealed": 0}
    assert [m.split(":")[0] for _, _, m in issues] == ["table 二 regulations_in_force"]
    got, issues = _t2_row("| 行政规范性文件 | 3 | 一些 | 5 |")
    assert got == {"publications.normative_docs_issued": 3, "publications.normative_docs_in_force": 5}
    assert len(issues) == 1
    # the same row in a flattened PDF text layer
    got, issues = _t2_row("行政规范性文件 见附件 1 20")
    assert got == {"publications.normative_docs_repealed": 1, "publications.normative_docs_in_force": 20}
    assert [code for code, _, _ in issues] == ["bad_cell"]


def test_text_in_the_first_applicant_column_keeps_the_others_in_place():
    text = normalise(
        "三、收到和处理政府信息公开申请情况\n"
        "| 一、本年新收政府信息公开申请数量 | 见附件 | 1 | 0 | 0 | 0 | 0 | 3 |\n"
        "| 三、本年度办理结果 | (一)予以公开 | 见附件 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        "| (三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    ).text
    result = table_facts(text)
    got = as_gold_keys(result)
    assert got["requests.new_received"] == 3 and got["requests.new_received@commercial_enterprise"] == 1
    assert "requests.new_received@natural_person" not in got
    assert got["requests.granted"] == 2 and "requests.granted@natural_person" not in got
    assert got["requests.denied_state_secret"] == 0
    assert [i.message.split(":")[0] for i in result.issues] == [
        "table 三 new_received@natural_person", "table 三 granted@natural_person"]


@pytest.mark.parametrize(("upheld", "pending", "direct"), [(5, 2, (8, 1)), (1, 0, (0, 3)), (0, 4, (2, 2))])
def test_a_blank_appeal_total_with_outcomes_is_no_zero(upheld, pending, direct):
    # the 总计 of a block of table 四 left blank while its outcomes are filled: not filled in, not zero
    cells = [upheld, "", "", pending, "", direct[0], "", "", direct[1], sum(direct), "", "", "", "", ""]
    text = normalise(
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |\n"
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "| " + " | ".join(map(str, cells)) + " |\n五、存在的主要问题及改进情况\n").text
    got = {f.metric: f.value for f in table_facts(text).facts}
    assert "appeals.reconsideration_total" not in got
    assert (got["appeals.reconsideration_upheld"], got["appeals.reconsideration_pending"]) == (upheld, pending)
    assert got["appeals.litigation_direct_total"] == sum(direct)  # printed
    assert got["appeals.litigation_after_reconsideration_total"] == 0  # a block of blanks: zeros


def test_the_shanghai_report_whose_total_column_is_left_blank():
    path = SAMPLES / "corpus" / "holdout" / "shanghai_govoffice_2019.html"
    text = normalise(render(path.read_bytes(), filename=path.name).text).text
    result = table_facts(text)
    got = {(f.metric, f.applicant): f.value for f in result.facts}
    assert got[("requests.granted", "natural_person")] == 258 and ("requests.granted", "total") not in got
    assert got[("requests.closed_total", "total")] == 805 and got[("requests.new_received", "total")] == 859
    assert ("appeals.reconsideration_total", "total") in got and got[("appeals.reconsideration_total", "total")] == 7
    assert sum("总计 left blank" in w for w in result.warnings) == 11


def test_table_two_of_a_copy_that_ends_before_table_three():
    # 西藏自治区审计厅 2025 (seventh blind round): a page excerpt that ends inside table 二, one cell per line, the next
    # paragraph's "2025年" after the last cell; without table 三 the second reading had no region to read
    cells = {"规章": (0, 1, 0), "行政规范性文件": (1, 0, 2)}
    lines = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    for label, values in cells.items():
        lines += [label, *map(str, values)]
    lines += ["第二十条第(五)项", "信息内容", "本年处理决定数量", "行政许可", "3", "第二十条第(八)项", "信息内容",
              "本年收费金额(单位:万元)", "行政事业性收费", "0", "2025年"]
    e = extract_bytes("\n\n".join(["某某厅2025年政府信息公开工作年度报告", "一、总体情况", *lines]).encode(), "t2",
                      filename="t2.txt")
    got = {f.metric: f.value for f in e.facts if f.method == "table"}
    assert got == {"publications.regulations_issued": 0, "publications.regulations_repealed": 1,
                   "publications.regulations_in_force": 0, "publications.normative_docs_issued": 1,
                   "publications.normative_docs_repealed": 0, "publications.normative_docs_in_force": 2,
                   "publications.licensing_decisions": 3, "publications.fees_amount_wan_yuan": 0}


@pytest.mark.parametrize("gap", [1, 2])
def test_a_blank_grid_column_between_a_groups_cell_and_the_rows_label(gap):
    # a PDF's rebuilt table (Chromium's print of a report): "|  | (六)其他处理 |  | 1.申请人无正当理由… | 1 | 0 |…": the
    # blank cell after the group's cell is a column of the grid, not the natural-person cell of a row named
    # "(六)其他处理" (which the 2019 form's single 其他处理 row would have taken, every value one column off)
    blank = " |" * gap
    text = normalise(
        "三、收到和处理政府信息公开申请情况\n"
        "| 项目 | 项目 | 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
        f"|  | (六)其他处理 |{blank} 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 |"
        " 4 | 1 | 0 | 0 | 0 | 0 | 5 |\n"
        f"|  | (六)其他处理 |{blank} 3.其他 | 2 | 0 | 0 | 0 | 0 | 1 | 3 |\n"
    ).text
    got = as_gold_keys(table_facts(text))
    assert got["requests.other_overdue_correction@natural_person"] == 4
    assert got["requests.other_overdue_correction@commercial_enterprise"] == 1
    assert got["requests.other_other"] == 3 and "requests.other_total" not in got
    # a blank value cell after a label is still a value (a zero), when no label text follows it
    plain = as_gold_keys(table_facts(normalise(
        "三、收到和处理政府信息公开申请情况\n"
        "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
        "| 2.重复申请 |  | 3 | 0 | 0 | 0 | 0 | 3 |\n").text))
    assert plain["requests.not_processed_repeated@commercial_enterprise"] == 3
    assert plain["requests.not_processed_repeated"] == 3


@pytest.mark.parametrize("seed", range(6))
def test_an_applicant_header_over_two_lines_whose_spans_were_lost(seed):
    # 两城镇 2020: "自然人 | 法人或其他组织 | 总计 |" over "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
    # then rows of seven numbers: the five kinds take the place of 法人或其他组织
    import random

    rng = random.Random(seed)
    rows = {key: [rng.randint(0, 40) for _ in range(6)] for key in ("new_received", "carried_over")}
    kinds = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    pad = rng.choice(["", " |", " | |||||"])
    line = lambda label, values: f"{label} | " + " | ".join(map(str, values + [sum(values)])) + f" |{pad}"  # noqa: E731
    text = normalise(
        "三、收到和处理政府信息公开申请情况\n"
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||\n"
        f"自然人 | 法人或其他组织 | 总计 |{pad}\n" + " | ".join(kinds) + f" |{pad}\n"
        + line("一、本年新收政府信息公开申请数量", rows["new_received"]) + "\n"
        + line("二、上年结转政府信息公开申请数量", rows["carried_over"]) + "\n"
    ).text
    got = as_gold_keys(table_facts(text))
    keys = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
            "legal_service_org", "other_org"]
    for metric, values in rows.items():
        assert [got.get(f"requests.{metric}@{k}") for k in keys] == values
        assert got[f"requests.{metric}"] == sum(values)
        assert f"requests.{metric}@organization" not in got


def test_a_signed_change_in_the_2019_forms_table_two():
    # 白城市洮北区文旅局 2020: 行政许可 | 55 | +88 | 18 (上一年项目数量 | 本年增/减 | 处理决定数量), one cell per
    # line; the "+88" had stopped the row being read
    cells = ["第二十条第(一)项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "0", "0",
             "0", "规范性文件", "1", "1", "9", "第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减",
             "处理决定数量", "行政许可", "55", "+88", "18", "其他对外管理服务事项", "3", "-1", "7"]
    text = "二、主动公开政府信息情况\n" + "\n\n".join(cells) + "\n三、收到和处理政府信息公开申请情况\n"
    e = extract_bytes(text.encode(), "signed", filename="signed.txt")
    got = {f.metric: f.value for f in e.facts if f.method == "table"}
    assert (got.get("publications.licensing_decisions"), got.get("publications.other_services_decisions")) == (18, 7)
