"""Prose facts: the phrasings of many agencies, and the numbers that are not facts."""

from pathlib import Path

import pytest

from extract.extractor import extract_path
from extract.narrative import parse_number, text_facts, uses_statistics_2014_wording

REAL = Path(__file__).parent.parent / "samples" / "corpus" / "real"


def facts(text: str, year: int | None = 2023) -> dict[str, float | int]:
    out = {}
    for f in text_facts(text, year=year):
        assert text[f.start : f.end] == f.evidence
        key = f.metric if f.applicant == "total" else f"{f.metric}@{f.applicant}"
        out[key] = f.value
    return out


@pytest.mark.parametrize(
    ("digits", "wan", "value"),
    [("615", False, 615), ("三", False, 3), ("十二", False, 12), ("一百二十", False, 120), ("两", False, 2),
     ("1.2", True, 12000), ("733.39", False, 733.39)],
)
def test_parse_number(digits, wan, value):
    assert parse_number(digits, wan) == value


def test_seed_000_request_sentence():
    text = "全年收到政府信息公开申请615件,办结591件(含2022年结转12件),36件转2024年办理。"
    assert facts(text) == {
        "requests.new_received": 615,
        "requests.closed_total": 591,
        "requests.carried_over": 12,
        "requests.carried_forward": 36,
    }


def test_other_phrasings_of_the_request_counts():
    text = (
        "2023年,本局共接到政府信息公开申请四十二件,上一年度结转三件。已全部办理完毕45件,"
        "其中予以公开二十件、部分公开5件、不予公开2件、无法提供十件(其中本机关不掌握相关政府信息8件)、"
        "不予处理3件、其他处理5件,结转下年度继续办理0件。"
    )
    assert facts(text) == {
        "requests.new_received": 42,
        "requests.carried_over": 3,
        "requests.closed_total": 45,
        "requests.granted": 20,
        "requests.partially_granted": 5,
        "requests.denied_total": 2,
        "requests.unavailable_total": 10,
        "requests.unavailable_not_held": 8,
        "requests.not_processed_total": 3,
        "requests.other_total": 5,
        "requests.carried_forward": 0,
    }


def test_applicant_split_of_new_requests():
    text = "全年共受理依申请公开95件。按申请人情况看,自然人90件,法人或其他组织5件;按办理情况看,予以公开的29件。"
    assert facts(text, 2020) == {
        "requests.new_received": 95,
        "requests.new_received@natural_person": 90,
        "requests.new_received@organization": 5,
        "requests.granted": 29,
    }


def test_received_including_carry_over_is_not_new_received():
    # hangzhou_chengguan: the 57 includes the 1 carried over
    text = "共收到政府信息公开申请57件(含上年结转件1件),经沟通,撤件39件,受理18件(予以公开6件,部分公开2件)。"
    got = facts(text)
    assert "requests.new_received" not in got
    assert got["requests.carried_over"] == 1
    assert got["requests.granted"] == 6


def test_received_equal_to_closed_plus_forward_is_read_as_the_intake_until_a_table_says_otherwise():
    # shuyang_county: 受理749 = 办理718 + 结转31, no carry-over stated: the prose alone reads it as the intake;
    # the report's table 三 (713 new, 36 carried over) shows it is everything handled, and the merge drops it
    text = (
        "全县全年共受理政府信息公开申请 749 件,其中自然人申请 741 件,法人或其他组织申请 8 件;"
        "共办理 718 件,结转下一年 31 件。"
    )
    assert facts(text, 2025)["requests.new_received"] == 749
    e = extract_path(REAL / "shuyang_county_2025.md")
    received = {(f.applicant, f.method): f.value for f in e.facts if f.metric == "requests.new_received"}
    assert received[("total", "table")] == 713 and ("total", "text") not in received
    assert ("natural_person", "text") not in received and ("organization", "text") not in received


