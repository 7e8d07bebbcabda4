"""The HTTP client, the raw store and local paths, against the local government site (tests/govsite.py)."""

import hashlib
import io
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from govsite import (
    BIG_PDF,
    BIG_STREAM,
    GOVOFFICE,
    HUAIAN_PDF,
    LAST_MODIFIED,
    MISSING,
    MOVED,
    REAL,
    SLOW,
    YIWU,
    GovSite,
    govsite,  # noqa: F401 — the fixture
)

from extract.formats import DOC, DOCX, PDF, sniff
from fetching.catalogue import Settings, Source
from fetching.fetch import (
    HostGate,
    HttpClient,
    Validator,
    fetch_source,
    local_files,
)
from fetching.robots import Rules
from fetching.safety import Refused, check_url, is_public
from fetching.store import RawStore

PDF_BYTES = (REAL / "huaian_city_2024.pdf").read_bytes()
FAST = Settings(user_agent="ogi-warehouse-test/0.1", allow_private_addresses=True, timeout_s=0.5,
                connect_timeout_s=0.5, retries=2, backoff_base_s=0.01, backoff_max_s=0.05, per_host_rate=200,
                per_host_concurrency=4, max_bytes=1024 * 1024)


class AllowAll:
    """A robots.txt cache that allows everything without a request: these tests are about HTTP."""

    def rules(self, run_id: str, site: str, fetch: object) -> Rules:
        return Rules()


def client(site: GovSite, store: RawStore, settings: Settings = FAST, **kw) -> HttpClient:
    return HttpClient(settings, hosts=frozenset({"127.0.0.1"}), store=store, run_id="run-1",
                      source_name="hangzhou_site", robots_cache=AllowAll(), **kw)


# --- raw store --------------------------------------------------------------------------------------

def test_store_is_content_addressed_idempotent_and_checks_ids(tmp_path):
    store = RawStore(tmp_path / "store")
    doc_id = store.put(PDF_BYTES)
    assert doc_id == hashlib.sha256(PDF_BYTES).hexdigest()
    assert store.path(doc_id) == tmp_path / "store" / doc_id[:2] / doc_id
    mtime = store.path(doc_id).stat().st_mtime_ns
    assert store.put(PDF_BYTES) == doc_id and store.path(doc_id).stat().st_mtime_ns == mtime
    assert store.has(doc_id) and store.get(doc_id) == PDF_BYTES
    assert not any(p.name.startswith(".tmp-") for p in store.path(doc_id).parent.iterdir())
    store.put_meta(doc_id, {"media_type": PDF, "charset": None})
    store.put_meta(doc_id, {"media_type": "text/html"})  # first fetch wins, like the bytes
    assert store.get_meta(doc_id) == {"media_type": PDF, "charset": None}
    with pytest.raises(ValueError, match="not a document id"):
        store.path("../../etc/passwd")


def test_a_fetch_batch_repairs_files_a_crash_left_short(tmp_path):
    """Inside a batch the store syncs once at its end, so a machine crash in it can leave a renamed file
    shorter than its bytes (or an empty sidecar): the retried fetch's put writes them whole again."""
    store = RawStore(tmp_path / "store")
    html = (REAL / "hangzhou_govoffice_2024.txt").read_bytes()
    with store.batch():
        doc_id = store.put(PDF_BYTES)
        store.put_meta(doc_id, {"media_type": PDF, "charset": None})
        with store.batch():  # nested: one sync, at the outer end
            other = store.put(html)
        assert store.get(doc_id) == PDF_BYTES and store.get(other) == html  # readable before the sync
    store.path(doc_id).write_bytes(PDF_BYTES[:4096])  # what a crash before the sync can leave
    store.path(other).write_bytes(b"")
    store.path(doc_id).with_name(doc_id + ".meta.json").write_bytes(b"")
    assert store.has(doc_id) and store.get_meta(doc_id) == {}
    with store.batch():
        assert store.put(PDF_BYTES) == doc_id and store.put(html) == other
        store.put_meta(doc_id, {"media_type": PDF, "charset": None})
    assert store.get(doc_id) == PDF_BYTES and store.get(other) == html
    assert store.get_meta(doc_id) == {"media_type": PDF, "charset": None}
    assert not any(p.name.startswith(".tmp-") for p in store.root.rglob("*"))


