"""What kind of document this is: annual_report / work_summary / work_plan / other.

Only annual reports and work summaries carry statistics; a work plan (工作要点, 工作计划) states rules
and targets ("1个工作日答复") that must not become facts. The title decides first; a body that follows
the annual-report outline (统计期限, the standard section headings, "报告如下") overrides a title that
only says 总结 — pre-2019 reports were often called 工作总结报告.
"""

from __future__ import annotations

import re

from extract.record import Kind

_TITLE_WORDS = re.compile(r"报告|总结|要点|计划|方案|思路|年报")
_NOT_TITLE_START = re.compile(r"^(?:根据|依据|按照|为|本|现将|我|全年|20\d\d年[,，])")
_PLAN = re.compile(r"工作要点|工作计划|工作方案|实施方案|任务分解|工作安排")
# the report's outline, a section of the year's results and one of the requests answered
_REPORT_OUTLINE = re.compile(r"一、\s*总体情况\s*\n[\s\S]{0,3000}?\n\s*(?:\(二\)|二、)\s*依申请公开")
_SUMMARY = re.compile(r"总结")
_ANNUAL_TITLE = re.compile(r"年度报告|年报|工作报告|情况报告|公开报告")
_ANNUAL_BODY = re.compile(
    r"统计期限|统计时限|统计区间|数据统计期|年度报告格式|编制本报告|本年度报告|情况报告如下|报告如下"
    r"|收到和处理政府信息公开申请情况|主动公开政府信息情况|政府信息公开行政复议、?行政诉讼情况"
)
_OGI = re.compile(r"政府信息公开|政务公开|信息公开")
_REQUEST_STATS = re.compile(r"(?:收到|受理)[^。;\n]{0,20}申请[^。;\n]{0,8}\d+\s*件")


# A page's label before its title: "标题:", or "标   题 " as a field table prints it (spaced out, no colon)
TITLE_LABEL = re.compile(r"^\s*(?:标\s*题|题\s*目|文章标题|名\s*称)\s*(?:[:：]\s*|\s+)")
# a headline reporting that a body published its report: the verb stands before the report's year
_NEWS_OF_REPORT = re.compile(
    r"(?:发布|公布|出炉|亮相|晒出)(?:了)?\s*(?:19|20)\d{2}\s*年度?[^。]{0,20}(?:年度报告|年报)")
# a notice on how to compile the year's reports, not a report: "…关于做好2009年度政府信息公开工作年度报告有关事项的
# 通知" (one that issues a report, "关于印发《…2019年…年度报告》的通知", is the report)
_NOTICE_ON_REPORTS = re.compile(
    r"关于(?:认真)?(?:做好|编制|报送|开展|组织|规范)[^《》]{0,40}?(?:年度报告|年报)[^《》]{0,12}?(?:的)?(?:通知|函)$")
# statistics of part of a year ("2022年上半年政府信息公开数据统计"): no annual report, whatever figures it gives
_PART_OF_YEAR = re.compile(
    r"(?:19|20)\d{2}\s*年\s*(?:上半年|下半年|第[一二三四1-4]季度|前三季度|(?:\d{1,2}\s*[-—–至到]\s*)?"
    r"[一二三四五六七八九十\d]{1,2}月份?)"
    r"[^。\n]{0,20}(?:统计|数据|情况|通报)")
# a disclosure guide or catalogue of a body ("福州市商务局政府信息公开指南"): how to ask, not what was asked
_GUIDE = re.compile(r"政府信息公开(?:指南|目录)$")
# a heading naming rules or a format for annual reports, not a report: "…政府信息公开年度报告制度(试行)"
_ABOUT_REPORTS = re.compile(r"(?:年度报告|年报)(?:编制|发布|工作)?(?:制度|办法|规定|细则|规范|格式|指引|模板)")


_TITLE_OPENING_A_LINE = re.compile(r"([^。,;:]{4,60}?(?:年度报告|工作报告|年报))\s+(?=一、|\(一\)|根据|为|按照|本)")


