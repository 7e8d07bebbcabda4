"""Seeded generator of annual reports in the 2021 and 2019 national formats, with known figures.

A `Report` holds every cell of tables 二, 三 (seven applicant columns) and 四 plus a little prose; a
`Variant` says how it is rendered, in the ways real government sites publish them: HTML with the
national rowspan/colspan headers, Word-exported HTML (labels split over <span>s, &nbsp;, <o:p>),
Markdown pipe tables, or prose only; half- or full-width brackets, enumeration dropped, blank cells for
zero, the fees header in 元, Traditional script, GBK bytes. `expected(report, variant)` is the ground
truth as {(metric, applicant): value}.
"""

from __future__ import annotations

import html
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import opencc

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
              "legal_service_org", "other_org", "total"]

AGENCIES = [
    ("杭州市城乡建设委员会", "市建委"),
    ("沭阳县发展和改革局", "县发改局"),
    ("武汉市生态环境局", "市生态环境局"),
    ("义乌市廿三里街道办事处", "廿三里街道"),
    ("淮安市人民政府办公室", "市政府办公室"),
    ("宁波市自然资源和规划局", "市自然资源和规划局"),
]

# table 三 rows: (group cell or None, row label, metric key); the group spans its rows
_DENIED = [("1.属于国家秘密", "denied_state_secret"), ("2.其他法律行政法规禁止公开", "denied_prohibited_by_law"),
           ("3.危及“三安全一稳定”", "denied_three_safeties"), ("4.保护第三方合法权益", "denied_third_party"),
           ("5.属于三类内部事务信息", "denied_internal_affairs"), ("6.属于四类过程性信息", "denied_process_info"),
           ("7.属于行政执法案卷", "denied_enforcement_file"), ("8.属于行政查询事项", "denied_query_matter")]
_UNAVAILABLE = [("1.本机关不掌握相关政府信息", "unavailable_not_held"),
                ("2.没有现成信息需要另行制作", "unavailable_needs_creation"),
                ("3.补正后申请内容仍不明确", "unavailable_unclear")]
_NOT_PROCESSED = [("1.信访举报投诉类申请", "not_processed_petition"), ("2.重复申请", "not_processed_repeated"),
                  ("3.要求提供公开出版物", "not_processed_publication"),
                  ("4.无正当理由大量反复申请", "not_processed_excessive"),
                  ("5.要求行政机关确认或重新出具已获取信息", "not_processed_confirmation")]
_OTHER_2021 = [("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_overdue_correction"),
               ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_overdue_fee"),
               ("3.其他", "other_other")]