# --- media type, safety, politeness -----------------------------------------------------------------

def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_media_type_from_signature_before_header():
    assert sniff(PDF_BYTES, media_type="application/octet-stream", filename="downfile.jsp") == PDF
    assert sniff(PDF_BYTES, media_type="text/html; charset=utf-8") == PDF
    assert sniff(_docx_bytes(), media_type="application/x-download") == DOCX
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == DOC
    page = (REAL / "hangzhou_govoffice_2024.txt").read_bytes()
    assert sniff(b"<!DOCTYPE html><html>" + page, media_type="application/octet-stream") == "text/html"
    assert sniff(page, filename="hangzhou_govoffice_2024.txt") == "text/plain"
    assert sniff(page, filename="shuyang_county_2025.md") == "text/markdown"
    assert sniff(page, media_type="text/html; charset=gbk") == "text/html"


def test_url_checks():
    hosts = {"www.hangzhou.gov.cn"}
    assert check_url("https://WWW.hangzhou.gov.cn./art/1.html", hosts) == "www.hangzhou.gov.cn"
    for url, why in [("file:///etc/passwd", "scheme file"), ("ftp://www.hangzhou.gov.cn/a.pdf", "scheme ftp"),
                     ("http://www.gov.cn/a.html", "host www.gov.cn"), ("http:///a.html", "without a host")]:
        with pytest.raises(Refused, match=why):
            check_url(url, hosts)
    assert is_public("202.107.200.1") and is_public("2400:3200::1")
    for address in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "::1",
                    "::ffff:127.0.0.1", "fd00::1", "100.64.0.1", "0.0.0.0", "224.0.0.1"]:
        assert not is_public(address), address


def test_host_gate_rate_limits_request_starts():
    gate = HostGate(rate=20, concurrency=4)
    started = time.perf_counter()
    for _ in range(6):
        with gate.slot("a.gov.cn"):
            pass
    assert time.perf_counter() - started >= 5 / 20 * 0.95
    started = time.perf_counter()
    with gate.slot("b.gov.cn"):  # another host has its own budget
        pass
    assert time.perf_counter() - started < 0.04


def test_concurrency_cap_per_host(govsite, tmp_path):  # noqa: F811
    from concurrent.futures import ThreadPoolExecutor

    for path in (SLOW,):
        govsite.state.resources[path].delay = 0.15
    settings = replace(FAST, per_host_concurrency=2, retries=0)
    with client(govsite, RawStore(tmp_path), settings) as c, ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(lambda _: c.get(govsite.url(SLOW)), range(6)))
    assert all(p.status == 200 for p in pages)
    assert govsite.hits[SLOW] == 6
    assert govsite.max_in_flight == 2


# --- HTTP behaviour ---------------------------------------------------------------------------------

def test_200_is_stored_and_logged_with_validators(govsite, tmp_path):  # noqa: F811
    store = RawStore(tmp_path)
    with client(govsite, store) as c:
        page = c.get(govsite.url(GOVOFFICE))
    body = govsite.body(GOVOFFICE)
    assert page.status == 200 and page.data == body and page.error is None
    assert page.document_id == hashlib.sha256(body).hexdigest() and store.get(page.document_id) == body
    assert page.media_type == "text/html" and page.charset == "utf-8" and not page.unchanged
    [entry] = c.log
    assert (entry.run_id, entry.source, entry.url, entry.status, entry.bytes, entry.error) == (
        "run-1", "hangzhou_site", govsite.url(GOVOFFICE), 200, len(body), None)
    assert entry.etag == f'"{hashlib.sha1(body).hexdigest()[:16]}"' and entry.last_modified == LAST_MODIFIED
    assert entry.document_id == page.document_id and entry.elapsed_ms > 0
    assert govsite.requests[0].headers["user-agent"] == "ogi-warehouse-test/0.1"
    assert "if-none-match" not in govsite.requests[0].headers