def test_statistics_2014_wording():
    text = (
        "2018年共收到政府信息公开申请215件,其中信函申请145件,网络申请68件。"
        "2018年共答复依申请信息公开249件,其中属于已主动公开范围数2件,同意公开答复数53件,不同意公开答复数56件,"
        "不属于本行政机关公开数104件,申请信息不存在数11件,告知作出更改补充数23件。"
    )
    assert facts(text, 2018) == {
        "requests.new_received": 215,
        "requests.received_by_letter": 145,
        "requests.received_online": 68,
        "requests.closed_total": 249,
        "requests.legacy_already_public": 2,
        "requests.granted": 53,
        "requests.denied_total": 56,
        "requests.legacy_not_this_agency": 104,
        "requests.legacy_not_exist": 11,
        "requests.legacy_asked_to_amend": 23,
    }
    assert uses_statistics_2014_wording(text)
    assert not uses_statistics_2014_wording("不属于本机关公开8件,信息不存在2件")


def test_appeal_outcomes_follow_the_appeal_named_last():
    text = (
        "因政府信息公开申请引发行政复议3件,其中2件维持原办理结果,1件同意撤回;"
        "引发行政诉讼共7件,其中6件胜诉维持原办理结果,1件同意撤回。"
    )
    assert facts(text) == {
        "appeals.reconsideration_total": 3,
        "appeals.reconsideration_upheld": 2,
        "appeals.reconsideration_other": 1,
        "appeals.litigation_total": 7,
        "appeals.litigation_upheld": 6,
        "appeals.litigation_other": 1,
    }


def test_appeal_outcomes_with_the_number_after_and_no_unit():
    text = "截至11月底,信息公开申请引发的行政复议32件、行政诉讼3件(已结3件(撤诉2,败诉1),其中行政复议纠错4件。"
    assert facts(text, 2024) == {
        "appeals.reconsideration_total": 32,
        "appeals.reconsideration_corrected": 4,
        "appeals.litigation_total": 3,
        "appeals.litigation_other": 2,
        "appeals.litigation_corrected": 1,
    }


def test_appeal_without_number_upheld_means_all():
    text = "2018年,因政府信息公开申请行政复议1件,维持具体行政行为;没有发生因政府信息公开提起的行政诉讼。"
    assert facts(text, 2018) == {
        "appeals.reconsideration_total": 1,
        "appeals.reconsideration_upheld": 1,
        "appeals.litigation_total": 0,
    }


def test_standard_outcome_words_in_prose():
    text = "政府信息公开行政复议 351 件,其中结果维持 72 件,结果纠正 64 件,其他结果 178 件,尚未审结 37 件。"
    assert facts(text, 2024) == {
        "appeals.reconsideration_total": 351,
        "appeals.reconsideration_upheld": 72,
        "appeals.reconsideration_corrected": 64,
        "appeals.reconsideration_other": 178,
        "appeals.reconsideration_pending": 37,
    }


def test_zero_statements():
    assert facts("未发生因政府信息公开引起的行政复议、行政诉讼案件。") == {
        "appeals.reconsideration_total": 0,
        "appeals.litigation_total": 0,
    }
    assert facts("不存在不予公开和不予处理情况。") == {
        "requests.denied_total": 0,
        "requests.not_processed_total": 0,
    }
    assert facts("2023年度,县发展和改革局政府信息公开未发生收费情况。") == {"publications.processing_fees_yuan": 0}
    # a zero outcome is not a zero total
    assert facts("全年未发生行政诉讼败诉案件。") == {}


def test_publications():
    text = (
        "在门户网站和官网上主动公开政府信息780条(不含浙江政务服务网),在主流媒体发布信息242篇,"
        "在政务新媒体及时发布各类政务信息1674条。2023年我委制发的11件规范性文件都在门户网站上予以公布。"
        "通过文字、图片等形式制作政策解读21个。全年收取政府信息公开信息处理费 3940 元。"
    )
    assert facts(text) == {
        "publications.proactive_items_total": 780,
        "publications.new_media_posts": 1674,
        "publications.normative_docs_issued": 11,
        "publications.policy_interpretations": 21,
        "publications.processing_fees_yuan": 3940,
    }


def test_website_and_new_media_channels():
    text = "其中,通过街道政务信息公开专栏发布信息359条,通过微信公众号“人文廿三里”发布信息1088条。"
    assert facts(text, 2022) == {"publications.website_posts": 359, "publications.new_media_posts": 1088}
    summed = "通过政务微信发布信息120条,政务微博发布信息30条。"
    assert facts(summed) == {"publications.new_media_posts": 150}


