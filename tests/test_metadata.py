"""Agency, year, publication date, 索引号, partial period."""

from pathlib import Path

import pytest

from extract.classify import find_title
from extract.metadata import extract_metadata, find_agency, find_year, is_partial_period
from extract.normalise import normalise

CORPUS = Path(__file__).parent.parent / "samples" / "corpus"


def meta(name: str, source: str = ""):
    text = normalise((CORPUS / name).read_text(encoding="utf-8")).text
    return extract_metadata(text, title=find_title(text), source=source or name)


@pytest.mark.parametrize(
    ("name", "agency", "year"),
    [
        ("seeds/000_eef804524ea2797b.txt", "杭州市城乡建设委员会", 2023),  # title; 发布单位 says 市建委
        ("seeds/001_a211173aaaac4cee.txt", "浙江省住房和城乡建设厅", 2020),  # title says 省建设厅
        ("seeds/002_30463eea81f7d3a7.txt", "浙江省住房和城乡建设厅", 2023),  # "关于印发2023年省建设厅…"
        ("seeds/003_fa38032d3d611a12.txt", "杭州市发展和改革委员会", 2018),  # 统计期限, not 成文日期 2019
        ("seeds/004_a52ca3c4cb060fa9.txt", "杭州市临平区人民政府", 2024),  # district → its government
        ("real/hangzhou_city_2017.txt", "杭州市人民政府", 2017),  # 由…办公厅综合各… → the government
        ("real/hangzhou_govoffice_2024.txt", "杭州市人民政府办公厅", 2024),
        ("real/hangzhou_chengguan_2023.txt", "杭州市城市管理局", 2023),
        ("real/zhejiang_province_2014.txt", "浙江省人民政府", 2014),  # "从201411日起" has no year
        ("real/shuyang_county_2025.md", "沭阳县人民政府", 2025),  # OCR writes 沐阳
        ("real/shuyang_fagaiju_2023.txt", "沭阳县发展和改革局", 2023),
        ("real/yiwu_niansanli_2022.txt", "义乌市廿三里街道办事处", 2022),
        ("real/pdf_layer_fragment_2024.txt", None, None),  # neither is in the text
    ],
)
def test_agency_and_year_of_the_sample_documents(name, agency, year):
    m = meta(name)
    assert (m.agency, m.year) == (agency, year)


def test_agency_from_the_source_address_when_the_text_has_none():
    url = (
        "https://newton.com.tw/wiki/%E6%AD%A6%E6%BC%A2%E5%B8%82%E7%94%9F%E6%85%8B%E7%92%B0%E5%A2%83%E5%B1%80"
        "2020%E5%B9%B4%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E9%96%8B%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6"
        "%E5%A0%B1%E5%91%8A/63726324"
    )
    assert meta("real/wuhan_ecoenv_2020_zhtw.txt").agency is None
    m = meta("real/wuhan_ecoenv_2020_zhtw.txt", source=url)
    assert (m.agency, m.year) == ("武汉市生态环境局", 2020)


def test_published_index_and_partial_period():
    m = meta("seeds/000_eef804524ea2797b.txt")
    assert (m.published, m.index_no, m.partial_period) == ("2024-02-06", "002489479/2024-00006", False)
    m = meta("seeds/004_a52ca3c4cb060fa9.txt")
    assert (m.published, m.index_no, m.partial_period) == ("2025-03-03", "001008001003010/2025-20370", True)
    assert meta("real/hangzhou_chengguan_2023.txt").published == "2024-01-22"  # "2024- 01- 22 17: 11"
    assert meta("real/shuyang_county_2025.md").published == "2026-01-23"  # date under the signature
    assert meta("real/zhejiang_province_2014.txt").published == "2015-03-27"
    assert meta("real/shuyang_fagaiju_2023.txt").published == "2024-01-17"


def test_short_forms_resolved_from_the_documents_own_full_names():
    text = "发布单位 市发改委\n本报告由市发改委编制。如有疑问请与苏州市发展和改革委员会联系。"
    assert find_agency(text, None) == "苏州市发展和改革委员会"
    # no full name in the text: the alias table with the city the text names
    text = "发布单位: 市建委\n宁波市今年城乡建设工作……宁波市人民政府部署"
    assert find_agency(text, None) == "宁波市城乡建设委员会"


def test_bare_regions_mean_their_government():
    title = "江苏省2019年政府信息公开工作年度报告"
    assert find_agency(title, title) == "江苏省人民政府"
    assert find_agency("x", "西湖区2022年政府信息公开工作年度报告") == "杭州市西湖区人民政府"
    assert find_agency("x", "桐庐县2022年政府信息公开工作年度报告") == "桐庐县人民政府"


def test_year_is_the_statistics_year_not_the_publication_year():
    text = "发布日期:2024-01-20\n本报告所列数据的统计期限为2023年1月1日至2023年12月31日。"
    assert find_year(text, None) == 2023


def test_partial_period_needs_statistics_in_the_sentence():
    assert is_partial_period("截至11月底,共受理依申请公开件794件。")
    assert not is_partial_period("截至11月底,共清理僵尸账号1个。全年共受理依申请公开件794件。")
    assert not is_partial_period("截至12月31日,共受理申请5件。")
