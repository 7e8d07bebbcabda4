"""Local sites built like the content platforms real government portals run, for crawl tests.

The markup follows what these platforms' public pages show (written here, not copied):

- `jcms_site(proxy)`: a Hanweb JCMS portal. `/index.html` (portal home, no annual-report link) →
  `/col/col1229000100/index.html` (the 政府信息公开 page, with its 信息公开指南 … 政府信息公开年报 menu) →
  `/col/col1229425374/index.html`, the 年报 column: 3 records inline in a `<datastore>`, the other 21
  only through POSTs to `proxy` (any of the platform's data-proxy paths) with the column's form; a GET
  of the proxy is refused (405), a POST with the wrong form gets an empty datastore. 24 records,
  newest first: two reports a year 2024 … 2013 (one of 2023 a corrected republication), a work plan.
  Report 2022 of 区人民政府 is an HTML page with its PDF attachment; the same PDF is also listed
  directly. robots.txt disallows `/art/2020/` (the 2019 reports) for every agent; the 2020 report of
  区人民政府 answers 429 with Retry-After: 1 once.
- `trs_site()`: a TRS WCM column `/zwgk/zfxxgk/ndbg/index.html` paged by `createPageHTML(countPage, 0,
  "index", "html")` into index_1.html and index_2.html, articles `./YYYYMM/tYYYYMMDD_N.html` with
  `./P0….pdf` attachments; `/zwgk/index.html` is its 政府信息公开 page (menu 信息公开年报). The 2020
  report answers 503 with Retry-After: 1 once; robots.txt disallows `/zwgk/zfxxgk/ndbg/202001/` (the
  2019 report) for ogi-warehouse only.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from govsite import GovSite, Request, Resource, report_html

HTML = "text/html; charset=utf-8"
YEARS = [2018, 2025]  # the catalogue years the tests use

# --- JCMS -------------------------------------------------------------------------------------------

JCMS_HOME = "/index.html"
JCMS_OGI = "/col/col1229000100/index.html"
JCMS_GUIDE = "/col/col1229000101/index.html"
JCMS_COLUMN = "/col/col1229425374/index.html"
JCMS_AGENCY = "杭州市临平区人民政府"
JCMS_FORM = {"col": "1", "appid": "1", "webid": "3185", "path": "/", "columnid": "1229425374",
             "sourceContentType": "1", "unitid": "5023391", "webname": JCMS_AGENCY, "permissiontype": "0"}
JCMS_PROXIES = ("/module/jpage/dataproxy.jsp", "/module/web/jpage/dataproxy.jsp",
                "/module/jslib/jquery/jpage/dataproxy.jsp", "/module/web/jpage/morecolumndataproxy.jsp")
PER_PAGE, GROUP = 3, 2
INLINE = 3
PDF_2022 = "/module/download/downfile.jsp?classid=0&filename=lp2022.pdf"
PDF_BYTES = b"%PDF-1.4\n% 2022 report of the district, as an attachment\n%%EOF\n"


@dataclass(frozen=True)
class Record:
    path: str
    title: str
    date: str
    year: int | None  # the report year, None for a work plan

    def li(self) -> str:
        return (f'<li><a href="{self.path}" target="_blank" title="{html.escape(self.title)}">'
                f'{html.escape(self.title[:24])}</a><span class="bt_time">{self.date}</span></li>')


def jcms_records() -> list[Record]:
    records = []
    n = 4400
    for year in range(2024, 2012, -1):
        for who in (JCMS_AGENCY, "杭州市临平区发展和改革局"):
            n += 1
            published = f"{year + 1}-01-{20 if who == JCMS_AGENCY else 25}"
            path = f"/art/{year + 1}/1/{20 if who == JCMS_AGENCY else 25}/art_1229425374_{n}.html"
            records.append(Record(path, f"{who}{year}年政府信息公开工作年度报告", published, year))
    records.insert(5, Record("/art/2024/6/1/art_1229425374_4399.html",
                             f"{JCMS_AGENCY}2023年政府信息公开工作年度报告（更正）", "2024-06-01", 2023))
    records.insert(9, Record("/art/2023/3/1/art_1229425374_4398.html", "临平区2023年政务公开工作要点",
                             "2023-03-01", None))
    # the 2022 report's PDF, listed directly too
    records.insert(12, Record(PDF_2022, f"{JCMS_AGENCY}2022年政府信息公开工作年度报告.pdf", "2023-01-20", 2022))
    return records[:24]


def _jcms_report(record: Record) -> bytes:
    extra = ""
    if record.title.startswith(f"{JCMS_AGENCY}2022年"):
        extra = f'<p>附件：<a href="{PDF_2022}">{html.escape(record.title)}.pdf</a></p>'
    text = f"{record.title}\n本报告根据《中华人民共和国政府信息公开条例》编制。"
    if "更正" in record.title:
        text += "\n（更正：第三部分表格数字有误，现予更正。）"
    return report_html(record.title, text, extra=extra).encode("utf-8")


def _jcms_column(proxy: str, records: list[Record]) -> bytes:
    nextgroup = (f"{proxy}?page=1&appid=1&webid=3185&path=/&columnid=1229425374&unitid=5023391"
                 f"&webname={quote(JCMS_AGENCY)}&permissiontype=0")
    inline = "\n".join(f"<record><![CDATA[\n{r.li()}\n]]></record>" for r in records[:INLINE])
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>政府信息公开年报 {JCMS_AGENCY}</title>
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
</head><body>
<div class="header"><a href="{JCMS_HOME}">首页</a> &gt;
 <a href="{JCMS_OGI}">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="list-con"><ul class="list">
<div id="5023391"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>
<recordset>
{inline}
</recordset>
</datastore></script></div>
</ul></div>
<script type="text/javascript">
$(document).ready(function() {{
  $('#5023391').jpage({{
    dataStore: dataStore_5023391,
    perPage: {PER_PAGE},
    groupSize: {GROUP},
    totalRecord: {len(records)},
    proxyUrl: '{proxy}',
    barPosition: 'bottom',
    showMode: 'full',
    dataBefore: '<ul class="list">',
    dataAfter: '</ul>'
  }});
}});
</script>
</body></html>""".encode()