def test_conditional_requests_give_304_and_reuse_stored_bytes(govsite, tmp_path):  # noqa: F811
    store = RawStore(tmp_path)
    with client(govsite, store) as c:
        first_page, first_pdf = c.get(govsite.url(GOVOFFICE)), c.get(govsite.url(HUAIAN_PDF))
    known = {e.url: Validator(e.etag, e.last_modified, e.document_id) for e in c.log}
    assert known[govsite.url(HUAIAN_PDF)].etag is None  # the PDF has only Last-Modified
    govsite.reset_counts()
    with client(govsite, store, known=known) as c:
        page, pdf = c.get(govsite.url(GOVOFFICE)), c.get(govsite.url(HUAIAN_PDF))
    assert [e.status for e in c.log] == [304, 304] and [e.bytes for e in c.log] == [0, 0]
    assert page.unchanged and page.data == govsite.body(GOVOFFICE) and page.document_id == first_page.document_id
    assert pdf.unchanged and pdf.data == PDF_BYTES and pdf.media_type == PDF
    assert [e.document_id for e in c.log] == [first_page.document_id, first_pdf.document_id]
    page_request, pdf_request = govsite.requests
    assert page_request.headers["if-none-match"] == known[govsite.url(GOVOFFICE)].etag
    assert pdf_request.headers["if-modified-since"] == LAST_MODIFIED and "if-none-match" not in pdf_request.headers


def test_changed_page_is_fetched_again(govsite, tmp_path):  # noqa: F811
    store = RawStore(tmp_path)
    with client(govsite, store) as c:
        old = c.get(govsite.url(GOVOFFICE))
    known = {e.url: Validator(e.etag, e.last_modified, e.document_id) for e in c.log}
    govsite.update(GOVOFFICE, govsite.body(GOVOFFICE).replace("1.9万余条".encode(), "2.0万余条".encode()))
    with client(govsite, store, known=known) as c:
        new = c.get(govsite.url(GOVOFFICE))
    assert new.status == 200 and not new.unchanged and new.document_id != old.document_id
    assert "2.0万余条" in new.data.decode("utf-8")


def test_validator_without_stored_bytes_is_not_used(govsite, tmp_path):  # noqa: F811
    known = {govsite.url(GOVOFFICE): Validator('"abc"', LAST_MODIFIED, "0" * 64)}
    with client(govsite, RawStore(tmp_path), known=known) as c:
        page = c.get(govsite.url(GOVOFFICE))
    assert page.status == 200 and "if-none-match" not in govsite.requests[0].headers


def test_500_is_retried_404_is_not(govsite, tmp_path):  # noqa: F811
    with client(govsite, RawStore(tmp_path)) as c:
        ok, missing = c.get(govsite.url(YIWU)), c.get(govsite.url(MISSING))
    assert ok.status == 200 and "义乌市廿三里街道办事处" in ok.data.decode("utf-8")
    assert [(e.status, e.error) for e in c.log] == [(500, "HTTP 500"), (200, None), (404, "HTTP 404")]
    assert missing.data is None and missing.error == "HTTP 404" and govsite.hits[MISSING] == 1
    assert c.failures == [(govsite.url(MISSING), "HTTP 404")]


def test_timeout_is_retried_then_given_up(govsite, tmp_path):  # noqa: F811
    started = time.perf_counter()
    with client(govsite, RawStore(tmp_path), replace(FAST, timeout_s=0.3)) as c:
        page = c.get(govsite.url(SLOW))
    assert page.data is None and page.error == "timeout: ReadTimeout"
    assert govsite.hits[SLOW] == 3  # 1 + retries
    assert [(e.status, e.error) for e in c.log] == [(None, "timeout: ReadTimeout")] * 3
    assert all(280 <= e.elapsed_ms < 1000 for e in c.log)
    assert time.perf_counter() - started < 2


def test_redirect_to_foreign_host_is_refused_and_logged(govsite, tmp_path):  # noqa: F811
    with client(govsite, RawStore(tmp_path)) as c:
        page = c.get(govsite.url(MOVED))
    [entry] = c.log
    assert entry.status == 302 and entry.error.startswith("refused: redirect to http://localhost:")
    assert "host localhost is not one of the source's hosts" in entry.error
    assert page.data is None and govsite.hits["/elsewhere.html"] == 0


