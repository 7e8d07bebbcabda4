"""A CMS page's publication date lives in its <meta> tags (TRS PubDate, Hanweb firstpublishedtime)."""

import pytest

from extract import extract_bytes

_PAGE = """<html><head><meta name="{name}" content="{value}">
<title>某县人民政府2023年政府信息公开工作年度报告</title></head>
<body><h1>某县人民政府2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>2023年，本县收到政府信息公开申请5件。</p></body></html>"""


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("PubDate", "2024-03-08 15:34", "2024-03-08"),
    ("firstpublishedtime", "2024-1-9 09:00:00", "2024-01-09"),
    ("publishdate", "2024年01月19日", "2024-01-19"),
])
def test_published_from_meta(name, value, expected):
    e = extract_bytes(_PAGE.format(name=name, value=value).encode(), "page.html", filename="page.html")
    assert e.document.published == expected


def test_no_meta_no_date_invented():
    page = _PAGE.replace('<meta name="{name}" content="{value}">', "")
    assert extract_bytes(page.encode(), "page.html", filename="page.html").document.published is None


def test_the_real_pingtan_page_gives_its_date():
    from pathlib import Path

    path = Path(__file__).parent.parent / "samples" / "corpus" / "holdout" / "pingtan_region_2023.html"
    assert extract_bytes(path.read_bytes(), str(path), filename=path.name).document.published == "2024-03-08"