def t3_layout(fmt: str) -> list[tuple[str | None, str, str]]:
    """(sub-group, label, key) in row order between 二、上年结转 and （七）总计."""
    rows: list[tuple[str | None, str, str]] = [
        (None, "（一）予以公开", "granted"),
        (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted")]
    rows += [("（三）不予公开", label, key) for label, key in _DENIED]
    rows += [("（四）无法提供", label, key) for label, key in _UNAVAILABLE]
    rows += [("（五）不予处理", label, key) for label, key in _NOT_PROCESSED]
    if fmt == "2021":
        rows += [("（六）其他处理", label, key) for label, key in _OTHER_2021]
    else:
        rows.append((None, "（六）其他处理", "other_total"))
    return rows


@dataclass
class Report:
    fmt: str
    agency: str
    short: str
    year: int
    t2: dict[str, int | float]
    t3: dict[str, list[int]]
    t4: list[int]


@dataclass
class Variant:
    seed: int
    form: str = "html"  # html | word | markdown | prose
    traditional: bool = False
    gbk: bool = False
    fullwidth: bool = True
    numbering: bool = True
    blank_zero: bool = False
    fee_yuan: bool = False
    chinese_numerals: bool = False
    zero_mark: str = "0"  # what a zero cell shows when blank_zero: "", "—", "/", "-", "无"
    digits: str = "ascii"  # ascii | fullwidth | grouped (thousands separators)
    cell_breaks: bool = False  # long labels wrapped inside the cell (<br>, several <p>)
    prose_style: int = 0
    layout_table: bool = False  # the whole page inside a layout <table> (older CMS templates)
    chrome: bool = False  # site header, breadcrumb, metadata block and footer around the report
    title_style: int = 0
    short_headers: bool = False  # 合计 for 总计, 社会公益 / 法律服务 / 其他组织 as some sites abbreviate
    heading_in_table: bool = False  # the section heading as the table's first, full-width row
    flat_header: bool = False  # table 三 with a one-row applicant header (no 申请人情况 / 法人或其他组织 band)
    bare_pipes: bool = False  # Markdown rows without the outer pipes
    # a PDF converted to Markdown: label cells of table 三's outcome rows torn out of their rows and written
    # as wrapped text lines up to two rows early, the table cut into pieces there (each with a delimiter row)
    torn_labels: bool = False
    no_item_rows: bool = False  # table 二 without the 第二十条第（X）项 rows
    blank_totals: bool = False  # table 三's outcome rows with their 总计 cell blank (only 一, 二, 七, 四 summed)
    # form "crawled": how a crawled or converted page damaged the tables (see `crawled_text`)
    damage: str = ""  # cell_per_line | glued | spaced | labels_lost | page_break | cell_notes | typos
    tags: list[str] = field(default_factory=list)


def _row7(rng: random.Random, hi: int, sparse: float = 0.5) -> list[int]:
    cells = [rng.randint(0, hi) if rng.random() > sparse else 0 for _ in range(6)]
    cells[0] = rng.randint(0, hi * 4)
    return cells + [sum(cells)]


def make_report(seed: int, fmt: str) -> Report:
    rng = random.Random(seed)
    agency, short = rng.choice(AGENCIES)
    year = rng.randint(2021, 2024) if fmt == "2021" else rng.randint(2019, 2020)
    if fmt == "2021":
        t2 = {"regulations_issued": rng.randint(0, 2), "regulations_repealed": 0,
              "regulations_in_force": rng.randint(0, 9),
              "normative_docs_issued": rng.randint(1, 30), "normative_docs_repealed": rng.randint(0, 5),
              "normative_docs_in_force": rng.randint(10, 200)}
    else:
        t2 = {"regulations_issued": rng.randint(0, 2), "regulations_published": rng.randint(0, 2),
              "regulations_in_force": rng.randint(0, 9), "normative_docs_issued": rng.randint(1, 30),
              "normative_docs_published": rng.randint(1, 30), "normative_docs_in_force": rng.randint(10, 200),
              "other_services_decisions": rng.randint(0, 500),
              "procurement_projects": rng.randint(0, 60), "procurement_amount_wan_yuan": rng.randint(100, 99999) / 100}
    t2 |= {"licensing_decisions": rng.randint(0, 20000), "penalty_decisions": rng.randint(0, 5000),
           "coercion_decisions": rng.randint(0, 300)}
    if fmt == "2021":
        t2["fees_amount_wan_yuan"] = rng.choice([0, rng.randint(1, 999999) / 100])
    t3: dict[str, list[int]] = {"new_received": _row7(rng, 20, 0.3), "carried_over": _row7(rng, 3, 0.8)}
    for _, _, key in t3_layout(fmt):
        t3[key] = _row7(rng, 2, 0.85) if key not in ("granted",) else _row7(rng, 15, 0.3)
    results = [k for _, _, k in t3_layout(fmt)]
    t3["closed_total"] = [sum(t3[k][i] for k in results) for i in range(7)]
    t3["carried_forward"] = _row7(rng, 3, 0.7)
    # real reports balance: 新收 + 上年结转 = 办结 + 结转下年 in every applicant column
    for i in range(6):
        t3["carried_over"][i] = min(t3["carried_over"][i], t3["closed_total"][i] + t3["carried_forward"][i])
        t3["new_received"][i] = t3["closed_total"][i] + t3["carried_forward"][i] - t3["carried_over"][i]
    for key in ("new_received", "carried_over"):
        t3[key][6] = sum(t3[key][:6])
    t4: list[int] = []
    for _ in range(3):
        block = [rng.randint(0, 4) if rng.random() > 0.5 else 0 for _ in range(4)]
        t4 += block + [sum(block)]
    return Report(fmt, agency, short, year, t2, t3, t4)


_T4_BLOCKS = ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
_T4_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]


def expected(report: Report, variant: Variant) -> dict[tuple[str, str], int | float]:
    """Ground truth. Prose variants state only the figures of `prose_lines`; glued cells only the rows
    whose digits can be split with certainty (one digit per cell), as a careful reader would."""
    if variant.form == "prose":
        return {k: v for k, v, _ in prose_figures(report, variant.prose_style)}
    if variant.form == "crawled" and variant.damage == "glued":
        return glued_truth(report, variant)
    if variant.form == "crawled" and variant.damage == "dropped_blanks":
        # a text layer without its blank cells: a row that lost one cannot be placed column by column
        full = expected(report, Variant(variant.seed, prose_style=variant.prose_style))
        broken = {f"requests.{k}" for k, row in report.t3.items() if 0 in row}
        return {k: v for k, v in full.items() if k[0] not in broken or k[1] == "organization"}
    out: dict[tuple[str, str], int | float] = {}
    for key, value in report.t2.items():
        out[(f"publications.{key}", "total")] = value
    for key, row in report.t3.items():
        for applicant, value in zip(APPLICANTS, row, strict=True):
            out[(f"requests.{key}", applicant)] = value
    for i, value in enumerate(report.t4):
        out[(f"appeals.{_T4_BLOCKS[i // 5]}_{_T4_OUTCOMES[i % 5]}", "total")] = value
    # the narrative above the tables states some figures too, among them one the table has no cell for
    # (法人或其他组织, the five organisation columns together)
    for key, value, _ in prose_figures(report, variant.prose_style):
        out.setdefault(key, value)
    return out


def close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def score(report: Report, variant: Variant, facts: Iterable) -> tuple[dict, dict]:
    """(missing, wrong) of extracted facts against the ground truth: a figure missing unless some fact gives
    it (a zero also when its cell was blank or absent, and a 总计 left blank over cells that are not all zero
    may be missing, being no figure); a fact wrong when its value is not the generated one (a zero aside: a
    true zero the generator does not list, such as "未收取信息处理费"). Of a crawled page only the generated
    figures are judged wrong: damage can leave cells a careful reader reads as something else."""
    truth = expected(report, variant)
    optional = {(f"requests.{key}", "total") for _, _, key in t3_layout(report.fmt)
                if variant.blank_totals and any(report.t3[key][:-1])}
    found: dict[tuple[str, str], list] = defaultdict(list)
    for f in facts:
        found[(f.metric, f.applicant)].append(f.value)
    missing = {k: x for k, x in truth.items()
               if k not in optional and not any(close(g, x) for g in found.get(k, [0] if x == 0 else []))}
    crawled = variant.form == "crawled"
    wrong = {k: g for k, g in found.items()
             if (k in truth or not crawled) and any(not close(x, truth.get(k, 0)) for x in g)}
    return missing, wrong


# ---------------------------------------------------------------------------------------------- prose

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """0..9999 in Chinese numerals, as reports write them (十二, 一百零五)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit_value % 10
        if d:
            if zero and out:
                out += "零"
            out += _DIGITS[d] + unit
            zero = False
        else:
            zero = bool(out)
    return out


# per figure, the wordings real narratives use (the style index picks one)
_PROSE = [
    ("new_received", "total", ["全年共受理政府信息公开申请{n}件", "本年度共收到政府信息公开申请{n}件",
                               "全年新收依申请公开{n}件", "共接到各类信息公开申请{n}件"]),
    ("new_received", "natural_person", ["其中自然人申请{n}件", "其中自然人提出申请{n}件",
                                        "自然人申请{n}件", "其中自然人{n}件"]),
    ("closed_total", "total", ["办结{n}件", "已全部办结{n}件", "共办理完毕{n}件", "按时答复{n}件"]),
    ("carried_over", "total", ["上年结转{n}件", "另有上年结转申请{n}件", "上年度结转{n}件", "去年结转的{n}件"]),
    ("new_received", "organization", ["法人或其他组织申请{n}件", "法人或其他组织提出申请{n}件",
                                      "法人和其他组织申请{n}件", "法人或其他组织{n}件"]),
    ("granted", "total", ["予以公开{n}件", "同意公开{n}件", "予以公开的{n}件", "全部公开{n}件"]),
    ("partially_granted", "total", ["部分公开{n}件", "部分公开{n}件", "部分公开的{n}件", "部分公开{n}件"]),
    ("carried_forward", "total", ["{n}件结转下年度继续办理", "结转下年度继续办理{n}件", "{n}件转入下一年度办理",
                                  "结转至下年度办理的{n}件"]),
]


def prose_figures(report: Report, style: int = 0) -> list[tuple[tuple[str, str], int, str]]:
    """(fact key, value, wording with {n}) stated by the narrative, in order."""
    organisations = sum(report.t3["new_received"][1:6])
    out = [((f"requests.{key}", applicant), organisations if applicant == "organization"
            else report.t3[key][APPLICANTS.index(applicant)], forms[style % len(forms)])
           for key, applicant, forms in _PROSE]
    recon = report.t4[4]
    out.append((("appeals.reconsideration_total", "total"), recon,
                ["因政府信息公开引发行政复议{n}件", "因政府信息公开申请被申请行政复议{n}件",
                 "涉及政府信息公开的行政复议案件{n}件", "发生行政复议{n}件"][style % 4]))
    return out


def prose_paragraph(report: Report, chinese: bool, style: int = 0) -> str:
    parts = [template.format(n=chinese_numeral(n) if chinese else n)
             for _, n, template in prose_figures(report, style)]
    # a comparison with the previous year: a figure that must not be read as this year's
    before = report.t3["new_received"][6] + 7
    # sentences with counts of other things (建议提案, 12345 工单, a rate) that must not be read as requests
    return (f"{report.year}年，{report.short}{parts[0]}，较{report.year - 1}年的{before}件有所下降，{parts[1]}，"
            f"{parts[3]}，{parts[2]}；{parts[4]}，其中{parts[5]}，{parts[6]}；{parts[7]}，按时办结率100%。"
            f"全年办理人大代表建议和政协提案{before + 31}件，受理12345热线工单{before * 9}件。"
            f"{report.year}年，{parts[8]}。")


def title(report: Report, style: int) -> str:
    return [f"{report.agency}{report.year}年政府信息公开工作年度报告",
            f"{report.agency}{report.year}年度政府信息公开工作年度报告",
            f"{report.agency}关于{report.year}年政府信息公开工作年度报告",
            f"{report.agency} {report.year}年度 政府信息公开工作年度报告"][style % 4]


def intro(report: Report, style: int = 0) -> list[str]:
    return [
        title(report, style),
        f"本报告由{report.agency}根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度"
        f"报告格式》要求编制。本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。",
        "一、总体情况",
        f"{report.year}年，{report.short}认真贯彻落实政务公开工作部署，持续深化主动公开，规范依申请公开办理。",
    ]


# ---------------------------------------------------------------------------------------------- tables as grids

@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    value: bool = False


_FW = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _num(v: int | float, variant: Variant) -> str:
    if v == 0 and variant.blank_zero:
        return variant.zero_mark
    if float(v).is_integer():
        text = f"{int(v):,}" if variant.digits == "grouped" else str(int(v))
    else:
        text = f"{v:,.2f}" if variant.digits == "grouped" else f"{v:.2f}"
        text = text.rstrip("0").rstrip(".")
    return text.translate(_FW) if variant.digits == "fullwidth" else text


def _label(text: str, variant: Variant) -> str:
    if not variant.numbering:
        text = re.sub(r"^(?:（[一二三四五六七]）|[一二三四]、|\d\.)", "", text)
    if not variant.fullwidth:
        text = text.replace("（", "(").replace("）", ")")
    return text


def t2_grid(report: Report, variant: Variant) -> list[list[Cell]]:
    v, t2 = variant, report.t2
    rows: list[list[Cell]] = [[Cell(_label("第二十条第（一）项", v), colspan=4)]]
    if report.fmt == "2021":
        rows.append([Cell("信息内容"), Cell("本年制发件数"), Cell("本年废止件数"), Cell("现行有效件数")])
        cols = ["issued", "repealed", "in_force"]
        doc_rows = [("规章", "regulations"), ("行政规范性文件", "normative_docs")]
    else:
        rows.append([Cell("信息内容"), Cell("本年新制作数量"), Cell("本年新公开数量"), Cell("对外公开总数量")])
        cols = ["issued", "published", "in_force"]
        doc_rows = [("规章", "regulations"), ("规范性文件", "normative_docs")]
    for label, kind in doc_rows:
        rows.append([Cell(label)] + [Cell(value=True, text=_num(t2[f"{kind}_{c}"], v)) for c in cols])
    if report.fmt == "2021":
        for item, pairs in (("（五）", [("行政许可", "licensing_decisions")]),
                            ("（六）", [("行政处罚", "penalty_decisions"), ("行政强制", "coercion_decisions")])):
            rows.append([Cell(_label(f"第二十条第{item}项", v), colspan=4)])
            rows.append([Cell("信息内容"), Cell("本年处理决定数量", colspan=3)])
            rows += [[Cell(label), Cell(value=True, text=_num(t2[key], v), colspan=3)] for label, key in pairs]
        rows.append([Cell(_label("第二十条第（八）项", v), colspan=4)])
        unit = "元" if v.fee_yuan else "万元"
        fee = t2["fees_amount_wan_yuan"] * (10000 if v.fee_yuan else 1)
        fee_text = _num(round(fee) if v.fee_yuan else fee, v)
        rows.append([Cell("信息内容"), Cell(_label(f"本年收费金额（单位：{unit}）", v), colspan=3)])
        rows.append([Cell("行政事业性收费"), Cell(fee_text, colspan=3, value=True)])
    else:
        for item, pairs in (("（五）", [("行政许可", "licensing_decisions"),
                                       ("其他对外管理服务事项", "other_services_decisions")]),
                            ("（六）", [("行政处罚", "penalty_decisions"), ("行政强制", "coercion_decisions")])):
            rows.append([Cell(_label(f"第二十条第{item}项", v), colspan=4)])
            rows.append([Cell("信息内容"), Cell("上一年项目数量"), Cell("本年增/减"), Cell("处理决定数量")])
            # 上一年项目数量 / 本年增减 are filled in but map to no metric (the item counts of the catalogue)
            rows += [[Cell(label), Cell(value=True, text=_num(items, v)), Cell(value=True, text=_num(delta, v)),
                      Cell(value=True, text=_num(t2[key], v))]
                     for (label, key), items, delta in zip(pairs, (48, 17), (0, 2), strict=True)]
        rows.append([Cell(_label("第二十条第（八）项", v), colspan=4)])
        rows.append([Cell("信息内容"), Cell("上一年项目数量"), Cell("本年增/减", colspan=2)])
        rows.append([Cell("行政事业性收费"), Cell(value=True, text=_num(5, v)),
                     Cell(value=True, text=_num(0, v), colspan=2)])
        rows.append([Cell(_label("第二十条第（九）项", v), colspan=4)])
        rows.append([Cell("信息内容"), Cell("采购项目数量"), Cell(_label("采购总金额（单位：万元）", v), colspan=2)])
        rows.append([Cell("政府集中采购"), Cell(value=True, text=_num(t2["procurement_projects"], v)),
                     Cell(value=True, text=_num(t2["procurement_amount_wan_yuan"], v), colspan=2)])
    if v.no_item_rows:
        rows = [r for r in rows if "第二十条" not in r[0].text]
    return rows


def t3_grid(report: Report, variant: Variant) -> list[list[Cell]]:
    v = variant
    nums = lambda key: [Cell(value=True, text=_num(x, v)) for x in report.t3[key]]  # noqa: E731
    if v.flat_header:
        names = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
        rows = [[Cell("本列数据的勾稽关系", colspan=3)] + [Cell(x) for x in names]]
    else:
        rows = []
    rows += [
        [Cell(_label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", v), rowspan=3, colspan=3),
         Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5),
         Cell("合计" if v.short_headers else "总计", rowspan=2)],
        [Cell(x) for x in (("商业企业", "科研机构", "社会公益", "法律服务", "其他组织") if v.short_headers
                           else ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))],
        [Cell(_label("一、本年新收政府信息公开申请数量", v), colspan=3)] + nums("new_received"),
        [Cell(_label("二、上年结转政府信息公开申请数量", v), colspan=3)] + nums("carried_over"),
    ]
    if v.flat_header:
        del rows[1:4]
    layout = t3_layout("2019" if "other_total" in report.t3 else report.fmt)
    group_rows = len(layout) + 1
    seen: set[str] = set()
    for i, (sub, label, key) in enumerate(layout):
        row: list[Cell] = []
        if i == 0:
            row.append(Cell(_label("三、本年度办理结果", v), rowspan=group_rows))
        if sub is None:
            row.append(Cell(_label(label, v), colspan=2))
        else:
            if sub not in seen:
                seen.add(sub)
                row.append(Cell(_label(sub, v), rowspan=sum(1 for s, _, _ in layout if s == sub)))
            row.append(Cell(_label(label, v)))
        cells = nums(key)
        if v.blank_totals:
            cells[-1] = Cell(value=True, text="")
        rows.append(row + cells)
    rows.append([Cell(_label("（七）总计", v), colspan=2)] + nums("closed_total"))
    rows.append([Cell(_label("四、结转下年度继续办理", v), colspan=3)] + nums("carried_forward"))
    return rows


def t4_grid(report: Report, variant: Variant) -> list[list[Cell]]:
    outcomes = [Cell(x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    return [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(c.text, rowspan=2) for c in outcomes] + [Cell("未经复议直接起诉", colspan=5),
                                                       Cell("复议后起诉", colspan=5)],
        outcomes + [Cell(c.text) for c in outcomes],
        [Cell(value=True, text=_num(x, variant)) for x in report.t4],
    ]


def _expand(grid: list[list[Cell]]) -> list[list[str]]:
    """The grid with spanned cells repeated (what a Markdown transcription of the table shows)."""
    out: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid):
        line: list[str] = []
        c = 0
        cells = iter(row)
        while True:
            if (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr == 0:
                        line.append(cell.text)
                    else:
                        pending[(r + dr, c + dc)] = cell.text
            c += cell.colspan
        out.append(line)
    return out


def _torn_rows(grid: list[list[Cell]], expanded: list[list[str]], variant: Variant, rng: random.Random) -> list[str]:
    """Table 三 as a PDF-to-Markdown converter leaves it when it loses the label column's layout: some
    outcome rows keep only their numbers, their labels (with the group's, on a group's first row) go to
    text lines wrapped every 9–11 characters, set before the row or up to two rows earlier, and the table
    restarts after each such block with its next row and a delimiter row."""
    def pipe(cells: list[str]) -> str:
        return " | ".join(cells) if variant.bare_pipes else f"| {' | '.join(cells)} |"

    def rule(width: int) -> str:
        return "|".join(["---"] * width) if variant.bare_pipes else "|" + "---|" * width

    value_rows = [i for i, row in enumerate(grid) if any(c.value for c in row)]
    n_labels = len(expanded[value_rows[0]]) - len(APPLICANTS)
    body = [expanded[i] for i in value_rows]
    fixed = ("本年新收", "上年结转", "总计", "合计", "结转下年")  # the table's frame, which converters keep whole
    blocks: dict[int, list[str]] = {}
    rows: list[list[str]] = []
    for k, row in enumerate(body):
        labels, values = row[:n_labels], row[n_labels:]
        if any(word in label for label in labels for word in fixed) or rng.random() < 0.5:
            rows.append(row)
            continue
        previous = body[k - 1][:n_labels] if k else []
        words = [x for j, x in enumerate(labels) if j and x and (x not in previous or j == n_labels - 1)]
        text = "".join(dict.fromkeys(words))
        wrapped = []
        while text:
            cut = rng.randint(9, 11)
            wrapped.append(text[:cut])
            text = text[cut:]
        at = max(2, k - rng.randint(0, 2))  # never above the rows of 一 and 二
        blocks.setdefault(at, []).extend(wrapped)
        rows.append(values)
    out = [pipe(expanded[0]), rule(len(expanded[0])), *[pipe(r) for r in expanded[1:value_rows[0]]]]
    start_piece = False
    for k, row in enumerate(rows):
        if k in blocks:
            out += ["", *blocks[k], ""]
            start_piece = True
        out.append(pipe(row))
        if start_piece:
            out.append(rule(len(row)))
            start_piece = False
    return out


# ---------------------------------------------------------------------------------------------- renderers

_SECTIONS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
_TAIL = ["五、存在的主要问题及改进情况", "一是政策解读形式有待丰富，二是依申请办理质量需进一步提升。",
         "六、其他需要报告的事项", "本年度未收取信息处理费。"]


def _word_text(text: str, rng: random.Random) -> str:
    """A label as Word exports it: runs split into <span>s at arbitrary points, &nbsp; and <o:p>."""
    esc = html.escape(text, quote=False)
    if len(text) < 3:
        return f'<span lang="EN-US" style="font-size:10.5pt">{esc}</span><o:p></o:p>'
    cut = rng.randint(1, len(text) - 1)
    a, b = html.escape(text[:cut], quote=False), html.escape(text[cut:], quote=False)
    return (f'<span style="font-family:仿宋_GB2312">{a}</span><span style="font-family:仿宋_GB2312;'
            f'mso-bidi-font-family:宋体">{b}</span><o:p></o:p>')


def _html_table(grid: list[list[Cell]], variant: Variant, rng: random.Random) -> str:
    rows = []
    for row in grid:
        cells = []
        for cell in row:
            attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            wrap = variant.cell_breaks and len(cell.text) > 8
            if variant.form == "word":
                texts = [cell.text[:len(cell.text) // 2], cell.text[len(cell.text) // 2:]] if wrap else [cell.text]
                if variant.cell_breaks and cell.rowspan > 2 and not cell.value:
                    texts = list(cell.text)  # a narrow group column: one character per paragraph
                body = "".join(f'<p class="MsoNormal" align="center">'
                               f'{_word_text(t, rng) if t else "<span>&nbsp;</span><o:p></o:p>"}</p>' for t in texts)
                cells.append(f'<td{attrs} style="border:solid windowtext 1.0pt" valign="center">{body}</td>')
            else:
                body = html.escape(cell.text, quote=False)
                if wrap:
                    half = len(cell.text) // 2
                    body = "<br/>".join(html.escape(t, quote=False) for t in (cell.text[:half], cell.text[half:]))
                cells.append(f"<td{attrs}>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0">' + "\n".join(rows) + "</table>"


def _para(text: str, variant: Variant) -> str:
    if variant.form == "word":
        return (f'<p class="MsoNormal" style="text-indent:32.0pt"><span style="font-family:仿宋_GB2312">'
                f"{html.escape(text, quote=False)}</span><span lang=\"EN-US\">&nbsp;<o:p></o:p></span></p>")
    return f"<p>{html.escape(text, quote=False)}</p>"


def render(report: Report, variant: Variant) -> tuple[bytes, str, str]:
    """(bytes, filename, media_type) of the variant."""
    if variant.form == "crawled":
        conv_crawled = opencc.OpenCC("s2t").convert if variant.traditional else (lambda s: s)
        return conv_crawled(crawled_text(report, variant)).encode("utf-8"), "report.txt", "text/plain"
    rng = random.Random(variant.seed * 7919)
    grids = [t2_grid(report, variant), t3_grid(report, variant), t4_grid(report, variant)]
    head = intro(report, variant.title_style)
    body_prose = prose_paragraph(report, variant.chinese_numerals, variant.prose_style)
    conv = opencc.OpenCC("s2t").convert if variant.traditional else (lambda s: s)
    if variant.form in ("markdown", "plain", "prose"):
        lines = [f"# {head[0]}", "", *head[1:], "", body_prose, ""]
        if variant.form == "plain":
            # a copied text layer: one line per row, distinct label cells then the numbers, space-separated
            for section, grid in zip(_SECTIONS, grids, strict=True):
                lines += ["", section]
                # a spanned label shows once, on its first row; a blank value cell would vanish from a
                # text layer and make the row ambiguous, so it shows its mark or 0
                for row in grid:
                    cells = [c.text or (variant.zero_mark or "0") if c.value else c.text for c in row]
                    lines.append(" ".join(c for c in cells if c))
        if variant.form == "markdown":
            for section, grid in zip(_SECTIONS, grids, strict=True):
                lines += ["", f"## {section}" if not variant.heading_in_table else f"**{section}**", ""]
                expanded = _expand(grid)
                width = max(len(r) for r in expanded)
                padded = [" | ".join(r + [""] * (width - len(r))) for r in expanded]
                if not variant.bare_pipes:
                    padded = [f"| {r} |" for r in padded]
                rule = "|".join(["---"] * width) if variant.bare_pipes else "|" + "---|" * width
                if variant.torn_labels and section == _SECTIONS[1]:
                    lines += _torn_rows(grid, expanded, variant, random.Random(variant.seed * 31))
                    continue
                lines += [padded[0], rule, *padded[1:]]
        lines += ["", *_TAIL, "", report.agency, f"{report.year + 1}年1月20日"]
        text = conv("\n".join(lines) + "\n")
        name, media = ("report.txt", "text/plain") if variant.form == "plain" else ("report.md", "text/markdown")
        return text.encode("gbk" if variant.gbk else "utf-8"), name, media
    charset = "gbk" if variant.gbk else "utf-8"
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if variant.form == "word"
            else f'<meta charset="{charset}">')
    if variant.form == "word":
        # what Word puts in the head: document properties in XML islands, a style sheet
        meta += ("<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>admin</o:Author><o:Pages>5</o:Pages>"
                 "<o:Words>2021</o:Words></o:DocumentProperties></xml><![endif]-->"
                 "<style>p.MsoNormal{margin:0cm;font-size:10.5pt;font-family:仿宋_GB2312}</style>")
    parts = [f"<html><head>{meta}<title>{html.escape(head[0])}_{html.escape(report.agency)}</title></head><body>"]
    if variant.layout_table:
        parts.append('<table width="100%"><tr><td class="bt_content">')
    if variant.chrome:
        parts += ['<div class="nav">首页 | 政务公开 | 政府信息公开年报</div>',
                  f'<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; {html.escape(report.short)}'
                  ' &gt; 年度报告</div>',
                  f'<table class="meta"><tr><td>索引号：</td><td>11330100002489479/{report.year + 1}-00012</td>'
                  f'<td>发布机构：</td><td>{html.escape(report.agency)}</td></tr>'
                  f'<tr><td>发布日期：</td><td>{report.year + 1}-01-20</td>'
                  '<td>主题分类：</td><td>其他</td></tr></table>']
    parts.append(f'<div class="title"><h2>{html.escape(head[0])}</h2></div>')
    parts += [_para(p, variant) for p in head[1:]]
    parts.append(_para(body_prose, variant))
    for section, grid in zip(_SECTIONS, grids, strict=True):
        if variant.heading_in_table:
            grid = [[Cell(section, colspan=max(sum(c.colspan for c in r) for r in grid))], *grid]
        else:
            parts.append(_para(section, variant))
        parts.append(_html_table(grid, variant, rng))
    parts += [_para(p, variant) for p in _TAIL]
    parts += [_para(report.agency, variant), _para(f"{report.year + 1}年1月20日", variant)]
    if variant.chrome:
        parts += ['<div class="share">【打印本页】【关闭窗口】</div>',
                  '<div class="footer">主办单位：人民政府办公室 网站标识码：3301000001 ICP备05001234号</div>']
    if variant.layout_table:
        parts.append("</td></tr></table>")
    parts.append("</body></html>")
    text = conv("\n".join(parts))
    if variant.form == "word":
        text = text.replace("“", "&ldquo;").replace("”", "&rdquo;").replace("、", "&#12289;", 3)
    return text.encode(charset), "report.html", "text/html"


# ---------------------------------------------------------------------------------------------- crawled pages

DAMAGES = ("cell_per_line", "glued", "spaced", "labels_lost", "page_break", "cell_notes", "typos", "stray_spaces",
           "single_other", "dropped_blanks", "numbers_first", "vertical_labels", "pipe_lines")


def _value_rows(grid: list[list[Cell]]) -> list[tuple[list[str], list[str]]]:
    expanded = _expand(grid)
    out = []
    for row, grid_row in zip(expanded, grid, strict=True):
        values = [c.text for c in grid_row if c.value]
        n_columns = sum(c.colspan for c in grid_row if c.value)
        labels = [t for i, t in enumerate(row[: len(row) - n_columns] if n_columns else row)
                  if t and t not in row[:i]]
        out.append((labels, values))
    return out


def _single_digit(values: list[str]) -> bool:
    return all(len(v) == 1 and v.isdigit() for v in values)


def glued_splits(digits: str, n: int, block: int) -> list[tuple[int, ...]]:
    """Every split of a glued digit run into n numbers without leading zeros whose blocks of `block` cells
    end with the sum of the others, by plain enumeration (the reference the extractor's search is held to)."""
    out: list[tuple[int, ...]] = []

    def walk(pos: int, cells: tuple[int, ...]) -> None:
        if cells and len(cells) % block == 0 and sum(cells[-block:-1]) != cells[-1]:
            return  # a finished block that does not add up
        if len(cells) == n:
            if pos == len(digits):
                out.append(cells)
            return
        for end in range(pos + 1, len(digits) - (n - len(cells) - 1) + 1):
            piece = digits[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            walk(end, (*cells, int(piece)))

    walk(0, ())
    return out


def glued_truth(report: Report, variant: Variant) -> dict[tuple[str, str], int | float]:
    """The figures a glued table states with certainty: rows of one cell, or glued digits that only one
    split into the row's cells makes add up (table 三's rows, table 四's three blocks), and of a table 三 row
    that splits several ways, the cells all the splits agree on."""
    out: dict[tuple[str, str], int | float] = {}
    plain = Variant(variant.seed)
    full = expected(report, plain)
    for key, row in report.t3.items():
        splits = glued_splits("".join(_num(x, plain) for x in row), len(row), len(row))
        # the cells every split agrees on are certain too (all of them when there is one split)
        out |= {(f"requests.{key}", a): x for a, x, *others in zip(APPLICANTS, row, *splits, strict=True)
                if splits and all(o == x for o in others)}
    t2 = report.t2
    groups = [["regulations_issued", "regulations_repealed", "regulations_in_force"],
              ["normative_docs_issued", "normative_docs_repealed", "normative_docs_in_force"]]
    for group in groups:
        if _single_digit([_num(t2[k], plain) for k in group]):
            out |= {(f"publications.{k}", "total"): t2[k] for k in group}
    for key in ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_amount_wan_yuan"):
        out[(f"publications.{key}", "total")] = t2[key]
    if len(glued_splits("".join(_num(x, plain) for x in report.t4), len(report.t4), 5)) == 1:
        out |= {k: v for k, v in full.items() if k[0].startswith("appeals.")}
    return out


def _typo(label: str, rng: random.Random) -> str:
    """A label with one character dropped from its middle, as a hurried transcriber leaves it."""
    if len(label) < 8:
        return label
    i = rng.randint(len(label) // 3, len(label) - 3)
    return label[:i] + label[i + 1:]


def crawled_text(report: Report, variant: Variant) -> str:
    """The report as a crawler or a converter leaves it: the prose, then the three tables damaged the
    way `variant.damage` says (one cell per line, glued or irregularly spaced digits, lost labels, a page
    break inside table 三, notes and units in cells, typos and stray spaces in labels)."""
    rng = random.Random(variant.seed * 31)
    damage = variant.damage
    head = intro(report, variant.title_style)
    lines = [*head, prose_paragraph(report, False, variant.prose_style)]
    grids = [t2_grid(report, variant), t3_grid(report, variant), t4_grid(report, variant)]
    if damage == "cell_notes" and report.fmt == "2021":
        t2 = report.t2
        for row in grids[0]:
            if row[0].text == "行政规范性文件":
                row[1] = Cell(f"{_num(t2['normative_docs_issued'], variant)}（其中修订{rng.randint(0, 9)}件）",
                              value=True)
            if row[0].text == "行政事业性收费":
                # the amount with its unit in the cell: 万元 as the header asks, or 元 regardless of it
                fee = t2["fees_amount_wan_yuan"]
                text = f"{fee:g}万元" if v_index(variant) % 2 == 0 else f"{round(fee * 10000)}元"
                row[1] = Cell(text, colspan=3, value=True)
    lost = set(rng.sample(range(8, 14), 2)) if damage == "labels_lost" else set()
    typo_row = rng.randint(6, 12) if damage == "typos" else -1
    glued_parts: list[str] = []
    printed_groups: set[str] = set()
    for section, grid in zip(_SECTIONS, grids, strict=True):
        lines.append(section)
        for r, (labels, values) in enumerate(_value_rows(grid)):
            if damage == "stray_spaces":
                labels = [re.sub(r"^(商业|科研|予以|部分)", r"\1 ", t) for t in labels]
            if section == _SECTIONS[1] and r == typo_row and labels:
                labels = labels[:-1] + [_typo(labels[-1], rng)]
            if section == _SECTIONS[1] and r in lost and values:
                labels = []
            if damage == "cell_per_line":
                lines += [f"{t} |" for t in labels]
                lines += [f"{v} |" if v else "|" for v in values]
                lines.append("||")
            elif damage == "pipe_lines":
                # each cell on a line of its own and a lone "|" line after it (尼勒克县 2023), no row ends
                for cell in [*labels, *values]:
                    lines += [cell, "|"]
            elif damage == "vertical_labels":
                # a PDF text layer: a narrow group column comes out one character per line
                for group in labels[:-1]:
                    if group not in printed_groups:
                        printed_groups.add(group)
                        lines += list(re.sub(r"\s", "", group))
                lines.append(" ".join([*labels[-1:], *values]))
            elif damage in ("dropped_blanks", "numbers_first"):
                shown = [x for x in values if x not in ("", "0")] \
                    if damage == "dropped_blanks" and section == _SECTIONS[1] else values
                if damage == "numbers_first" and section == _SECTIONS[1] and values:
                    lines += [" ".join(shown), " ".join(labels)]
                else:
                    lines.append(" ".join([*labels, *shown]))
            elif damage in ("glued", "spaced"):
                if damage == "spaced":
                    text = "".join(v if i == 0 else (" " if rng.random() < 0.5 or not _single_digit(values)
                                                     else "") + v for i, v in enumerate(values))
                else:
                    text = "".join(values)
                glued_parts.append("".join(labels) + text)
            else:
                cells = [*labels, *values] if damage != "labels_lost" or labels else ["", "", *values]
                lines.append("| " + " | ".join(cells) + " |")
            if damage == "page_break" and section == _SECTIONS[1] and r == 12:
                lines += ["- 3 -", "| 申请人情况 | 自然人 | 法人或其他组织 | 总计 |",
                          "| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |"]
        if damage in ("glued", "spaced"):
            lines[-1] = section + "".join(glued_parts)
            glued_parts = []
    lines += [*_TAIL, report.agency, f"{report.year + 1}年1月20日"]
    return "\n".join(lines) + "\n"


def v_index(variant: Variant) -> int:
    """The variant's number within its damage class."""
    return variant.seed % 100


def crawled_variants(per_damage: int = 3) -> list[tuple[Report, Variant]]:
    """`per_damage` seeded (report, variant) pairs for each kind of damage."""
    out = []
    for d, damage in enumerate(DAMAGES):
        for k in range(per_damage):
            seed = 5000 + d * 100 + k
            fmt = "2019" if (k == 2 and damage not in ("cell_notes", "single_other", "glued")) else "2021"
            v = Variant(seed=seed, form="crawled", damage=damage, fullwidth=k % 2 == 0, title_style=k,
                        prose_style=k, blank_zero=damage == "cell_per_line" and k == 1, zero_mark="")
            report = make_report(seed, fmt)
            if damage == "single_other":
                report = _single_other(report)
            out.append((report, v))
    return out


def _single_other(report: Report) -> Report:
    """A 2021 report printed with the 2019 form's one （六）其他处理 row (some sites kept the old form)."""
    t3 = dict(report.t3)
    parts = [t3.pop(k) for k in ("other_overdue_correction", "other_overdue_fee", "other_other")]
    t3["other_total"] = [sum(x) for x in zip(*parts, strict=True)]
    return Report(report.fmt, report.agency, report.short, report.year, report.t2, t3, report.t4)


def variants(n: int = 30) -> list[tuple[Report, Variant]]:
    """`n` seeded (report, variant) pairs cycling through the forms and flags."""
    out = []
    forms = ["html", "word", "markdown", "prose", "plain", "word"]
    for i in range(n):
        rng = random.Random(1000 + i)
        fmt = "2019" if i % 4 == 0 else "2021"
        form = forms[i % len(forms)]
        v = Variant(
            seed=1000 + i, form=form,
            traditional=i % 5 == 2, gbk=i % 4 == 1 or i % 9 == 4,
            fullwidth=rng.random() < 0.6, numbering=i % 7 != 3, blank_zero=i % 3 == 1,
            fee_yuan=i % 4 == 2 and fmt == "2021", chinese_numerals=form == "prose" and i % 2 == 1,
            zero_mark=["", "—", "/", "-", "0"][i % 5], digits=["ascii", "fullwidth", "grouped"][i % 3],
            cell_breaks=i % 4 in (0, 1), prose_style=i // 6,
            layout_table=i % 4 == 3, chrome=i % 3 != 2, title_style=i % 4,
            short_headers=i % 5 == 3, heading_in_table=i % 6 in (0, 5),
            flat_header=i % 7 in (2, 5), bare_pipes=i % 4 == 0, no_item_rows=i % 5 == 4,
        )
        out.append((make_report(v.seed, fmt), v))
    return out