def test_redirect_within_the_site_is_followed(tmp_path):
    from govsite import FOREIGN, default_resources

    with GovSite(default_resources()) as site:
        with HttpClient(FAST, hosts=frozenset({"127.0.0.1", "localhost"}), store=RawStore(tmp_path),
                        run_id="r", source_name="s", robots_cache=AllowAll()) as c:
            page = c.get(site.url(MOVED))
    assert page.status == 200 and page.final_url.endswith(FOREIGN) and page.url == site.url(MOVED)
    assert [e.status for e in c.log] == [302, 200]


def test_oversized_responses_are_aborted(govsite, tmp_path):  # noqa: F811
    store = RawStore(tmp_path)
    with client(govsite, store) as c:
        declared, streamed = c.get(govsite.url(BIG_PDF)), c.get(govsite.url(BIG_STREAM))
    limit = "too large: more than 1048576 bytes"
    assert declared.error == limit and streamed.error == limit and declared.data is None
    by_url = {e.url: e for e in c.log}
    assert by_url[govsite.url(BIG_PDF)].bytes == 0  # refused on Content-Length, body never read
    assert 1000 * 1024 < by_url[govsite.url(BIG_STREAM)].bytes < 2 * 1024 * 1024  # stopped mid-stream
    assert not any(tmp_path.rglob("*"))  # nothing stored


def test_private_addresses_refused_unless_allowed(govsite, tmp_path):  # noqa: F811
    settings = replace(FAST, allow_private_addresses=False)
    for host in ("127.0.0.1", "localhost"):
        with HttpClient(settings, hosts=frozenset({host}), store=RawStore(tmp_path), run_id="r",
                        source_name="s", robots_cache=AllowAll()) as c:
            page = c.get(govsite.url(GOVOFFICE).replace("127.0.0.1", host))
        assert page.data is None and page.error.startswith("refused: ")
        assert "non-public address (127.0.0.1)" in page.error and len(c.log) == 1  # not retried
    assert govsite.hits[GOVOFFICE] == 0


def test_links_off_the_source_are_refused_without_a_request(govsite, tmp_path):  # noqa: F811
    with client(govsite, RawStore(tmp_path)) as c:
        page = c.get("file:///etc/passwd", optional=True)
        other = c.get("http://www.gov.cn/zhengce/2024.html")
    assert page.error == "refused: scheme file: is not http or https"
    assert other.error == "refused: host www.gov.cn is not one of the source's hosts"
    assert c.failures == [("http://www.gov.cn/zhengce/2024.html", other.error)]  # optional: logged only
    assert [e.status for e in c.log] == [None, None] and not govsite.requests


# --- local paths ------------------------------------------------------------------------------------

def test_local_folder_is_read_sorted_without_notes(tmp_path):
    files = local_files(REAL)
    assert [f.name for f in files] == sorted(f.name for f in files)
    assert "SOURCES.md" not in {f.name for f in files}
    assert {"huaian_city_2024.pdf", "shuyang_county_2025.md", "hangzhou_govoffice_2024.txt"} <= {
        f.name for f in files}

    source = Source(name="real", agency="淮安市人民政府", paths=(REAL, tmp_path / "missing.txt"))
    store = RawStore(tmp_path / "store")
    first = fetch_source(source, FAST, store, run_id="r1")
    assert len(first.documents) == len(files) and not any(d.unchanged for d in first.documents)
    pdf = next(d for d in first.documents if d.url.endswith("huaian_city_2024.pdf"))
    assert pdf.media_type == PDF and pdf.size == len(PDF_BYTES) and store.get(pdf.document_id) == PDF_BYTES
    assert pdf.agency == "淮安市人民政府" and pdf.source == "real" and pdf.charset is None
    assert first.error == f"{tmp_path / 'missing.txt'}: no such file or folder"
    assert [e.error for e in first.log].count(None) == len(files)
    second = fetch_source(source, FAST, store, run_id="r2")
    assert all(d.unchanged for d in second.documents)
    assert [d.document_id for d in second.documents] == [d.document_id for d in first.documents]


