"""Document kind."""

from pathlib import Path

import pytest

from extract.classify import classify, find_title
from extract.normalise import normalise

CORPUS = Path(__file__).parent.parent / "samples" / "corpus"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("seeds/000_eef804524ea2797b.txt", "work_summary"),
        ("seeds/001_a211173aaaac4cee.txt", "annual_report"),
        ("seeds/002_30463eea81f7d3a7.txt", "work_plan"),
        ("seeds/003_fa38032d3d611a12.txt", "annual_report"),  # 2018 "工作总结报告" with the report outline
        ("seeds/004_a52ca3c4cb060fa9.txt", "work_summary"),
        ("real/wuhan_ecoenv_2020_zhtw.txt", "annual_report"),  # no title: "报告如下"
        ("real/pdf_layer_fragment_2024.txt", "annual_report"),  # no title: standard section heading
        ("real/zhejiang_province_2014.txt", "annual_report"),
    ],
)
def test_kind_of_the_sample_documents(name, kind):
    text = normalise((CORPUS / name).read_text(encoding="utf-8")).text
    assert classify(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("关于印发2024年某某区政务公开工作要点的通知\n各单位:现将要点印发给你们。", "work_plan"),
        ("某某市教育局2024年政府信息公开工作计划\n一、目标", "work_plan"),
        ("某某县民政局2022年度政府信息公开工作年度报告\n一、总体情况", "annual_report"),
        ("某某镇2023年政务公开工作总结\n一、工作开展情况", "work_summary"),
        ("关于召开防汛工作会议的通知\n各单位:定于下周召开会议。", "other"),
    ],
)
def test_kind_from_titles(text, kind):
    assert classify(text) == kind


def test_title_broken_over_two_lines():
    assert find_title("淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由…") == (
        "淮安市人民政府2024 年政府信息公开工作年度报告"
    )
