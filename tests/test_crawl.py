"""Listing pages → report links → reports and attachments, on the local government site."""

import hashlib
from dataclasses import replace

from govsite import (
    BIG_PAGE,
    BIG_PDF,
    BIG_STREAM,
    CHENGGUAN,
    CHENGGUAN_TITLE,
    CITY_2017,
    GOVOFFICE,
    GOVOFFICE_TITLE,
    HUAIAN,
    HUAIAN_PDF,
    HUAIAN_TITLE,
    LISTING,
    LISTING_2,
    MISSING,
    MOVED,
    PLAN,
    REAL,
    SLOW,
    YIWU,
    YIWU_TITLE,
    govsite,  # noqa: F401 — the fixture
    report_html,
)

from extract.formats import PDF
from fetching.catalogue import load_catalogue
from fetching.crawl import (
    Link,
    attachment_links,
    decode_html,
    is_report_title,
    next_pages,
    page_links,
    report_links,
    title_year,
)
from fetching.fetch import Validator, fetch_source
from fetching.store import RawStore

BASE = "http://www.hangzhou.gov.cn/col/col1229063423/index.html"


# --- parsing ----------------------------------------------------------------------------------------

def test_report_titles_and_years():
    assert is_report_title(GOVOFFICE_TITLE) and title_year(GOVOFFICE_TITLE) == 2024
    assert is_report_title(CHENGGUAN_TITLE) and title_year(CHENGGUAN_TITLE) == 2023  # 2023年度
    assert is_report_title("武汉市生态环境局2020年政府信息公開工作年度報告")
    assert is_report_title("沭阳县发展和改革局2023年政府信息公开工作总结")
    assert is_report_title("浙江省人民政府2014年政府信息公开年报")
    assert not is_report_title("杭州市2024年政务公开工作要点")
    assert not is_report_title("关于印发《2024年政府信息公开工作计划》的通知")
    assert not is_report_title("杭州市2023年国民经济和社会发展统计公报")
    links = [Link("http://a/1", GOVOFFICE_TITLE), Link("http://a/2", "杭州市人民政府2017年政府信息公开工作年度报告"),
             Link("http://a/3", "政府信息公开工作年度报告"), Link("http://a/4", "杭州市2024年政务公开工作要点")]
    assert [link.url for link in report_links(links, (2018, 2025))] == ["http://a/1", "http://a/3"]


def test_links_resolved_titles_and_jcms_records():
    page = f"""<html><head><base href="/col/col1229063423/"></head><body>
      <a href="index_2.html">下一页</a>
      <a href="../../art/2025/1/21/art_1.html#top" title="{GOVOFFICE_TITLE}">杭州市人民政府办公厅2024年…</a>
      <a href="javascript:void(0)">打印</a> <a href="#">顶部</a>
      <script type="text/xml"><datastore><recordset>
        <record><![CDATA[<li><a href="/art/2024/1/22/art_2.html">{CHENGGUAN_TITLE}</a></li>]]></record>
      </recordset></datastore></script></body></html>""".encode()
    links = page_links(page, BASE)
    assert links == [
        Link("http://www.hangzhou.gov.cn/col/col1229063423/index_2.html", "下一页"),
        Link("http://www.hangzhou.gov.cn/art/2025/1/21/art_1.html", GOVOFFICE_TITLE),
        Link("http://www.hangzhou.gov.cn/art/2024/1/22/art_2.html", CHENGGUAN_TITLE),
    ]
    assert next_pages(links, BASE, BASE) == ["http://www.hangzhou.gov.cn/col/col1229063423/index_2.html"]
    numbered = [Link("http://www.hangzhou.gov.cn/col/col1229063423/index_3.html", "3"),
                Link("http://www.hangzhou.gov.cn/col/other/index_3.html", "3"),
                Link("http://www.hangzhou.gov.cn/col/col1229063423/page_4.shtml", "4")]
    assert next_pages(numbered, BASE, BASE) == [numbered[0].url, numbered[2].url]


def test_gbk_page_with_charset_only_in_meta():
    text = (REAL / "hangzhou_chengguan_2023.txt").read_text("utf-8")
    data = report_html(CHENGGUAN_TITLE, text, meta_charset="gb2312").encode("gbk")
    assert "杭州市城市管理局" in decode_html(data)
    assert "杭州市城市管理局" in decode_html(data, "utf-8")  # a wrong header charset falls back to <meta>
    extra = f'<a href="/d.pdf">{CHENGGUAN_TITLE}.pdf</a>'
    links = page_links(report_html(CHENGGUAN_TITLE, text, meta_charset="gbk", extra=extra).encode("gbk"), BASE)
    assert links == [Link("http://www.hangzhou.gov.cn/d.pdf", CHENGGUAN_TITLE + ".pdf")]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE", encoding="utf-8")
    page = f"""<?xml version="1.0" encoding="gb2312"?>
<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><a href="/a.html">{GOVOFFICE_TITLE}&x;</a></body></html>"""
    [link] = page_links(page.encode("gbk"), BASE)
    assert link.url == "http://www.hangzhou.gov.cn/a.html" and "SECRET" not in link.title
    assert link.title.startswith(GOVOFFICE_TITLE)  # the GBK page behind an XML declaration decodes