def find_title(text: str) -> str | None:
    """The document's title: among the first lines, a short line naming a year and a document type.
    Markdown "#" headings, table chrome ("|") and a crawler's "标题:" label are stripped. A title broken
    over two lines is joined: the agency on one line and "2024 年…报告" on the next, or the break inside
    the words ("…2023年政府信息" / "公开工作年度报告")."""
    previous = ""
    lines = text.split("\n", 40)[:40]
    for i, raw in enumerate(lines):
        line = TITLE_LABEL.sub("", raw.strip().lstrip("#").strip().strip("|").strip())
        if len(line) > 70 and i < 5 and (head := _TITLE_OPENING_A_LINE.match(line)):
            line = head.group(1)  # a page flattened to one line: the title, then "一、总体情况 …"
        if not line or len(line) > 70 or line.count("|") >= 2:
            continue
        if _NOT_TITLE_START.search(line):
            previous = line
            continue
        if re.search(r"\d{4}\s*年", line) and _TITLE_WORDS.search(line) and _OGI.search(line):
            # a title broken over two lines: "淮安市人民政府" / "2024 年政府信息公开工作年度报告"
            # or "冠县人民政府办公室" / "关于印发2021年…工作要点的通知"
            opens_title = re.match(r"\d{4}\s*年|关于", line)
            if opens_title and previous and len(previous) <= 30 and not re.search(r"\d", previous):
                return previous + line
            return line
        year_end = re.search(r"(?:19|20)\d{2}$", line)  # "自治区人民政府办公厅2022" / "政府信息公开工作年度报告"
        if (re.search(r"\d{4}\s*年", line) or year_end) and not _TITLE_WORDS.search(line) and i + 1 < len(lines):
            following = next((x.strip().lstrip("#").strip() for x in lines[i + 1:i + 3] if x.strip()), "")
            joined = line + ("年" if year_end and not following.startswith(("年", "度")) else "") + following
            if len(following) <= 20 and _TITLE_WORDS.search(following) and _OGI.search(joined):
                return joined
        previous = line
    return None


def _heading_about_reports(text: str) -> bool:
    """A short line among the first ones names rules or a format for annual reports (山西省人民政府办公厅政府信息
    公开年度报告制度): the document is about reports, whatever report words its body uses."""
    lines = [x.strip() for x in text.split("\n", 30)[:30] if x.strip()]
    return any(len(x) <= 45 and not _NOT_TITLE_START.search(x) and _ABOUT_REPORTS.search(x) for x in lines[:12])


# a statistics form to fill in, not filled ("定西市政府信息公开情况统计报表" over "年 / 月" and blank cells)
_BLANK_FORM = re.compile(r"政府信息公开[^。\n\d]{0,12}(?:统计报表|统计表|报表)$")


def _heading_of_a_blank_form(text: str) -> bool:
    lines = [x.strip() for x in text.split("\n", 30)[:30] if x.strip()]
    if any(len(x) <= 40 and _GUIDE.search(x) for x in lines[:4]):
        return True
    return any(len(x) <= 40 and _BLANK_FORM.search(x) for x in lines[:5]) and not re.search(r"\d+\s*件", text[:3000])


def _heading_of_part_of_year(text: str) -> bool:
    lines = [x.strip() for x in text.split("\n", 30)[:30] if x.strip()]
    return any(len(x) <= 40 and _PART_OF_YEAR.match(x) for x in lines[:8])


def classify(text: str, title: str | None = None) -> Kind:
    title = title if title is not None else find_title(text)
    head = text[:6000]
    annual_body = _ANNUAL_BODY.search(text) is not None
    if title and (_NEWS_OF_REPORT.search(title) or _NOTICE_ON_REPORTS.search(title)):
        return "other"  # "贵州省发布2016年政府信息公开工作年度报告": a news item about a report
    if title:
        is_summary = bool(_SUMMARY.search(title))
        if _ANNUAL_TITLE.search(title) and not is_summary:
            return "annual_report"
        if _PLAN.search(title) and not is_summary and not _ANNUAL_TITLE.search(title):
            return "work_plan"
        if is_summary:
            # "工作总结报告" following the report outline is the pre-2019 annual report
            if "报告" in title and annual_body:
                return "annual_report"
            return "work_summary"
        if "报告" in title:
            return "annual_report"
    if _heading_about_reports(text) or _heading_of_part_of_year(text) or _heading_of_a_blank_form(text):
        return "other"
    if annual_body and _OGI.search(head):
        return "annual_report"
    if _REPORT_OUTLINE.search(head) and _OGI.search(head):
        return "annual_report"  # "一、总体情况 (一)主动公开 … (二)依申请公开": a report that mentions a plan it follows
    if _PLAN.search(head[:300]):
        return "work_plan"
    if _SUMMARY.search(head[:300]) and _OGI.search(head):
        return "work_summary"
    if _REQUEST_STATS.search(text) or re.search(r"政府信息公开[^。\n]{0,10}(?:申请|情况)", head):
        return "annual_report" if _OGI.search(head) else "other"
    return "other"
