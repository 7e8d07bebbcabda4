"""Listing adapters on markup alone: each platform's page → its links and its further page requests."""

from urllib.parse import parse_qsl, urlsplit

from platform_sites import JCMS_AGENCY, JCMS_COLUMN, JCMS_FORM, JCMS_PROXIES, jcms_records, jcms_resources

from fetching.crawl import in_years, report_links
from fetching.listings import ListingDoc, jcms, paged, read_listing, trs
from fetching.webpage import Link, PageRequest

HOST = "http://www.linping.gov.cn"
COLUMN = HOST + JCMS_COLUMN


def _doc(text: str, url: str = COLUMN, form=None) -> ListingDoc:
    return ListingDoc(url=url, text=text, listing_url=url, form=form)


def _ranges(requests: list[PageRequest]) -> list[tuple[str, int, int, int]]:
    out = []
    for r in requests:
        q = dict(parse_qsl(urlsplit(r.url).query))
        out.append((urlsplit(r.url).path, int(q["startrecord"]), int(q["endrecord"]), int(q["perpage"])))
    return out


# --- JCMS -------------------------------------------------------------------------------------------

def test_jcms_column_page_gives_inline_records_and_posts_for_the_rest():
    for proxy in JCMS_PROXIES:
        resources, _ = jcms_resources(proxy)
        listing = jcms.read(_doc(resources[JCMS_COLUMN].body.decode()))
        records = jcms_records()
        assert listing.platform == "jcms"
        assert [link.url for link in listing.links] == [HOST + r.path for r in records[:3]]
        assert listing.links[0].title == records[0].title and listing.links[0].date == records[0].date
        # 24 records, 3 inline, groups of perPage 3 × groupSize 2 = 6 records per POST
        assert _ranges(listing.more) == [(proxy, 4, 9, 3), (proxy, 10, 15, 3), (proxy, 16, 21, 3),
                                         (proxy, 22, 24, 3)]
        assert all(dict(r.form) == JCMS_FORM for r in listing.more)
        assert [k for k, _ in listing.more[0].form] == list(jcms.FORM_KEYS)  # the platform's order


def test_jcms_params_from_the_jpage_call_when_there_is_no_nextgroup():
    page = f"""<html><body><div id="4410821"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2025/1/9/art_1229063423_1.html">{JCMS_AGENCY}2024年政府信息公开工作年度报告</a>
<span>2025-01-09</span></li>]]></record></recordset></datastore></script></div>
<script>$(document).ready(function(){{ $('#4410821').jpage({{ dataStore: dataStore, totalRecord: 7, perPage: 2,
 webid: '81', path: '/', webname: '{JCMS_AGENCY}', proxyUrl: '/module/jslib/jquery/jpage/dataproxy.jsp' }}); }});
</script></body></html>"""
    listing = jcms.read(_doc(page, HOST + "/col/col1229063423/index.html"))
    assert _ranges(listing.more) == [("/module/jslib/jquery/jpage/dataproxy.jsp", 2, 7, 2)]
    form = dict(listing.more[0].form)
    assert form["unitid"] == "4410821" and form["columnid"] == "1229063423"  # from the element id and the URL
    assert form["webid"] == "81" and form["webname"] == JCMS_AGENCY and form["col"] == "1"


def test_jcms_without_the_columns_form_keeps_the_inline_records_only():
    page = """<script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2025/1/9/art_1_1.html">某局2024年政府信息公开工作年度报告</a></li>]]></record>
</recordset></datastore></script><script>$('#77').jpage({ totalRecord: 30, perPage: 15 });</script>"""
    listing = jcms.read(_doc(page, HOST + "/list.html"))
    assert [link.title for link in listing.links] == ["某局2024年政府信息公开工作年度报告"] and listing.more == []


def test_jcms_proxy_answer_gives_records_and_asks_for_the_next_group_only_without_a_total():
    records = "".join(f'<record><![CDATA[<li><a href="/art/2019/1/{i}/art_1_{i}.html">报告{i}</a></li>]]></record>'
                      for i in range(1, 7))
    url = HOST + "/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=9&perpage=3"
    form = tuple(JCMS_FORM.items())
    with_total = jcms.read(_doc(f"<datastore><totalrecord>24</totalrecord><recordset>{records}</recordset>"
                                "</datastore>", url, form))
    assert len(with_total.links) == 6
    assert _ranges(with_total.more)[0] == ("/module/web/jpage/dataproxy.jsp", 10, 15, 3)
    without = jcms.read(_doc(f"<datastore><recordset>{records}</recordset></datastore>", url, form))
    assert _ranges(without.more) == [("/module/web/jpage/dataproxy.jsp", 10, 15, 3)]
    short = jcms.read(_doc(f"<datastore><recordset>{records[:200]}</recordset></datastore>", url, form))
    assert short.more == []  # a group that came back short is the last one
    assert jcms.read(_doc("<html><body>plain</body></html>")) is None


# --- TRS --------------------------------------------------------------------------------------------

def test_trs_create_page_html_with_variables_and_with_literals():
    base = HOST + "/zwgk/zfxxgk/ndbg/index.html"
    page = """<script>var currentPage = 0;//所在页从0开始
var countPage = 4//共多少页
createPageHTML(countPage, currentPage, "index", "html");</script>"""
    listing = trs.read(_doc(page, base))
    assert [r.url for r in listing.more] == [HOST + f"/zwgk/zfxxgk/ndbg/index_{n}.html" for n in (1, 2, 3)]
    newer = trs.read(_doc("<script>createPageHTML('page_div', 3, 1, 'list', 'shtml', 41);</script>", base))
    assert [r.url for r in newer.more] == [HOST + f"/zwgk/zfxxgk/ndbg/list_{n}.shtml" for n in (1, 2)]
    assert trs.read(_doc("<script>createPageHTML(countPage, 0, 'index', 'html');</script>", base)).more == []
    assert trs.read(_doc("<script>createPageHTML(9, 0, '../../etc', 'html');</script>", base)).more == []
    assert trs.read(_doc("<a href='index_1.html'>2</a>", base)) is None


# --- plain paging and the fallback ------------------------------------------------------------------

def test_plain_paging_and_generic_links_are_merged():
    page = """<ul><li><a href="/art/1.html">某局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>
<li><a href="/art/2.html">某局政府信息公开工作年度报告</a> 2014/1/31</li></ul>
<div><a href="index_2.html">下一页</a> <a href="/other/index_3.html">3</a></div>"""
    listing = read_listing(_doc(page, HOST + "/col/col1/index.html"))
    assert listing.platform == "paged"
    assert [r.url for r in listing.more] == [HOST + "/col/col1/index_2.html"]
    assert [(link.url.rsplit("/", 1)[1], link.date) for link in listing.links[:2]] == [
        ("1.html", "2024-01-20"), ("2.html", "2014-01-31")]
    assert paged.read(_doc("<a href='/x.html'>x</a>")) is None
    # a report title without a year: the date beside the link decides
    kept = report_links(listing.links, (2018, 2025))
    assert [link.url.rsplit("/", 1)[1] for link in kept] == ["1.html"]
    assert in_years(Link("u", "某局政府信息公开工作年度报告", "2020-02-01"), (2018, 2018))
    assert not in_years(Link("u", "某局政府信息公开工作年度报告", "2017-02-01"), (2018, 2025))
    assert in_years(Link("u", "某局政府信息公开工作年度报告"), (2018, 2025))  # no year, no date: kept