def test_attachment_links():
    links = [Link("http://a/files/report.PDF", "附件"), Link("http://a/dl.jsp?classid=0&filename=szfgs2024.pdf", ""),
             Link("http://a/dl.jsp?id=7", "年度报告.docx"), Link("http://a/files/%E6%8A%A5%E5%91%8A.doc", ""),
             Link("http://a/art/1.html", "年度报告"), Link("http://a/files/x.wps", "")]
    assert [link.url for link in attachment_links(links)] == [link.url for link in links[:4]]


# --- the whole source against the site --------------------------------------------------------------

def _log(result, site):
    """The log without the robots.txt request (tests/test_listings_sites.py covers that one)."""
    return [(e.url.replace(site.base_url, ""), e.status, e.error) for e in result.log
            if not e.url.endswith("/robots.txt")]


def test_fetch_source_crawls_the_site(govsite, tmp_path):  # noqa: F811
    catalogue = load_catalogue(govsite.write_catalogue(tmp_path / "sources.yaml"))
    store = RawStore(tmp_path / "store")
    result = fetch_source(catalogue.sources[0], catalogue.settings, store, run_id="run-1")

    docs = {d.url.replace(govsite.base_url, ""): d for d in result.documents}
    assert list(docs) == [GOVOFFICE, CHENGGUAN, HUAIAN, YIWU, BIG_PAGE, HUAIAN_PDF]
    for path, doc in docs.items():
        assert store.get(doc.document_id) == govsite.body(path)
        assert doc.document_id == hashlib.sha256(govsite.body(path)).hexdigest()
        assert doc.size == len(govsite.body(path))
        assert (doc.source, doc.agency, doc.unchanged) == ("hangzhou_site", "杭州市人民政府办公厅", False)
    assert docs[GOVOFFICE].title == GOVOFFICE_TITLE and docs[GOVOFFICE].charset == "utf-8"
    assert docs[GOVOFFICE].referrer == govsite.url(LISTING)
    assert docs[CHENGGUAN].charset is None and docs[CHENGGUAN].media_type == "text/html"
    assert "杭州市城市管理局" in store.get(docs[CHENGGUAN].document_id).decode("gbk")
    assert docs[YIWU].title == YIWU_TITLE and docs[YIWU].referrer == govsite.url(LISTING_2)
    pdf = docs[HUAIAN_PDF]
    assert pdf.media_type == PDF and store.get(pdf.document_id) == (REAL / "huaian_city_2024.pdf").read_bytes()
    assert pdf.title == HUAIAN_TITLE + ".pdf" and pdf.referrer == govsite.url(HUAIAN)
    assert pdf.etag is None and pdf.last_modified == "Tue, 21 Jan 2025 08:00:00 GMT"

    log = _log(result, govsite)
    assert log[:2] == [(LISTING, 200, None), (LISTING_2, 200, None)]
    assert ("http://www.gov.cn/zhengce/content/2024_report.html", None,
            "refused: host www.gov.cn is not one of the source's hosts") in log
    assert ("file:///etc/passwd", None, "refused: scheme file: is not http or https") in log
    assert (MISSING, 404, "HTTP 404") in log
    assert [row for row in log if row[0] == YIWU] == [(YIWU, 500, "HTTP 500"), (YIWU, 200, None)]
    assert [row for row in log if row[0] == SLOW] == [(SLOW, None, "timeout: ReadTimeout")] * 3
    assert [row[1:] for row in log if row[0] == MOVED] == [
        (302, f"refused: redirect to http://localhost:{govsite.base_url.rsplit(':', 1)[1]}/elsewhere.html: "
              "host localhost is not one of the source's hosts")]
    assert (BIG_PDF, 200, "too large: more than 1048576 bytes") in log
    assert (BIG_STREAM, 200, "too large: more than 1048576 bytes") in log
    assert govsite.hits[CITY_2017] == govsite.hits[PLAN] == govsite.hits["/elsewhere.html"] == 0
    assert govsite.hits[LISTING] == govsite.hits[LISTING_2] == 1  # pagination loops are cut
    agents = {r.headers["user-agent"] for r in govsite.requests}
    assert agents == {"ogi-warehouse-test/0.1 (+https://example.org/ogi)"}
    # Off-site links are logged but are not the source's failures; the 404, timeout, refused redirect
    # and two oversized attachments are.
    assert result.error == f"5 of 15 failed; first: {govsite.url(MISSING)}: HTTP 404"
    assert len(result.log) == 19  # robots.txt, 15 URLs, 2 retried after a 500 / timeouts
    assert (result.log[0].url, result.log[0].status, result.log[0].error) == (govsite.url("/robots.txt"), 404,
                                                                    "no robots.txt (HTTP 404): everything allowed")


