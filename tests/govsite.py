"""A local web site that behaves like a government site's annual-report column, for fetch tests.

`GovSite` serves, on 127.0.0.1 and a free port:

    /col/col1229063423/index.html    listing page 1 (UTF-8, charset in the header): the 2024 report of
                                     杭州市人民政府办公厅, a 2017 report (outside the test years), a work
                                     plan, an off-site report link, a file: link, a report that is 404,
                                     page numbers 1 2 and 下一页
    /col/col1229063423/index_2.html  listing page 2 (JCMS style: links inside <script type="text/xml">
                                     CDATA records, relative hrefs): the GBK report (charset only in
                                     <meta>), the 淮安 report page with its PDF attachment, a report that
                                     answers 500 once, one slower than the timeout, one redirected to a
                                     foreign host, one whose attachments are oversized; 上一页 back
    /module/download/downfile.jsp?…filename=szfgs2024.pdf   the real huaian_city_2024.pdf bytes,
                                     served as application/octet-stream, Last-Modified but no ETag
    /files/big.pdf, /files/stream.docx   oversized (with and without Content-Length)

Every 200 carries Last-Modified; pages carry an ETag; If-None-Match / If-Modified-Since give 304.
Report pages are built from the real sample documents in samples/corpus/real.

Use `with GovSite() as site:` or the `govsite` fixture (import it into a test module). The site
counts requests per path (`hits`), keeps every request's headers (`requests`), tracks the most requests
in flight at once (`max_in_flight`), lets a test change a page (`update`), and writes a catalogue
pointing at itself (`write_catalogue`).
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "samples" / "corpus" / "real"

LISTING = "/col/col1229063423/index.html"
LISTING_2 = "/col/col1229063423/index_2.html"
GOVOFFICE = "/art/2025/1/21/art_1229063423_4328697.html"
GOVOFFICE_TITLE = "杭州市人民政府办公厅2024年政府信息公开工作年度报告"
CITY_2017 = "/art/2018/3/28/art_1229497170_3845568.html"
PLAN = "/art/2024/3/1/art_1229063423_plan.html"
MISSING = "/art/2024/1/11/art_1229063423_404.html"
CHENGGUAN = "/art/2024/1/22/art_1229473546_88138.html"
CHENGGUAN_TITLE = "杭州市城市管理局2023年度政府信息公开工作年度报告"
HUAIAN = "/art/2025/2/1/art_1229063423_huaian.html"
HUAIAN_TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"
HUAIAN_PDF = "/module/download/downfile.jsp?classid=0&filename=szfgs2024.pdf"
YIWU = "/art/2023/1/11/art_1229134232_4052272.html"
YIWU_TITLE = "义乌市廿三里街道办事处2022年政府信息公开工作年度报告"
SLOW = "/art/2022/1/5/art_1229063423_slow.html"
MOVED = "/art/2021/1/5/art_1229063423_moved.html"
BIG_PAGE = "/art/2020/1/5/art_1229063423_big.html"
BIG_PDF = "/files/big.pdf"
BIG_STREAM = "/files/stream.docx"
FOREIGN = "/elsewhere.html"

LAST_MODIFIED = "Tue, 21 Jan 2025 08:00:00 GMT"
SLOW_SECONDS = 1.5
BIG_SIZE = 2 * 1024 * 1024


def report_html(title: str, text: str, *, meta_charset: str | None = None, extra: str = "") -> str:
    """A report page the way these sites render them: title, metadata, the text in paragraphs."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">' if meta_charset else ""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (f"<!DOCTYPE html>\n<html><head>{meta}<title>{html.escape(title)}</title></head><body>\n"
            f'<div class="main"><h1>{html.escape(title)}</h1>\n<div id="zoom">\n{paragraphs}\n</div>'
            f"{extra}</div></body></html>\n")


def _listing_1() -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<ul class="list">
 <li><a href="{GOVOFFICE}" title="{GOVOFFICE_TITLE}" target="_blank">杭州市人民政府办公厅2024年政府信息公开…</a>
     <span>2025-01-21</span></li>
 <li><a href="../..{CITY_2017}">杭州市人民政府2017年政府信息公开工作年度报告</a><span>2018-03-28</span></li>
 <li><a href="{PLAN}">杭州市2024年政务公开工作要点</a><span>2024-03-01</span></li>
 <li><a href="http://www.gov.cn/zhengce/content/2024_report.html">国务院办公厅2023年政府信息公开工作年度报告</a></li>
 <li><a href="file:///etc/passwd">2023年政府信息公开工作年度报告（本地）</a></li>
 <li><a href="{MISSING}#top">杭州市某局2023年政府信息公开工作年度报告</a></li>