def _datastore(records: list[Record], total: int) -> bytes:
    body = "\n".join(f"<record><![CDATA[\n{r.li()}\n]]></record>" for r in records)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
            f"<totalpage>{-(-total // PER_PAGE)}</totalpage>\n<recordset>\n{body}\n</recordset>\n</datastore>\n"
            ).encode()


def _proxy(records: list[Record]):
    def answer(request: Request) -> tuple[int, dict[str, str], bytes]:
        if request.method != "POST":
            return 405, {"Content-Type": HTML, "Allow": "POST"}, b"<html>Method Not Allowed</html>"
        query = dict(parse_qsl(urlsplit(request.path).query))
        if request.form != JCMS_FORM or query.get("perpage") != str(PER_PAGE):
            return 200, {"Content-Type": "text/xml;charset=UTF-8"}, _datastore([], 0)
        start, end = int(query["startrecord"]), int(query["endrecord"])
        return 200, {"Content-Type": "text/xml;charset=UTF-8"}, _datastore(records[start - 1:end], len(records))
    return answer


def _menu_page(title: str, links: list[tuple[str, str]]) -> bytes:
    items = "\n".join(f'<li><a href="{href}" target="_blank">{html.escape(text)}</a></li>' for href, text in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>'
            f'<div class="nav"><ul>{items}</ul></div></body></html>').encode()


def jcms_resources(proxy: str = JCMS_PROXIES[1]) -> tuple[dict[str, Resource], dict]:
    records = jcms_records()
    resources = {
        JCMS_HOME: Resource(_menu_page(f"{JCMS_AGENCY}门户网站", [
            ("/index.html", "首页"), ("/col/col1229000050/index.html", "要闻动态"),
            (JCMS_OGI, "政务公开"), ("/col/col1229000060/index.html", "政民互动"),
            ("/art/2025/1/5/art_1229000050_1.html", "关于做好2024年政府信息公开工作年度报告编制工作的通知")]), HTML),
        JCMS_OGI: Resource(_menu_page(f"政府信息公开 {JCMS_AGENCY}", [
            (JCMS_GUIDE, "政府信息公开指南"), ("/col/col1229000102/index.html", "政府信息公开制度"),
            ("/col/col1229000103/index.html", "法定主动公开内容"), (JCMS_COLUMN, "政府信息公开年报"),
            ("/col/col1229000104/index.html", "依申请公开")]), HTML),
        JCMS_COLUMN: Resource(_jcms_column(proxy, records), HTML),
        PDF_2022: Resource(PDF_BYTES, "application/octet-stream", etag=False),
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /art/2020/\nDisallow: /module/download/private/\n",
                                "text/plain"),
    }
    for record in records:
        if record.path != PDF_2022:
            resources[record.path] = Resource(_jcms_report(record), HTML)
    busy = next(r for r in records if r.title == f"{JCMS_AGENCY}2020年政府信息公开工作年度报告")
    resources[busy.path].fail_first, resources[busy.path].fail_status = 1, 429
    resources[busy.path].fail_headers = {"Retry-After": "1"}
    return resources, {proxy: _proxy(records)}


