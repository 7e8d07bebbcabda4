"""Prose facts, one class of phrasing at a time, each tested on generated variants (verbs, subjects,
units, numbers, channel lists drawn at random with a fixed seed) and on the real documents' values."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extract import narrative
from extract.extractor import extract_path
from extract.narrative import parse_number, text_checks, text_facts
from extract.normalise import normalise

REAL = Path(__file__).parent.parent / "samples" / "corpus" / "real"
SUBJECTS = ["本机关", "我局", "我委", "市政府办公室", "区人民政府", "全县", "本单位", "街道"]


def facts(text: str, year: int | None = 2023) -> dict[str, float | int]:
    out = {}
    for f in text_facts(text, year=year):
        assert text[f.start : f.end] == f.evidence
        out[f.metric if f.applicant == "total" else f"{f.metric}@{f.applicant}"] = f.value
    return out


def confidences(text: str, year: int = 2023) -> dict[str, str]:
    return {f.metric: f.confidence for f in text_facts(text, year=year)}


def variants(seed: int, n: int = 12) -> list[random.Random]:
    return [random.Random(seed * 1000 + i) for i in range(n)]


# --- received + carried = closed + forward ------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(1))
def test_handled_total_including_carry_over_is_neither_received_nor_closed(rng):
    carried, forward = rng.randint(1, 90), rng.randint(1, 90)
    closed = rng.randint(100, 3000)
    handled = closed + forward
    verb = rng.choice(["共处理", "共办理", "共受理"])
    answered = rng.choice(["已依法答复", "已按时答复", "已全部办结", "已办理完毕"])
    incl = rng.choice(["包含", "含", "其中含"])
    text = (f"2023年,{rng.choice(SUBJECTS)}{verb}政府信息公开申请{handled}件({incl}上年结转{carried}件),"
            f"{closed}件{answered},{forward}件结转。")
    got = facts(text)
    assert got.get("requests.closed_total") == closed
    assert got.get("requests.carried_over") == carried
    assert got.get("requests.carried_forward") == forward
    assert "requests.new_received" not in got


@pytest.mark.parametrize("rng", variants(2))
def test_shouli_is_decided_by_the_arithmetic(rng):
    new, carried, forward = rng.randint(5, 900), rng.randint(1, 40), rng.randint(0, 40)
    closed = new + carried - forward
    subject = rng.choice(SUBJECTS)
    # all four stated and balancing: the 受理 figure is the year's intake, and every figure is verified
    text = (f"{subject}全年受理政府信息公开申请{new}件,上年结转{carried}件,办结{closed}件,"
            f"结转下一年度{forward}件。")
    assert facts(text) == {"requests.new_received": new, "requests.carried_over": carried,
                           "requests.closed_total": closed, "requests.carried_forward": forward}
    assert set(confidences(text).values()) == {"verified"}
    # no carry-over stated and 受理 = 办结 + 结转: the year's intake with none carried over, as far as the prose
    # tells (铜梁/易县/通化县 "全年受理…47件,当年办结45件,结转下一年2件"); a table that shows a carry-over settles it
    # the other way (test_a_handled_figure_equal_to_the_tables_new_plus_carried_is_dropped)
    gross = closed + forward
    text = f"{subject}共受理政府信息公开申请{gross}件,办结{closed}件,结转下一年{forward}件。"
    assert facts(text)["requests.new_received"] == gross
    # 收到 is always the intake
    text = f"{subject}共收到政府信息公开申请{gross}件,办结{closed}件,{forward}件结转下年度继续办理。"
    assert facts(text)["requests.new_received"] == gross


@pytest.mark.parametrize("rng", variants(3, 6))
def test_a_broken_balance_marks_its_figures_in_conflict(rng):
    new, carried, closed, forward = rng.randint(10, 99), rng.randint(1, 9), rng.randint(200, 300), rng.randint(1, 9)
    text = f"全年新收政府信息公开申请{new}件,上年结转{carried}件,办结{closed}件,结转下年度{forward}件。"
    assert set(confidences(text).values()) == {"conflict"}
    checks = text_checks(text_facts(text, year=2023))
    assert [(c.name, c.ok) for c in checks] == [("text:requests.balance@total", False)]
    assert checks[0].figures == {"new_received": new, "carried_over": carried, "closed_total": closed,
                                 "carried_forward": forward}


@pytest.mark.parametrize("rng", variants(4, 6))
def test_outcomes_and_forward_balance_without_a_closed_figure(rng):
    granted, unavailable = rng.randint(1, 30), rng.randint(1, 30)
    forward, carried = rng.randint(0, 5), rng.randint(0, 5)
    new = granted + unavailable + forward - carried
    if new <= 0:
        return
    text = (f"全年共收到信息公开申请{new}件,上年度结转{carried}件;予以公开{granted}件,无法提供{unavailable}件,"
            f"结转下年继续办理{forward}件。")
    got = text_facts(text, year=2023)
    assert {f.metric for f in got if f.confidence == "verified"} >= {
        "requests.new_received", "requests.granted", "requests.unavailable_total"}


# --- publications: channels ---------------------------------------------------------------------------

CHANNELS = ["政务微信", "微信公众号", "政务微博", "抖音号", "今日头条号", "头条号", "视频号", "快手号"]


@pytest.mark.parametrize("rng", variants(5))
def test_new_media_channels_listed_one_by_one_are_summed(rng):
    chosen = rng.sample(CHANNELS[:1] + CHANNELS[2:], rng.randint(2, 4))
    counts = [rng.randint(1, 900) for _ in chosen]
    site = rng.randint(100, 9000)
    listed = ",".join(f"{c}{n}条" for c, n in zip(chosen, counts, strict=True))
    text = f"全年局门户网站主动公开信息{site}条,{listed}。"
    got = facts(text)
    assert got["publications.new_media_posts"] == sum(counts)
    assert got["publications.website_posts"] == site
    assert "publications.proactive_items_total" not in got


@pytest.mark.parametrize("rng", variants(6))
def test_a_stated_new_media_total_is_not_added_to_its_breakdown(rng):
    counts = [rng.randint(1, 500) for _ in range(3)]
    total = sum(counts)
    text = (f"通过政务新媒体发布信息{total}条,其中政务微信{counts[0]}条,政务微博{counts[1]}条,"
            f"抖音号{counts[2]}条。")
    assert facts(text)["publications.new_media_posts"] == total


@pytest.mark.parametrize("rng", variants(7))
def test_a_channel_total_with_a_breakdown_that_sums_to_it_is_verified(rng):
    parts = [rng.randint(1, 2000) for _ in range(rng.randint(2, 5))]
    total = sum(parts)
    site = rng.choice(["官网", "门户网站", "政府网站", "局门户网站"])
    kinds = ["工作动态", "通知公告", "政策文件", "人事信息", "统计数据"]
    breakdown = "、".join(f"{k}{n}条" for k, n in zip(kinds, parts, strict=False))
    text = f"全年在{site}发布信息{total}条,其中{breakdown}。"
    got = text_facts(text, year=2023)
    assert [(f.metric, f.value, f.confidence) for f in got] == [("publications.website_posts", total, "verified")]
    assert any(c.name == "text:publications.website_posts.breakdown@total" and c.ok for c in text_checks(got, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("主动在门户网站公开政府信息50条。", {"publications.website_posts": 50}),
        ("合江县人民政府网公开政府信息7055条。", {"publications.website_posts": 7055}),
        ("通过官网发布信息3374条。", {"publications.website_posts": 3374}),
        ("在互联网上,2012年县政府公开办主动公开信息数为1795条。", {"publications.website_posts": 1795}),
        ("全年通过县政府门户网站主动公开政府信息4511条。", {"publications.proactive_items_total": 4511}),
        ("在门户网站和官网上主动公开政府信息780条。", {"publications.proactive_items_total": 780}),
        ("2022年,全县累计公开政府信息21597条。", {"publications.proactive_items_total": 21597}),
        ("全年主动公开我区各级单位政府信息2645条。", {"publications.proactive_items_total": 2645}),
        ("县直各单位主动公开政府信息2475条。", {}),  # a part of the body, not the body
        ("县政府部门和镇(街道)共公开各类政府信息14542条。", {}),
        ("主动解读政策文件2件。", {"publications.policy_interpretations": 2}),
    ],
)
def test_website_or_all_proactive(text, expected):
    year = next((y for y in (2012, 2022) if str(y) in text), 2023)
    assert facts(text, year) == expected


# --- zeros, approximations, things that are not requests ----------------------------------------------


@pytest.mark.parametrize("rng", variants(8))
def test_zero_statements(rng):
    subject = rng.choice(SUBJECTS)
    neg = rng.choice(["未发生", "没有发生", "未出现", "不存在"])
    link = rng.choice(["因政府信息公开引起的", "因政府信息公开申请引发的", "针对本机关政府信息公开的", ""])
    appeals = rng.choice(["行政复议、行政诉讼", "行政复议和行政诉讼", "行政复议与行政诉讼"])
    text = f"2023年,{subject}{neg}{link}{appeals}案件。"
    assert facts(text) == {"appeals.reconsideration_total": 0, "appeals.litigation_total": 0}
    no = rng.choice(["未收到", "没有收到", "无"])
    assert facts(f"2023年度,{subject}{no}政府信息公开申请。") == {"requests.new_received": 0}
    assert facts(f"{subject}无上年结转政府信息公开申请。") == {"requests.carried_over": 0}
    assert facts(f"2023年,{subject}无收取信息处理费情况。") == {"publications.processing_fees_yuan": 0}


def test_fees_before_the_2019_regulations_are_another_quantity():
    # 2010: 检索、复制、邮寄 costs, not the 信息处理费 the metric counts
    assert facts("2010年我局依申请提供政府信息未收取费用,不存在减免情况。", 2010) == {}
    assert facts("2023年我局未收取信息处理费。", 2023) == {"publications.processing_fees_yuan": 0}


@pytest.mark.parametrize("rng", variants(9))
def test_approximate_figures_are_not_facts(rng):
    n = rng.randint(2, 90)
    phrase = rng.choice([f"{n}000余条", f"{n}000多条", f"{n}.{rng.randint(1, 99)}万条", f"{n}万余条",
                         f"{n}万条", f"近{n}00条左右"])
    verb = rng.choice(["通过门户网站发布信息", "主动公开政府信息", "在官网发布信息"])
    assert facts(f"全年{verb}{phrase}。") == {}


@pytest.mark.parametrize(
    "text",
    [
        "行政审批服务中心全年共受理申请121510件,办结121000件。",
        "今年我局共受理审批事项117件,办结171件,办结率100%。",
        "2023年收到政府信息公开申请3件。办理12345政务服务热线工单8391件,回应信息115条。",
        "办理书记县长信箱(网上信访)112件、人大代表建议123件、政协提案151件。",
        "全年接待群众咨询2070人次,其中电话咨询2070人次。",
        "办理下岗失业人员减免税共计91件,共计减免金额219062.78元。",
    ],
)
def test_counts_that_are_not_information_requests(text):
    got = facts(text)
    assert all(v == 3 for k, v in got.items()), got  # only the one real request count (3) may be read


LEGACY = [
    ("同意公开答复数", "requests.granted"),
    ("同意部分公开答复数", "requests.partially_granted"),
    ("不同意公开答复数", "requests.denied_total"),
    ("否决公开答复数", "requests.denied_total"),
    ("免于公开答复数", "requests.denied_total"),
    ("信息不存在数", "requests.legacy_not_exist"),
    ("非本机关职责范围", "requests.legacy_not_this_agency"),
    ("不属于本行政机关公开数", "requests.legacy_not_this_agency"),
    ("告知作出更改补充数", "requests.legacy_asked_to_amend"),
    ("当面申请数", "requests.received_in_person"),
    ("电子邮件申请数", "requests.received_online"),
    ("信函申请数", "requests.received_by_letter"),
]


@pytest.mark.parametrize(("label", "metric"), LEGACY)
def test_pre_2019_vocabulary(label, metric):
    for rng in variants(10, 4):
        n = rng.randint(0, 300)
        unit = rng.choice(["件", "条"])
        text = f"2012年全县共收到政府信息公开申请{n + 1}{unit},其中{label}{n}{unit}。"
        got = facts(text, 2012)
        assert got[metric] == n, (text, got)
        assert got["requests.new_received"] == n + 1


@pytest.mark.parametrize("digits", ["9" * 309, "9" * 20, "1" + "0" * 13])
def test_numbers_beyond_any_count_are_skipped_with_a_warning(digits):
    warnings: list[str] = []
    got = text_facts(f"全年收到政府信息公开申请{digits}件,办结{digits}件。", year=2023, warnings=warnings)
    assert got == []
    assert any("digits skipped" in w for w in warnings)
    assert parse_number(digits) is None


# --- the real documents -------------------------------------------------------------------------------


def real_facts(name: str) -> dict[str, float | int]:
    e = extract_path(REAL / name)
    return {f.metric: f.value for f in e.facts if f.method == "text" and f.applicant == "total"}


def test_real_reports_prose():
    got = real_facts("shandong_jgswj_2022_zhtw.txt")
    assert (got["publications.website_posts"], got["publications.new_media_posts"]) == (2978, 841)
    assert got["requests.new_received"] == 4 and got["publications.policy_interpretations"] == 2
    got = real_facts("hejiang_county_2022.txt")
    assert (got["publications.proactive_items_total"], got["publications.website_posts"]) == (21597, 7055)
    assert (got["requests.carried_over"], got["requests.carried_forward"]) == (0, 0)
    got = real_facts("pingtan_2021_gluedcells.txt")  # a crawled page: breadcrumb and body on one line
    stated = {f.metric: (f.value, f.method) for f in extract_path(REAL / "pingtan_2021_gluedcells.txt").facts
              if f.applicant == "total"}
    # the prose's 70 and 69 repeat table 三's glued cells ("640020470"), read since their sums fix them
    assert (stated["requests.new_received"], stated["requests.closed_total"]) == ((70, "table"), (69, "table"))
    assert got["publications.proactive_items_total"] == 2645
    got = real_facts("pingtan_dishuiju_2013.txt")
    assert got == {"requests.new_received": 0, "requests.closed_total": 0, "requests.denied_total": 0,
                   "appeals.reconsideration_total": 0, "publications.proactive_items_total": 45}
    got = real_facts("pingtan_county_2012.txt")
    assert (got["requests.granted"], got["requests.denied_total"], got["requests.closed_total"]) == (17, 2, 21)
    assert got["publications.website_posts"] == 1795
    assert "publications.processing_fees_yuan" not in real_facts("beijing_bureau_2010_zhtw.txt")


def test_breadcrumb_on_a_long_line_keeps_the_body():
    body = "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。" * 10
    text = normalise(f"当前位置： 首页政务公开政府信息公开年报 {body}").text
    assert text.startswith("本报告所列数据") and "当前位置" not in text
    assert normalise("当前位置: 首页 > 政务公开 > 年报\n正文").text == "正文"


# --- the 2008-2018 statistics form, crawled with its cells glued --------------------------------------


def _glued_form(rows: list[tuple[str, int, int]]) -> str:
    cells = "".join(f"{i}.{label}条{year}{cum}" for i, (label, year, cum) in enumerate(rows, start=1))
    return f"附件1:某县2012年政府信息公开情况统计表 指标名称计量单位2012年度历年累计{cells}行政复议数条00"


@pytest.mark.parametrize("rng", variants(11))
def test_glued_statistics_form_rows_are_read_only_when_one_reading_exists(rng):
    labels = [("当面申请数", "requests.received_in_person"), ("传真申请数", "requests.received_by_fax"),
              ("信函申请数", "requests.received_by_letter"), ("同意部分公开答复数", "requests.partially_granted"),
              ("否决公开答复数", "requests.denied_total")]
    rows, expected = [], {"appeals.reconsideration_total": 0}
    for label, metric in labels:
        year = rng.choice([0, rng.randint(1, 9), rng.randint(10, 99)])
        cum = rng.choice([year, year + rng.randint(0, 5000)])
        rows.append((label, year, cum))
        readings = [(a, b) for cut in range(1, len(f"{year}{cum}"))
                    if (a := f"{year}{cum}"[:cut]) and (b := f"{year}{cum}"[cut:])
                    and all(x == "0" or not x.startswith("0") for x in (a, b)) and int(b) >= int(a)]
        if len(readings) == 1:
            expected[metric] = year
    got = facts(_glued_form(rows), 2012)
    assert got == expected


def test_statistics_form_rows_in_the_real_2012_report():
    got = real_facts("pingtan_county_2012.txt")
    assert (got["requests.received_by_fax"], got["requests.received_by_letter"]) == (0, 0)
    assert (got["requests.partially_granted"], got["appeals.litigation_total"]) == (2, 0)
    assert got["requests.received_online"] == 3  # 电子邮件 3|3 + 网上 0|0, and the prose says 3


# --- more phrasings of the outcomes -------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(12))
def test_one_figure_for_several_outcomes_is_no_outcome(rng):
    a, b = rng.sample(["予以公开", "部分公开", "不予公开", "无法提供", "不予处理"], 2)
    link = rng.choice(["及", "和", "与", "、"])
    n, other = rng.randint(2, 900), rng.randint(1, 99)
    text = f"全年收到政府信息公开申请{n + other}件。其中,{a}{link}{b}{n}件,其他处理{other}件。"
    got = facts(text)
    assert got["requests.other_total"] == other
    assert not any(k.startswith("requests.") and v == n for k, v in got.items()), got


@pytest.mark.parametrize("rng", variants(13))
def test_petition_and_repeat_as_reasons_of_an_outcome(rng):
    n, m = rng.randint(1, 200), rng.randint(1, 400)
    reasons = rng.choice(["属信访、重复申请等", "因信访举报投诉类、重复申请等", "属信访投诉等"])
    text = (f"共受理政府信息公开申请{n + m + 5}件。其中,{reasons}不予处理{n}件,其他处理{m}件"
            f"(含申请人主动撤回{rng.randint(1, m)}件)。")
    got = facts(text)
    assert (got["requests.not_processed_total"], got["requests.other_total"]) == (n, m)


@pytest.mark.parametrize("rng", variants(14, 6))
def test_appeal_count_before_the_appeal(rng):
    n = rng.randint(1, 30)
    link = rng.choice(["涉及政府信息公开工作的", "因政府信息公开申请引发的", "涉及信息公开的"])
    kind, metric = rng.choice([("行政复议", "appeals.reconsideration_total"), ("行政诉讼", "appeals.litigation_total")])
    assert facts(f"2023年市科委有{n}件{link}{kind}。") == {metric: n}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("转下一年度办理答复的有 1 件。", 1),
        ("结转至下年度继续办理的共3件。", 3),
        ("转入下一年度办理的申请为12件。", 12),
    ],
)
def test_carried_forward_after_the_words(text, expected):
    assert facts("全年收到政府信息公开申请34件," + text)["requests.carried_forward"] == expected


@pytest.mark.parametrize("fee", ["信息公开处理费", "信息处理费", "政府信息公开信息处理费"])
def test_no_fee_collected(fee):
    assert facts(f"2025 年度本机关未收取{fee}。", 2025) == {"publications.processing_fees_yuan": 0}


def test_statistics_form_variants_of_labels_and_row_numbers():
    text = ("六、政府信息公开情况统计表指标名称计量单位2017年度历年累计主动公开文件数条212210037"
            "其中:1、政府网站公开数条2122100372、政府公报公开数条00受理政府信息依申请公开总数条00"
            "其中:1、当面申请数条002、网上申请数条003、信函、传真申请数条35对申请的答复总数条00"
            "其中:1、同意公开答复数条002、同意部分公开答复数条003、不予公开答复数条00行政复议数件00行政诉讼数件00")
    got = facts(text, 2017)
    assert got == {"requests.new_received": 0, "requests.received_in_person": 0, "requests.received_online": 0,
                   "requests.closed_total": 0, "requests.granted": 0, "requests.partially_granted": 0,
                   "requests.denied_total": 0, "appeals.reconsideration_total": 0, "appeals.litigation_total": 0}
    # 信函、传真 together is neither the letters nor the faxes


def test_a_prose_figure_the_form_row_cannot_hold_is_dropped():
    # 网站公开 "4181509" reads 418|1509, 41|81509 … but never 62: the 62 is one office's count
    text = ("在互联网上,2011年县政府公开办主动公开信息数为62条。附件1:统计表 指标名称计量单位2011年度历年累计"
            "主动公开信息数条4251516其中:1.网站公开条41815092.政府公报公开条77行政复议数条00")
    warnings: list[str] = []
    got = {f.metric: f.value for f in text_facts(text, year=2011, warnings=warnings)}
    assert "publications.website_posts" not in got and got["appeals.reconsideration_total"] == 0
    assert any("website_posts=62" in w for w in warnings)
    # the same sentence with a row that can hold it stays
    kept = text.replace("41815092.", "6215092.")
    assert {f.metric: f.value for f in text_facts(kept, year=2011)}["publications.website_posts"] == 62


# --- third holdout: the classes its six reports showed ------------------------------------------------

HOLDOUT = Path(__file__).parent.parent / "samples" / "corpus" / "holdout"
# (metric, how reports word the reason, the group's verb)
REASONS = [
    ("requests.unavailable_not_held", ["因本机关不掌握相关政府信息", "本机关不掌握相关政府信息", "不掌握相关信息"],
     "无法提供"),
    ("requests.unavailable_needs_creation", ["没有现成信息需要另行制作", "需另行制作"], "无法提供"),
    ("requests.unavailable_unclear", ["补正后申请内容仍不明确", "申请内容不明确"], "无法提供"),
    ("requests.denied_state_secret", ["属于国家秘密", "涉及国家秘密"], "不予公开"),
    ("requests.denied_third_party", ["涉及第三方合法权益", "因保护第三方合法权益"], "不予公开"),
    ("requests.denied_process_info", ["属于过程性信息", "属于四类过程性信息"], "不予公开"),
    ("requests.denied_internal_affairs", ["属于内部事务信息", "属于三类内部事务信息"], "不予公开"),
    ("requests.denied_enforcement_file", ["属于行政执法案卷"], "不予公开"),
    ("requests.denied_query_matter", ["属于行政查询事项"], "不予公开"),
    ("requests.not_processed_repeated", ["重复申请", "属于重复申请"], "不予处理"),
    ("requests.not_processed_petition", ["属于信访举报投诉类申请", "信访举报投诉类"], "不予处理"),
    ("requests.not_processed_publication", ["要求提供公开出版物"], "不予处理"),
]
_GROUP_KEY = {"无法提供": "requests.unavailable_total", "不予公开": "requests.denied_total",
              "不予处理": "requests.not_processed_total"}


@pytest.mark.parametrize(("metric", "wordings", "group"), REASONS, ids=[r[0] for r in REASONS])
def test_a_stated_reason_gives_its_own_key_not_the_group(metric, wordings, group):
    rng = random.Random(metric)
    for wording in wordings:
        n, granted = rng.randint(1, 60), rng.randint(1, 200)
        verb = rng.choice([group, "", f"{group}的"])
        text = (f"2023年,{rng.choice(SUBJECTS)}共收到政府信息公开申请{n + granted}件。处理结果中,予以公开{granted}件,"
                f"{wording}{verb}{n}件。")
        got = facts(text)
        assert got.get(metric) == n, text
        assert _GROUP_KEY[group] not in got, text


@pytest.mark.parametrize("rng", variants(21, 8))
def test_a_group_figure_with_its_reasons_after_it_keeps_both(rng):
    a, b = rng.randint(1, 30), rng.randint(1, 30)
    text = (f"全年收到政府信息公开申请{a + b + 9}件,其中予以公开9件,无法提供{a + b}件"
            f"(其中本机关不掌握相关政府信息{a}件,需另行制作{b}件)。")
    got = facts(text)
    assert (got["requests.unavailable_total"], got["requests.unavailable_not_held"],
            got["requests.unavailable_needs_creation"]) == (a + b, a, b)
    # several reasons before one figure: the group's, not any one reason's
    text = f"全年收到政府信息公开申请{a + 3}件,其中予以公开3件,涉及国家秘密、第三方合法权益等不予公开{a}件。"
    got = facts(text)
    assert got["requests.denied_total"] == a
    assert "requests.denied_state_secret" not in got and "requests.denied_third_party" not in got


@pytest.mark.parametrize("rng", variants(22, 8))
def test_received_and_closed_in_one_verb(rng):
    n = rng.randint(1, 900)
    verb = rng.choice(["收到和办理", "受理并办结", "收到并答复", "接收和处理"])
    obj = rng.choice(["依申请公开", "政府信息公开申请", "依申请公开申请"])
    text = f"2023年,{rng.choice(SUBJECTS)}全年共{verb}{obj}{n}件,上年度结转政府信息公开申请0件。"
    got = facts(text)
    assert (got["requests.new_received"], got["requests.closed_total"]) == (n, n), text
    # "予以公开及部分公开" stays one figure for two outcomes
    assert "requests.granted" not in facts(f"收到申请{n}件,予以公开及部分公开{n}件。")


@pytest.mark.parametrize("rng", variants(23))
def test_applicant_wordings(rng):
    person, org = rng.randint(0, 300), rng.randint(0, 40)
    p_word = rng.choice(["自然人申请件{}件", "自然人申请{}件", "自然人提出的申请数为{}件", "自然人{}件"])
    o_word = rng.choice(["法人或其他组织申请件{}件", "法人或其他组织申请{}件", "法人和其他组织{}件"])
    lead = rng.choice(["其中", "涉及", "其中,"])
    text = (f"全年共收到政府信息公开申请{person + org}件,{lead}{p_word.format(person)},"
            f"{o_word.format(org)}。")
    got = facts(text)
    assert got["requests.new_received@natural_person"] == person, text
    assert got["requests.new_received@organization"] == org, text
    # the 2021 form's kinds of organisation
    firm = rng.randint(1, 9)
    got = facts(f"共收到政府信息公开申请{person + firm}件,涉及自然人{person}件、商业企业{firm}件。")
    assert (got["requests.new_received@natural_person"], got["requests.new_received@commercial_enterprise"]) == (
        person, firm)


@pytest.mark.parametrize("rng", variants(24))
def test_all_requests_from_one_kind_of_applicant(rng):
    n = rng.randint(1, 500)
    who, key = rng.choice([("自然人", "natural_person"), ("法人或其他组织", "organization"),
                           ("商业企业", "commercial_enterprise")])
    said = rng.choice(["均为{}申请", "全部为{}提出", "均系{}提出", "全部由{}提出"]).format(who)
    text = f"{rng.randint(2019, 2025)}年共收到政府信息公开申请{n}件,{said},已全部依法按时答复。"
    got = facts(text, year=int(text[:4]))
    assert got == {"requests.new_received": n, f"requests.new_received@{key}": n}, text  # the others not stated
    # no received figure before it: nothing to copy
    assert facts(f"申请{said}。") == {}


@pytest.mark.parametrize("rng", variants(25))
def test_a_category_line_is_not_the_total_of_information_published(rng):
    total = rng.randint(1000, 9000)
    parts = [rng.randint(10, 300) for _ in range(4)]
    subject = rng.choice(["我区政府信息公开单位", "全县各单位", "本机关", "我市"])
    verb = rng.choice(["共公布", "共主动公开", "共公开"])
    rest = rng.choice(["其他应主动公开政府信息", "其他信息", "其他主动公开政府信息"])
    text = (f"今年,{subject}{verb}政府信息{total}条,(其中机构职能类信息{parts[0]}条,规划计划类信息{parts[1]}条,"
            f"行政许可类信息{parts[2]}条,{rest}{parts[3]}条)对于主动公开的政府信息,主要通过政府门户网站发布。")
    assert facts(text)["publications.proactive_items_total"] == total, text
    # the category line alone is no total either
    assert "publications.proactive_items_total" not in facts(f"其他应主动公开政府信息{parts[3]}条。")


@pytest.mark.parametrize("rng", variants(26, 8))
def test_normative_documents_in_force(rng):
    force, issued = rng.randint(50, 900), rng.randint(1, 99)
    lead = rng.choice(["清理并集中发布", "公布", "集中公开"])
    text = (f"{lead}现行有效{rng.choice(['', '的'])}{rng.choice(['', '行政'])}规范性文件{force}件,"
            f"动态更新本年度制发的规范性文件{issued}件。")
    got = facts(text)
    assert got["publications.normative_docs_in_force"] == force, text
    assert got.get("publications.normative_docs_issued") in (None, issued)


def _form_with_total(year_total: int, cum_total: int, year_site: int, cum_site: int) -> str:
    return ("六、政府信息公开情况统计表指标名称计量单位2017年度历年累计"
            f"主动公开文件数条{year_total}{cum_total}其中:1、政府网站公开数条{year_site}{cum_site}"
            "2、政府公报公开数条00受理政府信息依申请公开总数条00行政复议数件00")


@pytest.mark.parametrize("rng", variants(27))
def test_glued_running_total_rows_fixed_by_the_prose_and_the_row_above(rng):
    year_total = rng.randint(1000, 9999)
    cum_total = year_total + rng.randint(1000, 90000)
    year_site = rng.choice([year_total, rng.randint(100, year_total)])
    cum_site = rng.choice([cum_total, rng.randint(year_site + 1, cum_total)])
    form = _form_with_total(year_total, cum_total, year_site, cum_site)
    prose = f"2017年全区主动公开政府信息{year_total}条。"
    site_readings = [r for r in narrative._splits(f"{year_site}{cum_site}", 2)
                     if r[0] <= year_total and r[1] <= cum_total]
    got = facts(prose + form, 2017)
    assert got["publications.proactive_items_total"] == year_total
    if len(site_readings) == 1:
        assert got["publications.website_posts"] == year_site
    else:
        assert "publications.website_posts" not in got
    # without the prose neither row can be read: the digits alone allow several readings
    alone = facts(form, 2017)
    assert "publications.proactive_items_total" not in alone and "publications.website_posts" not in alone


def test_holdout_reports_prose():
    def holdout(name: str) -> dict[str, float | int]:
        e = extract_path(HOLDOUT / name)
        return {f.metric if f.applicant == "total" else f"{f.metric}@{f.applicant}": f.value
                for f in e.facts if f.method == "text"}

    got = holdout("gaoping_govoffice_2022.txt")
    assert (got["requests.new_received"], got["requests.closed_total"]) == (12, 12)
    assert (got["requests.new_received@natural_person"], got["requests.new_received@organization"]) == (12, 0)
    assert got["requests.unavailable_not_held"] == 1 and "requests.unavailable_total" not in got
    got = holdout("linhe_govoffice_2022.txt")
    assert got["requests.new_received@natural_person"] == 9 and "requests.new_received@organization" not in got
    got = holdout("pingtan_region_2017.txt")
    assert (got["publications.proactive_items_total"], got["publications.website_posts"]) == (2122, 2122)
    assert holdout("pingtan_region_2019_gluedcells.txt")["publications.proactive_items_total"] == 2599
    got = holdout("pingtan_region_2023.html")
    assert got["publications.normative_docs_in_force"] == 393  # the prose's figure; the table says 470
    text = extract_path(HOLDOUT / "pingtan_region_2023.html").text
    assert {f.metric: f.value for f in text_facts(text, year=2023)}["appeals.litigation_total"] == 7


# --- fourth blind round: department reports of 平潭综合实验区 --------------------------------------------


@pytest.mark.parametrize("rng", variants(30))
def test_documents_sorted_by_how_they_are_published_are_no_requests(rng):
    # "全年印发公文类政府信息共432条,其中主动公开信息数99条,依申请公开信息数311条,不予公开22条": the documents an agency
    # made, by 公开属性; none of these figures is a request or its outcome. A request sentence after it still is.
    public, on_request, withheld = rng.randint(10, 900), rng.randint(0, 400), rng.randint(0, 60)
    unit = rng.choice(["条", "件", "份"])
    noun = rng.choice(["信息", "文件", "", "政府信息"])
    count = rng.choice(["数", "", "数量为"])
    head = rng.choice([f"全年印发公文类政府信息共{public + on_request + withheld}{unit},其中",
                       f"{rng.choice(SUBJECTS)}全年制发文件{public + on_request + withheld}{unit},其中", "其中"])
    tail = f",不予公开{noun}{count}{withheld}{unit}" if rng.random() < 0.7 else ""
    received, denied = rng.randint(1, 90), rng.randint(0, 9)
    text = (f"{head}主动公开{noun}{count}{public}{unit},依申请公开{noun}{count}{on_request}{unit}{tail}。"
            f"全年收到政府信息公开申请{received}件,不予公开{denied}件。")
    got = facts(text)
    assert got.get("requests.new_received") == received and got.get("requests.denied_total") == denied
    assert not {k for k in got if k.startswith("requests.")} - {"requests.new_received", "requests.denied_total"}


@pytest.mark.parametrize("rng", variants(31))
def test_information_answered_on_request_is_not_information_published(rng):
    answered, already, granted = rng.randint(2, 60), rng.randint(0, 9), rng.randint(0, 9)
    site = rng.choice(["通过政府门户网站", "通过门户网站", "在局官网", ""])
    verb = rng.choice(["回应", "答复", "办理"])
    text = (f"全年{site}{verb}依申请公开信息{answered}条(属于已主动公开答复数{already}条,"
            f"同意公开答复数{granted}条)。")
    got = facts(text)
    assert not {"publications.website_posts", "publications.proactive_items_total"} & set(got)
    assert got["requests.legacy_already_public"] == already and got["requests.granted"] == granted


@pytest.mark.parametrize("rng", variants(32))
def test_interpretation_documents(rng):
    n = rng.randint(1, 300)
    text = (f"{rng.choice(['全年', '2023年'])}{rng.choice(['发布', '印发', '制作'])}"
            f"{rng.choice(['政策性解读文件', '政策解读文件', '解读文件'])}{n}{rng.choice(['条', '篇', '件'])}。")
    assert facts(text)["publications.policy_interpretations"] == n


@pytest.mark.parametrize("rng", variants(33))
def test_a_channel_named_before_its_count_and_its_running_total(rng):
    # "2022年7月正式开通官方微信公众号,2023年度共发送784条信息,关注用户达1255人;截至目前累计发送1063条信息": the
    # year's count, not the running total since the channel opened
    year_count, since = rng.randint(10, 3000), rng.randint(3001, 9000)
    channel = rng.choice(["官方微信公众号", "政务微博", "抖音号", "微信公众号“平潭交通建设局”"])
    verb = rng.choice(["发送", "发布", "推送"])
    what = rng.choice([f"{year_count}条信息", f"信息{year_count}条", f"{year_count}篇文章", f"文章{year_count}篇"])
    opened = rng.choice(["2022年7月正式开通", "去年开通", "持续运营"])
    total = rng.choice([f";截至目前累计{verb}{since}条信息", f",开通以来累计{verb}{since}条", ""])
    text = f"我局持续推进政务新媒体工作,{opened}{channel},2023年度共{verb}{what},关注用户达1255人{total}。"
    got = facts(text)
    assert got["publications.new_media_posts"] == year_count
    assert "publications.website_posts" not in got and "publications.proactive_items_total" not in got


@pytest.mark.parametrize("rng", variants(34))
def test_normative_documents_repealed(rng):
    # "经清理,已宣布废止规范性文件5件,拟适时修改3件" (a 2019-form report: its table has no repealed column)
    repealed, planned = rng.randint(1, 60), rng.randint(1, 9)
    kind = rng.choice(["规范性文件", "行政规范性文件"])
    stated = rng.choice([f"已宣布废止{kind}{repealed}件", f"废止{kind}{repealed}件", f"废止{repealed}件{kind}",
                         f"宣布废止了{kind}共{repealed}件"])
    text = f"经清理,{stated},拟适时修改{planned}件。另拟废止{kind}{planned}件。"
    assert facts(text)["publications.normative_docs_repealed"] == repealed
    assert "publications.normative_docs_repealed" not in facts(f"2022年{stated}。", 2023)


def test_fourth_holdout_reports_prose():
    def prose(name: str) -> dict[str, float | int]:
        e = extract_path(HOLDOUT / name)
        return {f.metric if f.applicant == "total" else f"{f.metric}@{f.applicant}": f.value
                for f in e.facts if f.method == "text"}

    got = prose("pingtan_shs_2024.html")
    assert "requests.denied_total" not in got and "publications.website_posts" not in got  # 不予公开22条 are documents
    assert (got["requests.legacy_already_public"], got["requests.granted"]) == (1, 1)
    assert (got["publications.policy_interpretations"], got["publications.new_media_posts"]) == (14, 1061)
    assert prose("pingtan_jtj_2023.html")["publications.new_media_posts"] == 784  # not the running 1063
    assert prose("pingtan_region_2020.html")["publications.normative_docs_repealed"] == 5
    got = prose("pingtan_region_2022.html")
    assert (got["requests.new_received"], got["requests.new_received@natural_person"]) == (75, 72)  # table: 74, 71
    got = prose("shanghai_city_2020.html")
    assert not {k for k in got if k.endswith("_decisions")}  # 权责清单…行政许可710项: matters on a list
    assert (got["publications.policy_interpretations"], got["requests.denied_total"]) == (123, 1095)


@pytest.mark.parametrize("rng", variants(35))
def test_matters_on_a_list_of_powers_are_not_decisions(rng):
    # 上海 2020 (a blind city-wide report): "通过…总门户集中公开权责清单和公共服务事项清单,其中行政许可710项,
    # 比2019年减少183项;行政处罚4312项…" counts the matters on the lists (the 2019 form's 项目数量), not decisions
    lic, pen, coe = rng.randint(100, 3000), rng.randint(100, 9000), rng.randint(10, 900)
    where = rng.choice(["通过“一网通办”总门户集中公开权责清单和公共服务事项清单", "动态调整权责清单",
                        "梳理公布行政权力事项"])
    listed = (f"2023年,{where},其中行政许可{lic}项,比2022年减少{rng.randint(1, 99)}项;行政处罚{pen}项;"
              f"行政强制{coe}项。")
    assert not {k for k in facts(listed) if k.endswith("_decisions")}
    decided = f"全年作出行政许可决定{lic}件,行政处罚决定{pen}件。"
    got = facts(decided)
    assert (got["publications.licensing_decisions"], got["publications.penalty_decisions"]) == (lic, pen)


@pytest.mark.parametrize("rng", variants(36))
def test_a_channel_count_after_a_longer_verb_and_interpretations_published(rng):
    # 上海市科委 2024 (sixth blind round): "“上海科技”微信公众号共编发文章1640篇 … 视频号共制作并发布短视频584条"
    # (two channels: 2224 posts) and "解读类信息发布21条"
    wechat, video, interpreted = rng.randint(10, 3000), rng.randint(10, 900), rng.randint(1, 90)
    name = rng.choice(["“上海科技”", "“平潭发布”", ""])
    first = rng.choice([f"共编发文章{wechat}篇", f"编发文章{wechat}篇", f"共推出推文{wechat}篇",
                        f"共发布信息{wechat}条"])
    second = rng.choice([f"共制作并发布短视频{video}条", f"发布短视频{video}条", f"共发布视频{video}条"])
    text = (f"网站全年发布信息5000条,其中解读类信息{rng.choice(['发布', '共发布', '推出'])}{interpreted}条。"
            f"{name}微信公众号{first},其中原创文章{rng.randint(1, 9)}篇,关注人数达1016823人;"
            f"{name}视频号{second},累计观看量1924252次。")
    got = facts(text)
    assert got["publications.new_media_posts"] == wechat + video
    assert got["publications.policy_interpretations"] == interpreted


# --- sixth blind round: ten more provinces -------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(37))
def test_decisions_among_the_categories_of_information_published_are_not_decisions(rng):
    # 重庆市梁平区发改委 2021: "全年通过区政府门户网站主动公开政府信息323条,其中规划信息1条,行政许可28项,…"
    total, licensing = rng.randint(50, 900), rng.randint(1, 49)
    verb = rng.choice(["主动公开政府信息", "公开政府信息", "发布政务信息"])
    kind = rng.choice(["行政许可", "行政处罚", "行政强制"])
    text = f"全年通过区政府门户网站{verb}{total}条,其中规划信息1条,{kind}{licensing}项,其他20条。"
    assert not [m for m in facts(text) if m.endswith("_decisions")]
    # a decisions figure of its own sentence stays
    assert facts(f"全年作出{kind}决定{licensing}件。")[f"publications.{_DECISION[kind]}"] == licensing


_DECISION = {"行政许可": "licensing_decisions", "行政处罚": "penalty_decisions", "行政强制": "coercion_decisions"}


@pytest.mark.parametrize("rng", variants(38))
def test_requests_named_verb_first_and_appeals_applied_for(rng):
    # 兰州 2011: "共收到申请政府信息公开26件(次)" … "共收到有关政府信息公开的行政复议申请12件"
    received, appeals = rng.randint(1, 500), rng.randint(1, 60)
    unit = rng.choice(["件", "件(次)"])
    text = (f"{rng.choice(['2011年度,兰州市', '全年', '本年度我局'])}共收到申请政府信息公开{received}{unit},均已答复。"
            f"本年度共收到有关政府信息公开的{rng.choice(['行政复议申请', '行政诉讼'])}{appeals}件。")
    got = facts(text, 2011)
    assert got["requests.new_received"] == received


@pytest.mark.parametrize("rng", variants(39))
def test_information_published_through_every_channel_is_the_whole(rng):
    # 广东省政府办公厅 2023: "通过省政府门户网站、《广东省人民政府公报》及官方微博微信等主动公开政府信息345条";
    # 周口 2020: "周口市各级、各部门通过政府网站、政务新媒体等渠道共公开各级各类政府信息39586条"
    n = rng.randint(100, 60000)
    channels = rng.choice(["通过省政府门户网站、《广东省人民政府公报》及官方微博微信等",
                           "通过政府网站、政务新媒体等渠道", "通过门户网站和政务微信、微博"])
    verb = rng.choice(["主动公开政府信息", "共公开各级各类政府信息"])
    who = rng.choice(["2020年,", "2020年,周口市各级、各部门"])
    got = facts(f"{who}{channels}{verb}{n}条。", 2020)
    assert got.get("publications.proactive_items_total") == n
    assert "publications.new_media_posts" not in got and "publications.website_posts" not in got
    # one channel alone is still that channel's count
    assert facts(f"{who}通过政务微信发布信息{n}条。", 2020).get("publications.new_media_posts") == n


@pytest.mark.parametrize("rng", variants(40))
def test_carry_overs_named_verb_first_and_not_closed(rng):
    # 湖南 2020 "結轉上年度政府信息公開申請10件"; 周口 2020 "结转下年度办理3件" (not 3 closed)
    new, carried, forward = rng.randint(20, 900), rng.randint(1, 30), rng.randint(1, 30)
    closed = new + carried - forward
    verb_first = rng.choice(["结转上年度", "结转上一年度", "转结上年度"])
    text = (f"2020年收到政府信息公开申请{new}件,{verb_first}政府信息公开申请{carried}件,共办理完成{closed}件,"
            f"结转下年度{rng.choice(['继续办理', '办理', ''])}{forward}件。")
    got = facts(text, 2020)
    assert (got["requests.carried_over"], got["requests.closed_total"]) == (carried, closed)
    assert got["requests.carried_forward"] == forward
    alone = facts(f"共收到政府信息公开申请{new}件,结转下年度办理{forward}件。", 2020)
    assert alone.get("requests.closed_total") is None


@pytest.mark.parametrize("rng", variants(41))
def test_no_information_given_on_request_is_no_request(rng):
    # 丰城市同田乡 2018: "2018年,我乡无依申请公开政府信息和不予公开政府信息的情况。"
    who = rng.choice(["我乡", "我局", "本机关", "我镇"])
    also = rng.choice(["和不予公开政府信息的", "的"])
    text = f"2018年,{who}{rng.choice(['无', '没有'])}依申请公开政府信息{also}情况。"
    got = facts(text, 2018)
    assert got["requests.new_received"] == 0
    # appeals about requests are not the requests
    assert "requests.new_received" not in facts("2018年,未发生因依申请公开引起的行政复议和行政诉讼。", 2018)


def test_sixth_holdout_reports_prose():
    holdout = REAL.parent / "holdout"
    got = {f.metric: f.value for f in extract_path(holdout / "shanghai_kewei_2024.md").facts if f.method == "text"}
    assert got["publications.new_media_posts"] == 1640 + 584 and got["publications.policy_interpretations"] == 21
    zhoukou = {f.metric: f.value for f in extract_path(holdout / "henan_zhoukou_2020.txt").facts}
    assert zhoukou["publications.proactive_items_total"] == 39586 and "requests.closed_total" not in zhoukou
    assert zhoukou["requests.carried_forward"] == 3 and zhoukou["appeals.litigation_corrected"] == 101
    lanzhou = {f.metric: f.value for f in extract_path(holdout / "gansu_lanzhou_2011_p2.txt").facts}
    assert lanzhou == {"requests.new_received": 26, "appeals.reconsideration_total": 12}
    liangping = {f.metric for f in extract_path(holdout / "chongqing_liangping_fgw_2021.txt").facts}
    assert "publications.licensing_decisions" not in liangping


# --- seventh blind round: the remaining provinces ------------------------------------------------------


@pytest.mark.parametrize("rng", variants(42))
def test_information_published_with_its_categories_listed_before_it(rng):
    # 邢台市政府办 2025 "通过政府网站等方式,主动全面公开规划信息、行政许可、重大民生信息等政府信息19322条";
    # 石家庄工信局 2019 "全年主動公開概況信息、重點工作、政策文件、公示公告等政府信息235條"; 耿马 2021
    # "以政府网站为主渠道主动公开各类规划、…等领域信息共1777条"; 辽宁财政厅 2021
    # "通过厅网站上传图片视频新闻、财政信息、公示公告等各类信息合计1292条"
    n = rng.randint(50, 60000)
    kinds = ["规划信息", "行政许可", "重大民生信息", "概况信息", "重点工作", "政策文件", "公示公告", "疫情防控",
             "财政预决算"]
    listed = "、".join(rng.sample(kinds, rng.randint(2, 5)))
    channel = rng.choice(["", "通过政府网站等方式,", "以政府网站为主渠道"])
    verb = rng.choice(["主动公开", "主动全面公开", "主动发布"])
    tail = rng.choice([f"等政府信息{n}条", f"等领域信息共{n}条", f"等各类政府信息{n}条"])
    assert facts(f"2023年,{channel}{verb}{listed}{tail}。")["publications.proactive_items_total"] == n
    site = facts(f"通过厅网站上传{listed}等各类信息合计{n}条。")
    assert site == {"publications.website_posts": n}
    media = facts(f"“邢台政务”微博、微信发布{listed}等信息{n}条,129.2万人次浏览信息。")
    assert media.get("publications.new_media_posts") == n and "publications.proactive_items_total" not in media
    # a count up to a month before the year's end is not the year's
    assert facts(f"截至{rng.randint(1, 11)}月份,临平区通过门户网站发布{listed}等信息{n}条。") == {}


@pytest.mark.parametrize("rng", variants(43))
def test_more_ways_of_counting_items_and_requests(rng):
    n, received = rng.randint(10, 9000), rng.randint(1, 300)
    # 青海省邮政管理局 2017 "全年主动发布各类政府信息 876条"; 芦庙镇 2025 "主动公开政府信息条数921条"
    assert facts(rng.choice([f"全年主动发布各类政府信息 {n}条。", f"2023年度,芦庙镇主动公开政府信息条数{n}条。"]))[
        "publications.proactive_items_total"] == n
    # 辽宁财政厅 "全年共受理依申请公开政府信息64件"; 哈尔滨商务局 "我局共收到依申公开事项7件" (请 dropped)
    said = rng.choice([f"全年共受理依申请公开政府信息{received}件", f"我局共收到依申公开事项{received}件",
                       f"共收到依申请公开政府信息{received}件"])
    assert facts(f"{said},均按规定期限办理完毕。")["requests.new_received"] == received
    # 石家庄工信局 "我局未收到相关政府信息申请"; "在官方微博发布、转载微博43条"
    assert facts("2023年,我局未收到相关政府信息申请。")["requests.new_received"] == 0
    assert facts(f"在“石家庄工信”官方微博{rng.choice(['发布、转载', '转载', '转发'])}微博{n}条。")[
        "publications.new_media_posts"] == n


@pytest.mark.parametrize("rng", variants(44))
def test_documents_published_are_a_2019_form_figure(rng):
    # 天津市 2020 "主动公开规章4件、行政规范性文件1071件"; 湖南省政府办公厅 2020 "发布省政府规章3件": the 2019 form's
    # 本年新公开数量; in a report on 2021 or later (the 2021 form has no such column) no figure
    regs, docs = rng.randint(1, 40), rng.randint(1, 2000)
    channel = rng.choice(["全市通过政府网站、政务微博微信、政府公报等平台", "省政府门户网站政府信息公开专栏", ""])
    verb = rng.choice(["主动公开", "发布", "公布"])
    body = f"{channel}{verb}{rng.choice(['', '省政府', '市政府'])}规章{regs}件、行政规范性文件{docs}件。"
    year = rng.choice([2019, 2020])
    got = facts(f"{year}年,{body}", year)
    assert (got["publications.regulations_published"], got["publications.normative_docs_published"]) == (regs, docs)
    later = facts(f"2023年,{body}", 2023)
    assert not [m for m in later if m.endswith("_published")]


@pytest.mark.parametrize("rng", variants(45))
def test_outcome_labels_in_quotes(rng):
    # 亳州市政府办 2025: "其中“予以公开”17件;“不予公开”6件;“无法提供”21件;“其他处理”12件"
    figures = {"requests.granted": ("予以公开", rng.randint(1, 90)),
               "requests.denied_total": ("不予公开", rng.randint(1, 9)),
               "requests.unavailable_total": ("无法提供", rng.randint(1, 40)),
               "requests.other_total": ("其他处理", rng.randint(1, 20))}
    left, right = rng.choice([("“", "”"), ('"', '"')])
    listed = ";".join(f"{left}{label}{right}{n}件" for label, n in figures.values())
    got = facts(f"全年共收到政府信息公开申请200件。依法对全部申请进行了规范答复,其中{listed}。")
    assert {m: got.get(m) for m in figures} == {m: n for m, (_, n) in figures.items()}


@pytest.mark.parametrize("rng", variants(46))
def test_requests_counted_before_their_name_and_carried_letters(rng):
    # 兴仁市 2022 "共收到10件依申请公开请求"; 西安市长安区 2024 "上年结转信件5件"
    new, carried, closed = rng.randint(1, 900), rng.randint(1, 30), rng.randint(1, 900)
    text = (f"2024年,全区共收到{new}件{rng.choice(['依申请公开请求', '政府信息公开申请', '依申请公开申请'])},"
            f"上年结转{rng.choice(['信件', '申请', ''])}{carried}件,共办结{closed}件。")
    got = facts(text, 2024)
    assert (got["requests.new_received"], got["requests.carried_over"]) == (new, carried)


@pytest.mark.parametrize("rng", variants(47))
def test_request_channels_by_other_names(rng):
    # 陕西省政府办公厅 2022 "其中邮寄申请277件,网络申请183件,现场申请25件";
    # 亳州 2025 "其中网络渠道申请30件,信函申请40件"
    letter, online, person = rng.randint(0, 300), rng.randint(0, 300), rng.randint(0, 60)
    parts = [f"{rng.choice(['邮寄', '信函'])}申请{letter}件",
             f"{rng.choice(['网络', '网络渠道', '网上'])}申请{online}件",
             f"{rng.choice(['现场', '当面'])}申请{person}件"]
    rng.shuffle(parts)
    got = facts(f"全年共收到政府信息公开申请{letter + online + person}件(其中{','.join(parts)})。")
    assert (got["requests.received_by_letter"], got["requests.received_online"], got["requests.received_in_person"]) \
        == (letter, online, person)


# --- ninth blind round ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(48))
def test_requests_and_appeals_counted_in_qi(rng):
    # 平度市公安局 2023: "共收到信息公开申请22起,…答复22起。其中公开1起,不属于政府信息4起,告知其他途径3起,不存在9起,
    # 属于行政执法案卷5起"; 兴仁市 2022 "行政复议1起"
    granted, redirected, missing, files, other = (rng.randint(0, 9) for _ in range(5))
    closed = granted + redirected + missing + files + other
    unit = rng.choice(["起", "件"])
    items = [f"公开{granted}{unit}", f"不属于政府信息{other}{unit}", f"告知其他途径{redirected}{unit}",
             f"不存在{missing}{unit}", f"属于行政执法案卷{files}{unit}"]
    rng.shuffle(items)
    text = (f"2023年度,我局共收到信息公开申请{closed}{unit},比2022年(31{unit})下降29%,答复{closed}{unit}。"
            f"其中{','.join(items)}。2023年被申请行政复议{rng.randint(1, 9)}起。")
    got = facts(text)
    assert (got["requests.new_received"], got["requests.closed_total"]) == (closed, closed)
    assert (got["requests.granted"], got["requests.legacy_redirected"], got["requests.legacy_not_exist"],
            got["requests.denied_enforcement_file"]) == (granted, redirected, missing, files)
    assert got["appeals.reconsideration_total"] == int(text.split("行政复议")[1][0])
    # 公开 alone counts granted requests only as an item of the outcomes, never "主动公开" nor "公开信息"
    assert "requests.granted" not in facts(f"全年共收到申请{closed}件,主动公开{granted}件,公开信息{granted}条。")


@pytest.mark.parametrize("rng", variants(49))
def test_request_channels_by_what_was_submitted_and_who_asked(rng):
    # 国家卫生健康委 2024: "通过委官方网站提交申请表的862件,…通过信函提交申请的171件,…当面提交13件,…
    # 公民个人提出申请1030件,…法人或其他组织提出申请16件"
    online, letter, person = rng.randint(1, 900), rng.randint(1, 300), rng.randint(1, 60)
    people = rng.randint(0, online + letter + person)
    parts = [f"通过{rng.choice(['委官方网站', '网站', '网上'])}提交申请表的{online}件,占比82.4%",
             f"通过信函提交申请的{letter}件,占比16.3%", f"当面提交{person}件,占比1.3%"]
    rng.shuffle(parts)
    total = online + letter + person
    text = (f"2024年,共收到政府信息公开申请{total}件。其中,{';'.join(parts)}。"
            f"{rng.choice(['公民个人', '公民'])}提出申请{people}件;法人或其他组织提出申请{total - people}件。")
    got = facts(text, 2024)
    assert (got["requests.received_online"], got["requests.received_by_letter"],
            got["requests.received_in_person"]) == (online, letter, person)
    assert (got["requests.new_received@natural_person"], got["requests.new_received@organization"]) \
        == (people, total - people)


@pytest.mark.parametrize("rng", variants(50))
def test_every_request_by_one_channel_and_no_requests_in_other_words(rng):
    # 白云区税务局 2021 "我局共收到依申请公开1件,为网上申请"; 云林街道 2015 "2015年我街道无依申请公开政府信息。";
    # 唐村镇 2010 "2010年度我镇没有接到群众主动要求公开政府信息的申请"
    n = rng.randint(1, 40)
    how, metric = rng.choice([("网上", "requests.received_online"), ("网络", "requests.received_online"),
                              ("信函", "requests.received_by_letter"), ("当面", "requests.received_in_person")])
    got = facts(f"2021年,我局共收到依申请公开{n}件,{rng.choice(['', '均', '全部'])}为{how}申请,已按时答复。", 2021)
    assert (got["requests.new_received"], got[metric]) == (n, n)
    for none in ("2015年我街道无依申请公开政府信息。", "2010年度我镇没有接到群众主动要求公开政府信息的申请。",
                 "全年未接到公民、法人或其他组织提出的政府信息公开申请。"):
        assert facts(none, 2015 if "2015" in none else 2010).get("requests.new_received") == 0, none
    # not about requests: an appeal, or information published on request
    assert "requests.new_received" not in facts("全年没有收到因政府信息公开申请引起的行政复议。", 2015)


@pytest.mark.parametrize("rng", variants(51))
def test_new_media_as_a_whole_and_the_channels_left_unnamed(rng):
    # 临夏州公安局 2023: "通过政府网站公开政府信息754条,通过政务新媒体公开政府信息2808条,通过其他方式公开政府信息54条。
    # 其中,“临夏公安”微信公众号发布信息1205条、微博12984条…"
    site, media, other = rng.randint(100, 999), rng.randint(1000, 5000), rng.randint(1, 90)
    accounts = [rng.randint(100, 9000) for _ in range(3)]
    text = (f"2023年,州公安局通过政府网站公开政府信息{site}条,通过政务新媒体公开政府信息{media}条,"
            f"通过{rng.choice(['其他方式', '其他渠道', '其它途径'])}公开政府信息{other}条。"
            f"其中,“某某公安”微信公众号发布信息{accounts[0]}条、微博{accounts[1]}条、抖音号{accounts[2]}条。")
    got = facts(text)
    assert got["publications.new_media_posts"] == media
    assert got.get("publications.proactive_items_total") != other


@pytest.mark.parametrize("rng", variants(52))
def test_a_total_over_the_site_and_the_new_media_is_no_new_media_figure(rng):
    # 沙塘镇 2016: "政务網站、微信、微博共發布各類信息2483條,其中網站(含轉發)319條,微信(含轉發)851條、
    # 微博(含轉發)2348條"
    site, wechat, weibo = rng.randint(10, 900), rng.randint(10, 900), rng.randint(10, 3000)
    note = rng.choice(["(含转发)", "(含转载)", ""])
    whole = site + wechat + weibo - rng.randint(0, 9)  # the report's own total need not add up
    text = (f"2016年政务网站、微信、微博共发布各类信息{whole}条,其中网站{note}{site}条,"
            f"微信{note}{wechat}条、微博{note}{weibo}条。")
    assert facts(text, 2016).get("publications.new_media_posts") == wechat + weibo


@pytest.mark.parametrize("rng", variants(53))
def test_the_years_posts_broken_down_without_a_channel(rng):
    # 马水镇 2019: "全年共发布信息59条(其中,领导信息1条,规划计划1条,法规公文2条,工作进展等48条,其它信息7条)"
    parts = [rng.randint(1, 60) for _ in range(4)]
    total = sum(parts)
    opening = rng.choice(["(其中,", "。其中,", ",其中"])
    text = (f"我镇重点公开了概况信息、法规文件、工作动态等十大方面内容;全年共发布信息{total}条{opening}"
            f"领导信息{parts[0]}条,规划计划{parts[1]}条,工作进展等{parts[2]}条,其它信息{parts[3]}条)。")
    assert facts(text, 2019).get("publications.proactive_items_total") == total
    # one field's count closing its paragraph is not the year's whole
    field = f"重点公开重大建设项目的审批、核准、备案等内容,全年共发布信息{parts[0]}条。"
    assert "publications.proactive_items_total" not in facts(field, 2019)


# --- tenth blind round ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(54))
def test_requests_in_fen_and_outcomes_with_their_reasons_after_the_count(rng):
    # 佛冈县住建局 2024 "2024年新收政府信息公开申请7份,本年度办结5份,结转下年度继续办理2份";
    # 两江新区 2025 "收到依申请公开请求3件";
    # 安阳县住建局 2025 "部分予以公开1件;不予公开2件,其中1件因涉及第三方合法权益,1件属于政府内部事务信息"
    closed, forward = rng.randint(1, 90), rng.randint(0, 9)
    unit = rng.choice(["份", "件"])
    got = facts(f"2024年新收政府信息公开申请{closed + forward}{unit},本年度办结{closed}{unit},"
                f"结转下年度继续办理{forward}{unit}。", 2024)
    assert (got["requests.new_received"], got["requests.closed_total"], got["requests.carried_forward"]) \
        == (closed + forward, closed, forward)
    requests = facts(f"2025年,收到依申请公开请求{closed}件,均在法定时限内规范办结。", 2025)
    assert requests["requests.new_received"] == closed
    third, internal, partial = rng.randint(1, 9), rng.randint(1, 9), rng.randint(1, 9)
    text = (f"2025年某县住建局收到政府信息公开申请80件。办理结果如下:予以公开35件;部分予以公开{partial}件;"
            f"不予公开{third + internal}件,其中{third}件因涉及第三方合法权益,{internal}件属于政府内部事务信息;"
            "由于本机关不掌握相关政府信息而无法提供29件。")
    got = facts(text, 2025)
    assert (got["requests.granted"], got["requests.partially_granted"], got["requests.denied_total"]) \
        == (35, partial, third + internal)
    assert (got["requests.denied_third_party"], got["requests.denied_internal_affairs"]) == (third, internal)
    assert got["requests.unavailable_not_held"] == 29


@pytest.mark.parametrize("rng", variants(55))
def test_appeal_outcomes_with_the_deciding_body_between(rng):
    # 安阳县住建局 2025 "被申请行政复议有3件,其中,1件被复议机关撤销答复书中部分答复内容,2件正在复议机关审理中,尚未审结。
    # 行政诉讼有1件,目前正在法院审理中。"; 西乌旗人社局 2022 "没有被申请行政复议、提起行政诉讼的情况"
    corrected, pending, suits = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 3)
    text = (f"2025年因政府信息公开问题被申请行政复议有{corrected + pending}件,其中,"
            f"{corrected}件被复议机关撤销答复书中部分答复内容,{pending}件正在复议机关审理中,尚未审结。行政诉讼有{suits}件,目前正在法院审理中。")
    got = facts(text, 2025)
    assert (got["appeals.reconsideration_total"], got["appeals.reconsideration_corrected"],
            got["appeals.reconsideration_pending"]) == (corrected + pending, corrected, pending)
    assert (got["appeals.litigation_total"], got["appeals.litigation_pending"]) == (suits, suits)
    never = rng.choice(["没有", "未"])
    none = facts(f"2022年,我局共收到依申请公开0件,{never}被申请行政复议、提起行政诉讼的情况。", 2022)
    assert (none["appeals.reconsideration_total"], none["appeals.litigation_total"]) == (0, 0)
    assert facts("全年无信息公开收费的事项。", 2025)["publications.processing_fees_yuan"] == 0


@pytest.mark.parametrize("rng", variants(56))
def test_the_years_items_counted_first_on_the_portal_and_running_totals(rng):
    # 佛冈 2024 "共主动公开158份信息稿件"; 青川 2023 "在政府门户网站主动公开和转发各类信息共计101条"; 西宁城中区
    # 2025 "通过区政府门户网站主动公开信息74条"; 南薰乡 2014 "本单位到目前累计主动公开政府信息100条" and 兴华乡 2010
    # "截止20101231日,全乡累计主动公开政府信息65条" (running totals since 2008, not the year's)
    n = rng.randint(10, 5000)
    assert facts(f"2024年,我局共主动公开{n}{rng.choice(['份', '条'])}信息稿件,其中包括日常工作简报。", 2024) \
        == {"publications.proactive_items_total": n}
    portal = rng.choice(["在政府门户网站主动公开和转发各类信息共计", "通过区政府门户网站主动公开信息",
                         "通过县政府门户网站主动公开信息"])
    assert facts(f"2023年,围绕年度重点任务,{portal}{n}条。", 2023) == {"publications.proactive_items_total": n}
    # the portal beside the new media's counts is one channel
    listed = facts(f"全年,委门户网站主动公开信息{n}条,政务微信、微博主动公开政府信{n // 2}条。", 2023)
    assert listed.get("publications.website_posts") == n
    # on the web, not the portal: one office's count
    assert facts(f"在互联网上,2012年县政府公开办主动公开信息数为{n}条。", 2012) == {"publications.website_posts": n}
    for running in (f"本单位到目前累计主动公开政府信息{n}条。", f"截止2010年12月31日,全乡累计主动公开政府信息{n}条。",
                    f"历年累计主动公开政府信息{n}条。"):
        assert "publications.proactive_items_total" not in facts(running, 2010), running
    assert facts(f"2010年,全年累计主动公开政府信息{n}条。", 2010) == {"publications.proactive_items_total": n}


# --- eleventh blind round ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(57))
def test_the_intake_inside_a_gross_figure_and_the_two_kinds_of_litigation(rng):
    # 龙华监管局 2023 "共受理政府信息依申请公开121件(其中本年度新收申请数112件,上年结转申请数9件),已答复119件,…另2件结转
    # 下一年处理"; "收到诉讼为3件,其中未经复议直接起诉2件,均尚未审结。复议后起诉1件,结果维持。"
    new, carried, forward = rng.randint(10, 300), rng.randint(1, 20), rng.randint(1, 9)
    closed = new + carried - forward
    text = (f"2023年共受理政府信息依申请公开{new + carried}件(其中本年度新收申请数{new}件,上年结转申请数{carried}件),"
            f"已答复{closed}件,另{forward}件结转下一年处理。")
    got = facts(text)
    assert (got["requests.new_received"], got["requests.carried_over"], got["requests.closed_total"]) \
        == (new, carried, closed)
    direct, after = rng.randint(1, 9), rng.randint(1, 9)
    outcome, key = rng.choice([("结果维持", "upheld"), ("尚未审结", "pending"), ("结果纠正", "corrected")])
    text = (f"2023年度收到诉讼为{direct + after}件,其中未经复议直接起诉{direct}件,均尚未审结。"
            f"复议后起诉{after}件,{outcome}。")
    got = facts(text)
    assert got["appeals.litigation_total"] == direct + after
    assert (got["appeals.litigation_direct_total"], got["appeals.litigation_direct_pending"]) == (direct, direct)
    assert (got["appeals.litigation_after_reconsideration_total"],
            got[f"appeals.litigation_after_reconsideration_{key}"]) == (after, after)
    assert "appeals.reconsideration_total" not in got  # "复议后起诉" and "未经复议" are no reconsideration


@pytest.mark.parametrize("rng", variants(58))
def test_every_request_for_one_reason_and_other_wordings(rng):
    # 阿巴嘎旗自然资源局 2023 "收到政府信息公开申请1件,为本机关不掌握的政府信息"; 余杭区司法局 2022 "其中1件属行政执法
    # 案卷信息"; 抚远 2022 "通过政府门户网站共发布信息18篇"; 苍南 2011 "我办未收到依申请公开的事项", "截至2011年底,我局
    # 主动公开政府信息累计299条" (a running total)
    n = rng.randint(1, 9)
    why, metric = rng.choice([("本机关不掌握的政府信息", "requests.unavailable_not_held"),
                              ("属于国家秘密", "requests.denied_state_secret"),
                              ("重复申请", "requests.not_processed_repeated")])
    got = facts(f"2023年收到政府信息公开申请{n}件,{'为' if not why.startswith('属于') else ''}{why}。")
    assert (got["requests.new_received"], got[metric]) == (n, n)
    got = facts(f"本年度收到要求公开政府信息的申请{n + 6}件,其中{n}件属行政执法案卷信息,6件申请人主动撤件。", 2022)
    assert got["requests.denied_enforcement_file"] == n
    posts = rng.randint(5, 900)
    assert facts(f"2022年,通过政府门户网站共发布信息{posts}篇,其中,政府信息年报1篇。", 2022) \
        == {"publications.website_posts": posts}
    assert facts("2011年度我办未收到依申请公开的事项。", 2011) == {"requests.new_received": 0}
    assert facts(f"截至2011年底,我局主动公开政府信息累计{posts}条。", 2011) == {}


# --- twelfth blind round ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(59))
def test_table_two_written_as_prose_and_other_wordings(rng):
    # 海南省生态环境厅 2022 "本年出台行政规范性文件:制发件数2件,废止件数1件,现行有效件数22件",
    # "行政许可2022年处理决定数量450项,…行政事业性收费0元"; 北碚 2022 "发布政策解读材料105份",
    # "本年度共办结信息公开申请127件"; 二郎街道 2022 "上年结转政府信息公开申请数量0件";
    # 武侯 2019 "区政府共收到各类依申请公开信件135件(次)"
    issued, repealed, in_force = rng.randint(0, 9), rng.randint(0, 9), rng.randint(10, 90)
    licences, fee = rng.randint(1, 900), rng.choice([0, 1200, 56000])
    got = facts(f"本年出台行政规范性文件:制发件数{issued}件,废止件数{repealed}件,现行有效件数{in_force}件。"
                f"行政许可2022年处理决定数量{licences}项,行政强制0项,行政事业性收费{fee}元。", 2022)
    assert (got["publications.normative_docs_issued"], got["publications.normative_docs_repealed"],
            got["publications.normative_docs_in_force"]) == (issued, repealed, in_force)
    assert (got["publications.licensing_decisions"], got["publications.fees_amount_wan_yuan"]) \
        == (licences, fee / 10_000 if fee else 0)
    n = rng.randint(1, 300)
    got = facts(f"综合采用文字解读、图片解读等形式发布政策解读材料{n}份。", 2022)
    assert got == {"publications.policy_interpretations": n}
    assert facts(f"本年度共办结信息公开申请{n}件,3件结转至下年度继续办理。", 2022)["requests.closed_total"] == n
    got = facts(f"全年新收政府信息公开申请数量{n}件,上年结转政府信息公开申请数量0件。", 2022)
    assert got["requests.carried_over"] == 0
    assert facts(f"截止12月31日,区政府共收到各类依申请公开信件{n}件(次),按时回复办结率达到100%。", 2019) \
        == {"requests.new_received": n}


@pytest.mark.parametrize("rng", variants(60))
def test_the_years_figure_beside_a_running_total_and_an_all_channel_total(rng):
    # 闽侯县水利局 2010 "截至2010年底,我局主动公开政府信息历年累计52条,其中2010年新增主动公开政府信息14条";
    # 海南省生态环境厅 2022 "全年厅门户网站、微信、微博发布政府信息共有3343条" (every channel: the whole, metrics.yaml)
    year_count = rng.randint(1, 60)
    got = facts(f"截至2010年底,我局主动公开政府信息历年累计{year_count + 40}条,"
                f"其中2010年新增主动公开政府信息{year_count}条。", 2010)
    assert got == {"publications.proactive_items_total": year_count}
    total = rng.randint(100, 9000)
    channels = rng.choice(["厅门户网站、微信、微博", "政务网站、微信、微博", "门户网站和政务微博"])
    got = facts(f"全年{channels}发布政府信息共有{total}条,包括要闻动态、环境质量等信息。", 2022)
    assert got == {"publications.proactive_items_total": total}


# --- thirteenth blind round -------------------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(61, 6))
def test_not_a_single_appeal_and_no_request_for_other_information(rng):
    # 湘潭县交通运输局 2023 "本年度没有一件因政府信息公开工作被申请行政复议、提起行政诉讼" (read as one
    # reconsideration); 桦甸市新华街道 2012 "未收到要求公开其它信息的申请"
    none = rng.choice(["没有一件", "无一件", "未有一件"])
    got = facts(f"本年度{none}因政府信息公开工作被申请行政复议、提起行政诉讼。", 2023)
    assert (got.get("appeals.reconsideration_total"), got.get("appeals.litigation_total")) == (0, 0)
    got = facts("二、依申请公开情况\n未收到要求公开其它信息的申请,也不存在不予公开政府信息。", 2012)
    assert got["requests.new_received"] == 0


# --- fourteenth blind round -------------------------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(62, 8))
def test_answered_counted_after_the_verb_and_other_fourteenth_round_wordings(rng):
    # 西安镇 2015 "在已经答复的5件申请中:", "到2015年底累计主动公开政府信息60条" (a running total; 九江 2008's
    # "到2008年底累计…91条" is the Regulations' first year, so the year's); 兴东街道 2021 "受理依申请公开件9件,
    # 均通过信函递交"; 佳荣里街道 2021 "2021年主动公开的各类政府信息数量66件"; 兴安盟 2025 "…及相关解读信息共90条"
    n = rng.randint(1, 60)
    got = facts(f"本单位2015年度共受理政府信息公开申请{n}件。在已经答复的{n}件申请中:", 2015)
    assert got["requests.closed_total"] == n
    assert facts(f"本单位到2015年底累计主动公开政府信息{n}条。", 2015) == {}
    assert facts(f"本局到2008年底累计主动公开政府信息{n}条。", 2008) == {"publications.proactive_items_total": n}
    got = facts(f"2021年受理依申请公开件{n}件,均通过信函递交,已全部办理结束。", 2021)
    assert (got["requests.new_received"], got["requests.received_by_letter"]) == (n, n)
    assert facts(f"2021年主动公开的各类政府信息数量{n}件。", 2021) == {"publications.proactive_items_total": n}
    got = facts(f"其中,行政规范性文件、政策文件、常务会议纪要及相关解读信息共{n}条。", 2025)
    assert "publications.policy_interpretations" not in got
    # 上海市科委 2024 "市科委通过部门网站当年发布政府信息 393 件" (the body's own site: all it put out)
    site = rng.choice(["部门网站", "委门户网站", "局网站"])
    assert facts(f"截至12月31日,市科委通过{site}当年发布政府信息 {n} 件,其中包括机构职能类信息。", 2024) \
        == {"publications.proactive_items_total": n}


# --- fifteenth and sixteenth blind rounds -------------------------------------------------------------


@pytest.mark.parametrize("rng", variants(63, 8))
def test_new_requests_named_by_xin_inside_a_gross_figure(rng):
    # 铜梁区政府办 2025 "共受理政府信息公开申请15件,其中新收到14件,结转上年度办理1件,办结13件,结转下年度继续办理2件"
    new, carried = rng.randint(1, 80), rng.randint(1, 9)
    forward = rng.randint(0, carried)
    closed = new + carried - forward
    verb = rng.choice(["新收到", "新受理", "新接收"])
    carry = rng.choice(["结转上年度办理", "结转上年度", "上年结转"])
    got = facts(f"2025年本机关共受理政府信息公开申请{new + carried}件,其中{verb}{new}件,{carry}{carried}件,"
                f"办结{closed}件,结转下年度继续办理{forward}件。", 2025)
    assert (got["requests.new_received"], got["requests.carried_over"], got["requests.closed_total"]) \
        == (new, carried, closed)
    # with no closed figure to tell it, the breakdown alone shows the first figure is gross
    got = facts(f"共受理政府信息公开申请{new + carried}件,其中{verb}申请{new}件,上年结转{carried}件。", 2025)
    assert (got["requests.new_received"], got["requests.carried_over"]) == (new, carried)


@pytest.mark.parametrize("rng", variants(64, 8))
def test_sixteenth_round_zero_statements_and_table_two_in_prose(rng):
    # 苏银产业园 2025 "2025年未收到本级依申请公开事项"; 永清镇 2025 "本年度行政规范性文件发布数量0条、废止数量0条及
    # 现行有效数量0条"
    scope = rng.choice(["本级", "", "任何"])
    assert facts(f"2025年未收到{scope}依申请公开事项。", 2025) == {"requests.new_received": 0}
    issued, repealed, in_force = rng.randint(0, 9), rng.randint(0, 9), rng.randint(0, 40)
    unit, sep = rng.choice(["条", "件"]), rng.choice(["及", "、", ","])
    got = facts(f"本年度行政规范性文件发布数量{issued}{unit}、废止数量{repealed}{unit}{sep}"
                f"现行有效数量{in_force}{unit}。", 2025)
    assert (got["publications.normative_docs_issued"], got["publications.normative_docs_repealed"],
            got["publications.normative_docs_in_force"]) == (issued, repealed, in_force)
    # 平潭公安局 2022 "没有因政府信息公开针对区公安局申请行政复议或行政诉讼的事项"
    joint = rng.choice(["或", "、", "和"])
    got = facts(f"全年没有因政府信息公开针对区公安局申请行政复议{joint}行政诉讼的事项。", 2022)
    assert (got["appeals.reconsideration_total"], got["appeals.litigation_total"]) == (0, 0)
    # 新开岭镇 2021 "没有因信息公开案件引起的行政诉讼、行政复议败诉": no case lost, not no case
    got = facts(f"我团没有因信息公开案件引起的行政诉讼{joint}行政复议败诉。", 2021)
    assert "appeals.litigation_total" not in got and "appeals.reconsideration_total" not in got
    # 平潭行政审批局 2024 "因依申请公开引发行政复议1起,结果为维持"
    n = rng.randint(1, 5)
    got = facts(f"因依申请公开引发行政复议{n}起,结果{rng.choice(['为', '均为', '是'])}维持我局作出的答复。", 2024)
    assert (got["appeals.reconsideration_total"], got["appeals.reconsideration_upheld"]) == (n, n)


@pytest.mark.parametrize("rng", variants(65, 8))
def test_posts_counted_in_other_words_and_channels_that_do_not_sum(rng):
    n, m = rng.randint(20, 900), rng.randint(10, 300)
    # 平潭公安局 2022 "全年累计主动公开公安政府信息179条"; 平潭行政审批局 2020 "今年我局公开356条政务信息"
    field = rng.choice(["公安", "税务", "交通", "教育"])
    assert facts(f"全年累计主动公开{field}政府信息{n}条,全文电子化达100%。") \
        == {"publications.proactive_items_total": n}
    assert facts(f"主动公开重点领域政府信息{n}条。") == {}  # a category, not the whole
    noun = rng.choice(["政务信息", "政府信息"])
    assert facts(f"今年我局公开{n}条{noun},行政许可类信息1条。") == {"publications.proactive_items_total": n}
    # 平潭公安局 2014 "截止2014年12月25日,我局在…门户网站累计主动公开政府信息805条…其中2014年度我局共主动公开政府
    # 信息360条"
    got = facts(f"截止2014年12月25日,我局在平潭综合实验区管委会门户网站累计主动公开政府信息{n + m}条,全文电子化达100%。"
                f"其中2014年度我局共主动公开政府信息{n}条。", 2014)
    assert got == {"publications.proactive_items_total": n}
    # 永清镇 2025 "通过“和谐永清”微信公众平台方式向社会公布各类政府信息1173条"
    got = facts(f"二是通过“和谐{field}”微信公众平台方式向社会公布各类政府信息{n}条,包括工作动态{n - 1}条。", 2025)
    assert got == {"publications.new_media_posts": n}
    # 五华科技产业园 2022 "园区微信公众号发布信息278条,政府网站发布信息90条,…,微博发布转载信息103条": the site is no
    # new medium
    got = facts(f"园区微信公众号发布信息{n}条,政府网站发布信息{m}条,微博发布转载信息{m + 3}条。", 2022)
    assert got["publications.new_media_posts"] == n + m + 3
    # 平潭公安局 2014 "全年共发布各类警务微博3348条…;编发警务微信500余条": one channel rounded, so is the sum
    got = facts(f"全年共发布各类警务微博{n}条,被转发{m}次;编发警务微信{m}余条;网上为民办实事200余件。", 2014)
    assert "publications.new_media_posts" not in got


@pytest.mark.parametrize("rng", variants(66, 6))
def test_a_sentence_goes_on_with_the_other_year_the_one_before_it_opened_with(rng):
    # 松江河镇 2020: "2019年,我镇通过抚松县政府网站公开信息94条。通过微信公众平台公布信息25条。" (last year's paragraph)
    n, m = rng.randint(10, 200), rng.randint(10, 200)
    text = f"2019年,我镇通过抚松县政府网站公开信息{n}条。通过微信公众平台公布信息{m}条。"
    assert facts(text, 2020) == {}
    assert facts(text, 2019) == {"publications.website_posts": n, "publications.new_media_posts": m}
    opener = rng.choice(["今年", "全年", "2020年"])
    assert facts(f"2019年,我镇通过网站公开信息{n}条。{opener}通过微信公众平台公布信息{m}条。", 2020) \
        == {"publications.new_media_posts": m}


def test_a_statistics_form_with_spaced_header_words_and_a_running_total_column():
    # 平潭公安局 2014: "指 标 名 称 单位 2014年度 历年累计 主动公开信息数 条 360 805 …受理政府信息公开申请总数 条 0 3"
    text = ("平潭综合实验区公安局2014年度 政府信息公开工作统计数据 指 标 名 称 单位 2014年度 历年累计 "
            "主动公开信息数 条 360 805 其中:1.政府网站公开数 条 360 805 2.政府公报公开数 条 0 0 "
            "受理政府信息公开申请总数 条 0 3 其中:1.当面申请数 条 0 1 2.网上申请数 条 0 0 3.信函申请数 条 0 2 "
            "对申请的答复总数 条 0 3 其中:1.同意公开答复数 条 0 2")
    got = facts(text, 2014)
    assert got == {"publications.proactive_items_total": 360, "publications.website_posts": 360,
                   "requests.new_received": 0, "requests.received_in_person": 0, "requests.received_online": 0,
                   "requests.received_by_letter": 0, "requests.closed_total": 0, "requests.granted": 0}


@pytest.mark.parametrize("rng", variants(67, 6))
def test_counts_of_several_sites_in_one_sentence_name_no_website_count(rng):
    # 清水县 2019 "通过市政府网站公开信息2100条,通过县政府门户网站发布政府信息5469条"; 银川市国资委 2021 "在银川市人民
    # 政府门户网站公开政府信息41条,在银川市政府国有资产监督管理委员会网站公开政府信息299条"
    n, m = rng.randint(10, 3000), rng.randint(10, 3000)
    got = facts(f"其中,通过市政府网站公开信息{n}条,通过县政府门户网站发布政府信息{n + m}条。", 2019)
    assert "publications.website_posts" not in got
    assert facts(f"通过县政府门户网站发布政府信息{n}条。", 2019) == {"publications.website_posts": n}


@pytest.mark.parametrize("rng", variants(68, 6))
def test_a_handled_figure_equal_to_the_tables_new_plus_carried_is_dropped(rng):
    # 沭阳县 2025: "全县全年共受理政府信息公开申请749件,其中自然人申请741件、法人或其他组织申请8件" beside table 三's
    # 713 new and 36 carried over: the prose's 受理 figure is everything handled, and its split goes with it
    from extract.extractor import merge
    from extract.record import Fact

    new, carried = rng.randint(50, 900), rng.randint(1, 60)
    table = [Fact("requests.new_received", new, "total", "table", "", 0, 10),
             Fact("requests.carried_over", carried, "total", "table", "", 10, 20)]
    verb = rng.choice(["受理", "办理", "处理"])
    prose = [Fact("requests.new_received", new + carried, "total", "text", f"{verb}政府信息公开申请{new + carried}件",
                  100, 120),
             Fact("requests.new_received", new + carried - 3, "natural_person", "text", "自然人申请", 121, 130)]
    facts, warnings = merge(table, prose)
    assert [f for f in facts if f.method == "text"] == []
    assert any("new + carried over" in w for w in warnings)
    # 收到 is the intake, even where a report's table says otherwise: both stay, in conflict
    prose = [Fact("requests.new_received", new + carried, "total", "text", f"收到政府信息公开申请{new + carried}件",
                  100, 120)]
    facts, warnings = merge(table, prose)
    assert [f.value for f in facts if f.method == "text"] == [new + carried]
    assert any(w.startswith("conflict") for w in warnings)


# --- seventeenth and eighteenth blind rounds -----------------------------------------------------------


@pytest.mark.parametrize("rng", variants(69, 8))
def test_eighteenth_round_publication_wordings(rng):
    n, m = rng.randint(20, 900), rng.randint(5, 300)
    # 宣州区卫健委 2023 "政务信息公开栏目发布信息共652条"; 宣州区医保局 2023 "在政府信息公开平台发布政府信息236条":
    # where the body's 主动公开 goes; a 信息公开网站 is a website (云林街道 2015)
    place = rng.choice(["政务信息公开栏目", "政府信息公开平台", "政府信息公开专栏"])
    assert facts(f"2023年,宣州区卫健委{place}发布信息共{n}条,重点栏目发布{m}条。") \
        == {"publications.proactive_items_total": n}
    assert facts(f"全年街道本级信息公开网站共发布政府信息{n}条。") == {"publications.website_posts": n}
    # 宣州区医保局 2022 "微信公众号推送各类报道、信息231条"
    assert facts(f"2023年,微信公众号推送各类{rng.choice(['报道', '稿件'])}、信息{n}条。") \
        == {"publications.new_media_posts": n}
    # 北部湾办 2022 "利用门户网站主动公开政府信息88条、规范性文件2条、…": the first of a list of kinds
    assert facts(f"2023年,利用门户网站主动公开政府信息{n}条、规范性文件{m}条、财政信息2条。") == {}
    # 通化县 2025 "其中:县政府网站发布3335条,政府信息公开专栏发布954条,政务新媒体发布6326条"
    got = facts(f"全县累计发布各类政府信息{n + m + 954}条,其中:县政府网站发布{n}条,政府信息公开专栏发布954条,"
                f"政务新媒体发布{m}条。")
    assert got == {"publications.proactive_items_total": n + m + 954, "publications.website_posts": n,
                   "publications.new_media_posts": m}
    # 陕西省地方志办 2023 "官方网站发布信息426条(其中:…,信息公开目录主动公开信息8条)"
    assert facts(f"官方网站发布信息{n + m}条(其中:概况类信息{n}条,信息公开目录主动公开信息{m}条)。") \
        == {"publications.website_posts": n + m}
    # 昭化区医保局 2023 "我局主动公开政府网站各类信息47条"
    assert facts(f"2023年,我局主动公开政府网站各类信息{n}条。") == {"publications.proactive_items_total": n}


@pytest.mark.parametrize("rng", variants(70, 8))
def test_eighteenth_round_request_and_appeal_wordings(rng):
    n = rng.randint(2, 90)
    # 宣州区医保局 2022 "未收到公民、法人和其他组织申请公开政府信息要求,未因政府信息公开工作收到被申请行政复议、提起
    # 诉讼的情况"
    got = facts("2023年,宣州区医保局未收到公民、法人和其他组织申请公开政府信息要求,"
                "未因政府信息公开工作收到被申请行政复议、提起诉讼的情况。")
    assert got == {"requests.new_received": 0, "appeals.reconsideration_total": 0, "appeals.litigation_total": 0}
    # 荔浦市 2022 "…;部门新收依申请公开数量为4件,办理结果为…;因政府信息公开被申请行政复议、行政诉讼数量为0件"
    units = rng.choice(["部门", "各部门", "县直部门", "各乡镇"])
    got = facts(f"2023年政府新收依申请公开数量为{n}件,办理结果为予以公开{n}件;{units}新收依申请公开数量为{n + 4}件,"
                "办理结果为予以公开1件,无法提供2件,不予处理1件;因政府信息公开被申请行政复议、行政诉讼数量为0件。")
    assert got == {"requests.new_received": n, "requests.granted": n, "appeals.reconsideration_total": 0,
                   "appeals.litigation_total": 0}
    # 湖南省生态环境厅 2023 "共办理政府信息依申请公开70件,全部依法依规按程序办结"
    assert facts(f"2023年共办理政府信息依申请公开{n}件,全部依法依规按程序办结。") == {"requests.closed_total": n}


@pytest.mark.parametrize("rng", variants(71, 8))
def test_seventeenth_round_wordings(rng):
    n, m = rng.randint(3, 90), rng.randint(1, 9)
    # 平潭市场监管局 2025 "给予同意公开答复 1 件,…区分处理后公开11件,因无法提供相关信息答复2件,其他处理2件"
    got = facts(f"2023年,共受理政府信息公开申请{n + 2 * m}件,给予同意公开答复 {n} 件,区分处理后公开{m}件,"
                f"因无法提供相关信息答复{m}件。")
    assert (got["requests.granted"], got["requests.partially_granted"], got["requests.unavailable_total"]) \
        == (n, m, m)
    assert "requests.closed_total" not in got
    # 平潭工商局 2012 "我局共主动公开当年生成的各类政府信息47条"; 平潭自然资源局 2023 "全年政府信息主动公开52条"
    assert facts(f"2023年,我局共主动公开当年生成的各类政府信息{n}条,其中,机构职责类{m}条。") \
        == {"publications.proactive_items_total": n}
    assert facts(f"全年政府信息主动公开{n}条,其中政策及规范性文件类{m}条。") \
        == {"publications.proactive_items_total": n}
    # 平潭经发局 2019 "依申请公开341条、不予公开41条" (documents by how they are disclosed, not requests)
    assert facts(f"2023年,主动公开{n}条、依申请公开{n + m}条、不予公开{m}条。") \
        .get("requests.denied_total") is None
    # 平潭市场监管局 2021 "通过官方微信公众号发布104篇《…天天报》系列文章": one series
    assert "publications.new_media_posts" not in facts(
        f"截至2023年12月31日,我局通过官方微信公众号发布{n}篇《食用农产品快速检测结果天天报》系列文章。")


@pytest.mark.parametrize("rng", variants(72, 8))
def test_twentieth_round_wordings(rng):
    n, m = rng.randint(20, 600), rng.randint(1, 19)
    # 铜陵市地震局 2021 "我局在铜陵市政府信息公开平台共公开信息计239条,其中:…,政策解读栏目12条,…"
    got = facts(f"2023年以来,我局在铜陵市政府信息公开平台共公开信息计{n}条,其中:机构领导栏目{m}条,政策解读栏目{m}条。")
    assert got == {"publications.proactive_items_total": n, "publications.policy_interpretations": m}
    # 铜陵市地震局 2021 "其中同意公开的有0件,同意部分公开的有0件, 不予公开的有0件"
    got = facts(f"2023年,共收到申请{m}件,其中同意公开的有{m}件,同意部分公开的有0件, 不予公开的有0件。")
    assert (got["requests.granted"], got["requests.partially_granted"], got["requests.denied_total"]) == (m, 0, 0)
    # 东疆综保区 2025 "其中:属于公开范围5件,属于部分公开范围4件,不予公开3件"
    got = facts(f"2023年共受理依申请公开{m + 7}件,其中:属于公开范围{m}件,属于部分公开范围4件,不予公开3件。")
    assert (got["requests.granted"], got["requests.partially_granted"], got["requests.denied_total"]) == (m, 4, 3)
    # 牡丹江市人防办 2018 "无被申请行政复议或被提起行政诉讼、行政申诉情况"; 海南省地震局 2024 "全年无政府信息公开行政
    # 复议、诉讼和申诉情况"
    for text in ("2023年,我办无被申请行政复议或被提起行政诉讼、行政申诉情况。",
                 "全年未收到政府信息公开申请,全年无政府信息公开行政复议、诉讼和申诉情况。"):
        got = facts(text)
        assert (got["appeals.reconsideration_total"], got["appeals.litigation_total"]) == (0, 0)