</ul>
<div class="pages"><a href="index.html">1</a> <a href="index_2.html">2</a> <a href="index_2.html">下一页</a></div>
</body></html>"""


def _listing_2() -> str:
    records = [
        (CHENGGUAN, CHENGGUAN_TITLE),
        (HUAIAN, HUAIAN_TITLE),
        (YIWU, YIWU_TITLE),
        (SLOW, "杭州市某委2021年政府信息公开工作年度报告"),
        (MOVED, "杭州市某办2020年政府信息公开工作年度报告"),
        (BIG_PAGE, "杭州市某处2019年政府信息公开工作年度报告"),
    ]
    # JCMS column pages keep their list in CDATA records inside a text/xml script block.
    cdata = "".join(f'<record><![CDATA[<li><a href="../..{href}" title="{title}">{title}</a></li>]]></record>'
                    for href, title in records)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div id="list"><script type="text/xml"><datastore><recordset>{cdata}</recordset></datastore></script></div>
<div class="pages"><a href="index.html">上一页</a> <a href="index.html">1</a> <a href="index_2.html">2</a></div>
</body></html>"""


@dataclass
class Resource:
    body: bytes
    content_type: str
    etag: bool = True
    content_length: bool = True
    fail_first: int = 0  # answer `fail_status` to this many requests before the real body
    delay: float = 0.0
    fail_status: int = 500
    fail_headers: dict[str, str] = field(default_factory=dict)  # e.g. Retry-After with a 429


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int = 0
    method: str = "GET"
    form: dict[str, str] = field(default_factory=dict)  # a POST's urlencoded body
    at: float = 0.0  # time.monotonic() when it arrived


# A dynamic page: called with the request, returns (status, headers, body). Keyed by path without query.
Route = Callable[[Request], tuple[int, dict[str, str], bytes]]


@dataclass
class _State:
    resources: dict[str, Resource]
    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    requests: list[Request] = field(default_factory=list)
    robots_requests: list[Request] = field(default_factory=list)  # /robots.txt, kept apart from `requests`
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def default_resources() -> dict[str, Resource]:
    govoffice = report_html(GOVOFFICE_TITLE, (REAL / "hangzhou_govoffice_2024.txt").read_text("utf-8"))
    chengguan = report_html(CHENGGUAN_TITLE, (REAL / "hangzhou_chengguan_2023.txt").read_text("utf-8"),
                            meta_charset="gb2312").encode("gbk")
    yiwu = report_html(YIWU_TITLE, (REAL / "yiwu_niansanli_2022.txt").read_text("utf-8"))
    huaian = report_html(HUAIAN_TITLE, "淮安市人民政府2024年政府信息公开工作年度报告全文见附件。", extra=(
        f'<p>附件：<a href="{HUAIAN_PDF}">淮安市人民政府2024年政府信息公开工作年度报告.pdf</a></p>'))
    big = report_html("杭州市某处2019年政府信息公开工作年度报告", "全文见附件。", extra=(
        f'<a href="{BIG_PDF}">附件1</a> <a href="{BIG_STREAM}">附件2</a>'))
    html_utf8 = "text/html; charset=utf-8"
    return {
        LISTING: Resource(_listing_1().encode("utf-8"), html_utf8),
        LISTING_2: Resource(_listing_2().encode("utf-8"), "text/html"),
        GOVOFFICE: Resource(govoffice.encode("utf-8"), html_utf8),
        CITY_2017: Resource(report_html("2017", "2017").encode("utf-8"), html_utf8),
        PLAN: Resource(report_html("plan", "plan").encode("utf-8"), html_utf8),
        CHENGGUAN: Resource(chengguan, "text/html"),
        HUAIAN: Resource(huaian.encode("utf-8"), html_utf8),
        HUAIAN_PDF: Resource((REAL / "huaian_city_2024.pdf").read_bytes(), "application/octet-stream", etag=False),
        YIWU: Resource(yiwu.encode("utf-8"), html_utf8, fail_first=1),
        SLOW: Resource(report_html("slow", "slow").encode("utf-8"), html_utf8, delay=SLOW_SECONDS),
        BIG_PAGE: Resource(big.encode("utf-8"), html_utf8),
        BIG_PDF: Resource(b"%PDF-1.4\n" + b"0" * BIG_SIZE, "application/pdf"),
        BIG_STREAM: Resource(b"PK\x03\x04" + b"0" * BIG_SIZE, "application/octet-stream", content_length=False),
        FOREIGN: Resource(b"<html>elsewhere</html>", html_utf8),
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "gov-cms/1.0"
    state: _State  # set on the subclass each site makes
    _record: Request

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — quiet test output
        pass

    def do_POST(self) -> None:  # noqa: N802 — http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)).decode("utf-8", "replace")
        self.do_GET(method="POST", form=dict(parse_qsl(body, keep_blank_values=True)))

    def do_GET(self, method: str = "GET", form: dict[str, str] | None = None) -> None:  # noqa: N802
        state = self.state
        record = self._record = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, method=method,
                                        form=form or {}, at=time.monotonic())
        if self.path == "/robots.txt" and "/robots.txt" not in state.routes:
            with state.lock:
                state.robots_requests.append(record)
            try:
                self._answer(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        with state.lock:
            state.hits[self.path] += 1
            count = state.hits[self.path]
            state.requests.append(record)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self._answer(count)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)
        finally:
            with state.lock:
                state.in_flight -= 1

    def _answer(self, count: int) -> int:
        route = self.state.routes.get(self.path.split("?", 1)[0])
        if route is not None:
            status, headers, body = route(self._record)
            return self._send(status, body, headers)
        if self.path == MOVED:
            host = f"localhost:{self.server.server_address[1]}"
            return self._send(302, b"", {"Location": f"http://{host}{FOREIGN}"})
        resource = self.state.resources.get(self.path)
        if resource is None:
            return self._send(404, "<html>页面不存在</html>".encode(), {"Content-Type": "text/html; charset=utf-8"})
        if count <= resource.fail_first:
            return self._send(resource.fail_status, b"<html>Server busy</html>",
                              {"Content-Type": "text/html"} | resource.fail_headers)
        if resource.delay:
            time.sleep(resource.delay)
        etag = f'"{hashlib.sha1(resource.body).hexdigest()[:16]}"' if resource.etag else None
        headers = {"Content-Type": resource.content_type, "Last-Modified": LAST_MODIFIED}
        if etag:
            headers["ETag"] = etag
        if self._not_modified(etag):
            return self._send(304, b"", {k: v for k, v in headers.items() if k != "Content-Type"})
        return self._send(200, resource.body, headers, content_length=resource.content_length)

    def _not_modified(self, etag: str | None) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag is not None and etag in [t.strip() for t in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, body: bytes, headers: dict[str, str], content_length: bool = True) -> int:
        self.send_response(status)
        self.send_header("Date", formatdate(usegmt=True))
        for name, value in headers.items():
            self.send_header(name, value)
        if content_length and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self._record.status = status  # before the body: a client may abort it (size cap, timeout)
        if status != 304:
            self.wfile.write(body)
        return status