def test_second_pass_costs_one_304_per_unchanged_url(govsite, tmp_path):  # noqa: F811
    catalogue = load_catalogue(govsite.write_catalogue(tmp_path / "sources.yaml", retries=0))
    source, settings = catalogue.sources[0], catalogue.settings
    store = RawStore(tmp_path / "store")
    first = fetch_source(source, settings, store, run_id="run-1")
    # What the lead reads back from raw.fetch_log: the latest row with a document per URL.
    known = {e.url: Validator(e.etag, e.last_modified, e.document_id) for e in first.log if e.document_id}
    assert govsite.url(LISTING) in known and govsite.url(HUAIAN_PDF) in known
    changed = govsite.body(CHENGGUAN).replace("2023年,市城管".encode("gbk"), "2023年，市城管".encode("gbk"))
    assert changed != govsite.body(CHENGGUAN)
    govsite.update(CHENGGUAN, changed)
    govsite.reset_counts()

    second = fetch_source(source, settings, store, run_id="run-2", known=known)
    statuses = {e.url.replace(govsite.base_url, ""): e.status for e in second.log}
    assert statuses[LISTING] == statuses[LISTING_2] == statuses[GOVOFFICE] == statuses[HUAIAN_PDF] == 304
    assert statuses[CHENGGUAN] == 200
    before = {d.url: d for d in first.documents}
    for doc in second.documents:
        path = doc.url.replace(govsite.base_url, "")
        if path == CHENGGUAN:
            assert not doc.unchanged and doc.document_id != before[doc.url].document_id
            assert doc.title == CHENGGUAN_TITLE and doc.media_type == "text/html"
        else:
            assert doc.unchanged and doc.document_id == before[doc.url].document_id, path
    assert {d.url for d in second.documents} == set(before)  # the 304 listings were parsed from the store
    # Full bodies only for the changed page (and the oversized files, which were never stored). The
    # slow page answers 200 after the client gave up, at a moment that depends on the machine's load.
    full = sorted(r.path for r in govsite.requests if r.status == 200 and r.path != SLOW)
    assert full == sorted([CHENGGUAN, BIG_PDF, BIG_STREAM])
    assert all("if-none-match" in r.headers or "if-modified-since" in r.headers
               for r in govsite.requests if r.path in (LISTING, LISTING_2, GOVOFFICE, HUAIAN_PDF))


def test_years_filter_and_direct_report_urls(govsite, tmp_path):  # noqa: F811
    path = govsite.write_catalogue(tmp_path / "sources.yaml", years=[2023, 2024], reports=[govsite.url(CITY_2017)])
    catalogue = load_catalogue(path)
    result = fetch_source(catalogue.sources[0], replace(catalogue.settings, retries=0), RawStore(tmp_path / "s"),
                          run_id="r")
    paths = [d.url.replace(govsite.base_url, "") for d in result.documents]
    # 2024 and 2023 reports only from the listings (2022 and older skipped), plus the direct URL.
    assert paths == [GOVOFFICE, CHENGGUAN, HUAIAN, CITY_2017, HUAIAN_PDF]
    assert govsite.hits[YIWU] == govsite.hits[SLOW] == govsite.hits[BIG_PAGE] == 0


def test_unreachable_site_is_an_error_not_an_exception(tmp_path):
    from govsite import GovSite, write_catalogue

    with GovSite() as site:
        url = site.url(LISTING)  # the site is gone by the time we fetch
    catalogue = load_catalogue(write_catalogue(tmp_path / "sources.yaml", listing=[url]))
    result = fetch_source(catalogue.sources[0], catalogue.settings, RawStore(tmp_path / "s"), run_id="r")
    assert result.documents == []
    # robots.txt cannot be read, so the site is not crawled (RFC 9309), and the error says so
    assert result.error.startswith(f"{url}: refused: robots.txt unreachable (connection error: ")
    assert [(e.url.rsplit("/", 1)[1], e.status) for e in result.log] == [("robots.txt", None)] * 3 + [
        ("index.html", None)]