def test_manifest_rows_are_the_records_fields(govsite, tmp_path):  # noqa: F811
    """pipeline writes a fetch record into its manifest by a shallow copy of its fields, which is what
    dataclasses.asdict gives only while every field holds a scalar: a nested field added later fails here."""
    from dataclasses import asdict

    from warehouse.pipeline import _fields

    store = RawStore(tmp_path / "http")
    with client(govsite, store) as c:
        c.get(govsite.url(GOVOFFICE))
        c.get(govsite.url(MISSING), optional=True)
    local = fetch_source(Source(name="real", agency="淮安市人民政府", paths=(REAL,)), FAST,
                         RawStore(tmp_path / "local"), run_id="r1")
    records = [*c.log, *local.documents, *local.log]
    assert len(records) > 20 and {e.status for e in c.log} == {200, 404}
    for record in records:
        row = _fields(record)
        assert row == asdict(record) and list(row) == list(asdict(record))
        assert all(value is None or isinstance(value, str | int | float) for value in row.values()), row
        assert row is not vars(record)


def test_local_file_over_the_size_cap(tmp_path):
    source = Source(name="pdf", agency="淮安市人民政府", paths=(REAL / "huaian_city_2024.pdf",))
    result = fetch_source(source, replace(FAST, max_bytes=1000), RawStore(tmp_path), run_id="r")
    assert not result.documents and result.error.endswith("too large: more than 1000 bytes")
    assert Path(result.log[0].url).name == "huaian_city_2024.pdf"


# --- issue 10 finding 9, robots.txt, Retry-After ----------------------------------------------------

def test_ipv6_forms_that_embed_a_private_ipv4_are_not_public():
    for address in ["::127.0.0.1", "::10.0.0.1", "64:ff9b::7f00:1", "64:ff9b:1::a00:1", "2002:7f00:1::",
                    "2002:c0a8:101::1", "fec0::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "::ffff:169.254.169.254"]:
        assert not is_public(address), address
    for address in ["64:ff9b::ca6b:c801", "2002:ca6b:c801::1", "::ffff:202.107.200.1"]:  # public IPv4 inside
        assert is_public(address), address


def test_robots_rules_from_each_kind_of_answer():
    from fetching.robots import rules_from

    rules = rules_from(200, b"User-agent: ogi-warehouse\nDisallow: /private/\nCrawl-delay: 90\n\n"
                            b"User-agent: *\nDisallow: /\n", None)
    assert rules.allows("ogi-warehouse/0.1 (+https://x)", "http://a.gov.cn/col/1.html")
    assert not rules.allows("ogi-warehouse/0.1 (+https://x)", "http://a.gov.cn/private/1.html")
    assert not rules.allows("OtherBot/1.0", "http://a.gov.cn/col/1.html")
    assert rules.crawl_delay("ogi-warehouse/0.1") == 30.0  # bounded
    assert rules_from(404, None, "HTTP 404").allows("x", "http://a/b") and rules_from(403, b"", None).allows("x", "/")
    for status, error in [(500, "HTTP 500"), (None, "timeout: ReadTimeout"), (429, "HTTP 429")]:
        refused = rules_from(status, None, error)
        assert not refused.allows("x", "http://a/b") and refused.refusal.startswith(f"robots.txt unreachable ({error})")


def test_retry_after_seconds_and_dates():
    from email.utils import formatdate

    from fetching.fetch import _retry_after

    assert _retry_after("7") == 7.0 and _retry_after(None) is None and _retry_after("soon") is None
    assert 25 <= _retry_after(formatdate(time.time() + 30, usegmt=True)) <= 31
    assert _retry_after(formatdate(time.time() - 30, usegmt=True)) == 0.0


def test_post_is_sent_with_the_form_and_never_conditionally(tmp_path):
    from govsite import Request as SiteRequest

    seen: list[SiteRequest] = []

    def proxy(request):
        seen.append(request)
        return 200, {"Content-Type": "text/xml;charset=UTF-8", "ETag": '"x"'}, b"<datastore></datastore>"

    with GovSite({}, {"/module/jpage/dataproxy.jsp": proxy}) as site:
        url = site.url("/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15")
        known = {url: Validator('"x"', LAST_MODIFIED, "0" * 64)}
        with client(site, RawStore(tmp_path), known=known) as c:
            page = c.get(url, form=(("col", "1"), ("webname", "杭州市")))
    assert page.status == 200 and page.etag is None and c.log[0].method == "POST"
    assert seen[0].method == "POST" and seen[0].form == {"col": "1", "webname": "杭州市"}
    assert "if-none-match" not in seen[0].headers