def test_decisions_and_procurement_in_prose():
    text = (
        "行政许可决定数量441317项,其他对外管理服务事项7006项;行政处罚31项;政府集中采购数量122项,"
        "采购总金额733.39万元。"
    )
    assert facts(text, 2020) == {
        "publications.licensing_decisions": 441317,
        "publications.other_services_decisions": 7006,
        "publications.penalty_decisions": 31,
        "publications.procurement_projects": 122,
        "publications.procurement_amount_wan_yuan": 733.39,
    }
    assert facts("采购总金额7333900元。", 2020) == {"publications.procurement_amount_wan_yuan": 733.39}


@pytest.mark.parametrize(
    "text",
    [
        "严格按照“简单问题1个工作日答复,复杂问题3个工作日答复”的时限要求。",  # rules
        "根据《国务院办公厅关于印发2017年政务公开工作要点的通知》(国办发〔2017〕24号)的要求。",  # doc numbers
        "依申请公开按时办结率100%,满意率99.88%。",  # percentages
        "通过市政府门户网站发布政务信息1.9万余条。",  # approximate
        "2018年我委在政务网站上主动公开各类信息1000余条。",  # approximate
        "本年度公开人大代表建议答复169件、政协委员提案答复195件。",  # not requests
        "共收到市府办依申请公开转办件23件,均按要求办理完毕。",  # forwarded cases
        "截至11月,办结民呼事项1678起,办结满意率99.88%。",
        "在新媒体以图解、短视频等形式推送95篇政策解读、工作推进、成果介绍等政务信息。",  # mixed count
        "发布行政公文和政策解读信息9条。",  # mixed count
        "依法做好相关行政复议、行政诉讼案件的应诉工作,全县共办理相关案件74件。",
        "电话:0527—83593059,邮编:223600,发布时间:2025-03-03。",
        "| 行政复议 | 27 | 10 | 9 | 15 | 61 |",  # table rows belong to the tables step
    ],
)
def test_not_facts(text):
    assert facts(text) == {}


def test_figures_of_another_year_are_skipped():
    text = "2022年共收到政府信息公开申请500件。2023年共收到政府信息公开申请615件,较上年收到申请数增加115件。"
    assert facts(text) == {"requests.new_received": 615}


def test_hard_wrapped_pdf_lines_are_read_as_one_sentence():
    text = (
        "2024 年,全市共受理政府信息公开申请 3119 件,答\n复 3050 件(含上年度结转申请 34 件,"
        "另有 103 件顺延到下年度\n- 2 -\n答复),均在法定期限内予以答复。"
    )
    got = text_facts(text, year=2024)
    values = {f.metric: f.value for f in got}
    assert values == {
        "requests.new_received": 3119,
        "requests.closed_total": 3050,
        "requests.carried_over": 34,
        "requests.carried_forward": 103,
    }
    closed = next(f for f in got if f.metric == "requests.closed_total")
    assert closed.evidence == "答\n复 3050 件" and text[closed.start : closed.end] == closed.evidence


def test_first_statement_wins_and_a_warning_names_the_second():
    warnings: list[str] = []
    got = text_facts("全年收到政府信息公开申请615件。全年共收到政府信息公开申请600件。", year=None, warnings=warnings)
    assert [(f.metric, f.value) for f in got] == [("requests.new_received", 615)]
    assert any("600" in w for w in warnings)


def test_more_zero_phrasings():
    assert facts("本年度无因政府信息公开申请引起的行政复议和行政诉讼。") == {
        "appeals.reconsideration_total": 0,
        "appeals.litigation_total": 0,
    }
    assert facts("2023年,本单位未收到政府信息公开申请。") == {"requests.new_received": 0}
    assert facts("未收到政府信息公开申请引发的行政复议。") == {"appeals.reconsideration_total": 0}
    assert facts("全年未收取信息处理费。") == {"publications.processing_fees_yuan": 0}


def test_thousands_separators_lists_and_forward_wording():
    assert facts("通过“XX发布”微信公众号、微博等新媒体平台发布信息3,210条。") == {"publications.new_media_posts": 3210}
    assert facts("全年通过门户网站公开政策文件56条、政策解读28篇。") == {"publications.policy_interpretations": 28}
    assert facts("共收到申请5件,结转至2024年办理的申请2件。") == {
        "requests.new_received": 5,
        "requests.carried_forward": 2,
    }
    assert facts("行政诉讼案件2件,均胜诉。") == {"appeals.litigation_total": 2, "appeals.litigation_upheld": 2}