class GovSite:
    """The site, started on enter and stopped on exit."""

    def __init__(self, resources: dict[str, Resource] | None = None, routes: dict[str, Route] | None = None) -> None:
        self.state = _State(resources if resources is not None else default_resources(), dict(routes or {}))
        handler = type("Handler", (_Handler,), {"state": self.state, "protocol_version": "HTTP/1.1"})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def __enter__(self) -> GovSite:
        from fetching.robots import CACHE

        # robots.txt rules are cached per run id and site; tests reuse run ids and the OS reuses ports
        CACHE.__init__()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def hits(self) -> Counter:
        return self.state.hits

    @property
    def requests(self) -> list[Request]:
        return self.state.requests

    @property
    def max_in_flight(self) -> int:
        return self.state.max_in_flight

    def body(self, path: str) -> bytes:
        return self.state.resources[path].body

    def update(self, path: str, body: bytes) -> None:
        """Change a page's bytes (its ETag changes with them)."""
        with self.state.lock:
            self.state.resources[path].body = body

    def reset_counts(self) -> None:
        with self.state.lock:
            self.state.hits.clear()
            self.state.requests.clear()
            self.state.robots_requests.clear()
            self.state.max_in_flight = 0

    @property
    def robots_requests(self) -> list[Request]:
        return self.state.robots_requests

    def write_catalogue(self, path: Path, *, listing: list[str] | None = None, **kw: object) -> Path:
        """A catalogue with one source on this site (listing page 1 unless told); see `write_catalogue`."""
        return write_catalogue(path, listing=listing if listing is not None else [self.url(LISTING)], **kw)


def write_catalogue(path: Path, *, listing: list[str], reports: list[str] | None = None,
                    agency: str = "杭州市人民政府办公厅", name: str = "hangzhou_site",
                    allow_other_agencies: bool = True, **settings: object) -> Path:
    """Write a one-source catalogue with test-friendly settings (private addresses allowed, short
    timeouts, small backoff, 1 MB size cap); keyword `settings` override them. The site's column lists
    several agencies' reports (杭州, 淮安, 义乌 …), like a city portal's, so by default the entry may
    report for any agency (`allow_other_agencies`, the provenance rule of issue 10)."""
    values: dict[str, object] = {
        "user_agent": "ogi-warehouse-test/0.1 (+https://example.org/ogi)",
        "years": [2018, 2025],
        "allow_private_addresses": True,
        "timeout_s": 0.5,
        "connect_timeout_s": 0.5,
        "retries": 2,
        "backoff_base_s": 0.01,
        "backoff_max_s": 0.05,
        "per_host_rate": 200,
        "per_host_concurrency": 4,
        "max_bytes": 1024 * 1024,
    } | settings
    source: dict[str, object] = {"name": name, "agency": agency, "listing": listing,
                                 "allow_other_agencies": allow_other_agencies}
    if reports:
        source["reports"] = reports
    path.write_text(yaml.safe_dump({"settings": values, "sources": [source]}, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def govsite():
    """A running `GovSite`; stopped after the test."""
    with GovSite() as site:
        yield site