def jcms_site(proxy: str = JCMS_PROXIES[1]) -> GovSite:
    resources, routes = jcms_resources(proxy)
    return GovSite(resources, routes)


def in_year_jcms(records: list[Record]) -> list[Record]:
    """What a crawl with `YEARS` must fetch: every in-year report that robots.txt allows."""
    return [r for r in records if r.year is not None and YEARS[0] <= r.year <= YEARS[1]
            and not r.path.startswith("/art/2020/")]


# --- TRS WCM ----------------------------------------------------------------------------------------

TRS_OGI = "/zwgk/index.html"
TRS_COLUMN = "/zwgk/zfxxgk/ndbg/index.html"
TRS_FOLDER = "/zwgk/zfxxgk/ndbg/"
TRS_AGENCY = "沭阳县人民政府"


def trs_records() -> list[list[Record]]:
    """Three pages of records, newest first; each report has a PDF attachment beside it."""
    pages: list[list[Record]] = [[], [], []]
    n = 7000
    for i, year in enumerate(range(2024, 2013, -1)):
        n += 1
        folder = f"{year + 1}01"
        path = f"{TRS_FOLDER}{folder}/t{year + 1}0115_{n}.html"
        pages[min(i // 4, 2)].append(Record(path, f"{TRS_AGENCY}{year}年政府信息公开工作年度报告",
                                            f"{year + 1}-01-15", year))
    pages[0].insert(2, Record(f"{TRS_FOLDER}202403/t20240301_6999.html", "沭阳县2024年政务公开工作要点",
                              "2024-03-01", None))
    return pages


def _trs_listing(records: list[Record], page: int, count: int) -> bytes:
    items = "\n".join(
        f'<li><span class="date">{r.date}</span><a href="./{r.path.removeprefix(TRS_FOLDER)}" target="_blank" '
        f'title="{html.escape(r.title)}">{html.escape(r.title)}</a></li>' for r in records)
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>信息公开年报_{TRS_AGENCY}</title></head><body>
<div class="crumb"><a href="../../../">首页</a> &gt; <a href="../../">政府信息公开</a> &gt; 信息公开年报</div>
<ul class="list">{items}</ul>
<div class="page"><script type="text/javascript">
var currentPage = {page};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = {count}//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div>
</body></html>""".encode()


def _trs_report(record: Record) -> tuple[bytes, str, bytes]:
    pdf_name = f"P0{record.path.rsplit('_', 1)[1].split('.')[0]}.pdf"
    extra = f'<div class="fj">附件：<a href="./{pdf_name}">{html.escape(record.title)}.pdf</a></div>'
    page = report_html(record.title, f"{record.title}\n本报告由沭阳县人民政府办公室编制。", extra=extra).encode()
    pdf = b"%PDF-1.4\n% " + record.title.encode() + b"\n%%EOF\n"
    return page, record.path.rsplit("/", 1)[0] + "/" + pdf_name, pdf


def trs_site() -> GovSite:
    pages = trs_records()
    resources = {
        TRS_OGI: Resource(_menu_page(f"政府信息公开_{TRS_AGENCY}", [
            ("./zfxxgk/xxgkzn/index.html", "信息公开指南"), ("./zfxxgk/xxgkzd/index.html", "信息公开制度"),
            ("./zfxxgk/fdzdgknr/index.html", "法定主动公开内容"), ("./zfxxgk/ndbg/index.html", "信息公开年报")]),
            HTML),
        "/robots.txt": Resource(b"User-agent: ogi-warehouse\nDisallow: /zwgk/zfxxgk/ndbg/202001/\n\n"
                                b"User-agent: *\nAllow: /\n", "text/plain"),
    }
    for number, records in enumerate(pages):
        name = "index.html" if number == 0 else f"index_{number}.html"
        resources[TRS_FOLDER + name] = Resource(_trs_listing(records, number, len(pages)), HTML)
        for record in records:
            if record.year is None:
                resources[record.path] = Resource(report_html(record.title, "要点").encode(), HTML)
                continue
            page, pdf_path, pdf = _trs_report(record)
            resources[record.path] = Resource(page, HTML)
            resources[pdf_path] = Resource(pdf, "application/pdf")
    busy = next(r for p in pages for r in p if r.year == 2020)
    resources[busy.path].fail_first, resources[busy.path].fail_status = 1, 503
    resources[busy.path].fail_headers = {"Retry-After": "1"}
    return GovSite(resources)


def in_year_trs() -> list[Record]:
    return [r for p in trs_records() for r in p if r.year is not None and YEARS[0] <= r.year <= YEARS[1]
            and not r.path.startswith(f"{TRS_FOLDER}202001/")]
