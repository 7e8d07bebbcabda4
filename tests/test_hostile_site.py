"""A hostile web site on 127.0.0.1 (issue 10, findings 3 and 4, and the listing cap of finding 1):
each case asserts the bound the client must hold — time, bytes held in memory, number of requests."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fetching.catalogue import Settings, Source
from fetching.fetch import HttpClient, fetch_source
from fetching.store import RawStore

# Short bounds so the suite stays fast; the defaults are the same mechanism with larger numbers.
HOSTILE = Settings(user_agent="ogi-warehouse-test/0.1", allow_private_addresses=True, connect_timeout_s=0.5,
                   timeout_s=0.5, total_timeout_s=1.0, url_timeout_s=2.5, retries=2, backoff_base_s=0.01,
                   backoff_max_s=0.05, per_host_rate=500, per_host_concurrency=4, max_bytes=1024 * 1024,
                   years=(2018, 2025))
ZEROS = 256 * 1024 * 1024
LINKS = 10_000


def _double_gzip_bomb() -> bytes:
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    chunk = b"\0" * (16 * 1024 * 1024)
    body = b"".join(inner.compress(chunk) for _ in range(ZEROS // len(chunk))) + inner.flush()
    return gzip.compress(body)


BOMB = _double_gzip_bomb()


def _listing() -> bytes:
    items = "".join(f'<li><a href="/r/{i}.html">某局{2018 + i % 8}年政府信息公开工作年度报告（{i}）</a></li>'
                    for i in range(LINKS))
    return f"<html><head><meta charset='utf-8'></head><body><ul>{items}</ul></body></html>".encode()


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stop: threading.Event
    hits: dict[str, int]
    lock: threading.Lock

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _trickle(self, data: bytes, every: float) -> None:
        for byte in data:
            if self.stop.is_set():
                return
            self._raw(bytes([byte]))
            time.sleep(every)

    def do_GET(self) -> None:  # noqa: N802, C901 — one branch per hostile behaviour
        self.close_connection = True  # one request per connection: a lying response cannot confuse the next
        with self.lock:
            self.hits[self.path] = self.hits.get(self.path, 0) + 1
            count = self.hits[self.path]
        try:
            path = self.path
            if path == "/robots.txt":
                self._raw(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            elif path == "/slow-headers":  # a byte every 0.2 s: each read succeeds, the response never ends
                self._raw(b"HTTP/1.1 200 OK\r\n")
                self._trickle(b"X-Padding: " + b"a" * 10_000 + b"\r\n\r\n", 0.2)
            elif path == "/slow-body":
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
                self._trickle(b"<html>" + b"a" * 99_994, 0.2)
            elif path == "/double-gzip":
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip, gzip\r\n"
                          b"Content-Length: " + str(len(BOMB)).encode() + b"\r\nConnection: close\r\n\r\n" + BOMB)
            elif path == "/listing":
                body = _listing()
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                          + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            elif path in ("/loop-a", "/loop-b"):
                other = b"/loop-b" if path == "/loop-a" else b"/loop-a"
                self._raw(b"HTTP/1.1 302 Found\r\nLocation: " + other + b"\r\nContent-Length: 0\r\n\r\n")
            elif path.startswith("/chain/"):
                following = str(int(path.rsplit("/", 1)[1]) + 1).encode()
                self._raw(b"HTTP/1.1 301 Moved\r\nLocation: /chain/" + following + b"\r\nContent-Length: 0\r\n\r\n")
            elif path == "/length-short":  # promises 100,000 bytes, sends 10 and closes
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n<html>abcd")
            elif path == "/length-stall":  # promises 100,000 bytes, sends 10 and keeps the connection open
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<html>abcd")
                self.stop.wait(30)
            elif path == "/length-long":  # promises 10 bytes, sends 1,000
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\n"
                          b"Connection: close\r\n\r\n" + b"<html>" + b"b" * 994)
            elif path == "/length-huge":
                self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\nConnection: close\r\n\r\n")
                self.stop.wait(30)
            elif path in ("/busy", "/busy-long"):
                if count == 1 or path == "/busy-long":
                    wait = b"1" if path == "/busy" else b"3600"
                    self._raw(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: " + wait
                              + b"\r\nContent-Length: 0\r\n\r\n")
                else:
                    self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n"
                              b"Connection: close\r\n\r\n<html>ok</html>")
            else:
                self._raw(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def hostile():
    from fetching.robots import CACHE

    CACHE.__init__()
    state = {"stop": threading.Event(), "hits": {}, "lock": threading.Lock()}
    handler = type("Handler", (_Hostile,), state)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield base, state["hits"]
    finally:
        state["stop"].set()
        server.shutdown()
        server.server_close()


def _get(base: str, path: str, tmp_path, settings: Settings = HOSTILE):
    with HttpClient(settings, hosts=frozenset({"127.0.0.1"}), store=RawStore(tmp_path), run_id="hostile",
                    source_name="hostile") as client:
        started = time.perf_counter()
        page = client.get(base + path)
        elapsed = time.perf_counter() - started
    return page, [e for e in client.log if not e.url.endswith("/robots.txt")], elapsed


def test_slow_headers_are_cut_by_the_attempt_deadline_and_the_url_total(hostile, tmp_path):
    base, hits = hostile
    page, log, elapsed = _get(base, "/slow-headers", tmp_path)
    assert page.data is None and page.error.startswith("timeout: attempt took more than")
    assert [e.error for e in log][0] == "timeout: attempt took more than 1 s"
    # 3 attempts allowed, but the URL's total of 2.5 s bounds them all
    assert elapsed < HOSTILE.url_timeout_s + 0.8, elapsed
    assert all(e.elapsed_ms < 1300 for e in log)


def test_slow_body_is_cut_by_the_attempt_deadline(hostile, tmp_path):
    base, _ = hostile
    page, log, elapsed = _get(base, "/slow-body", tmp_path)
    assert page.data is None and "timeout: attempt took more than" in page.error
    assert elapsed < HOSTILE.url_timeout_s + 0.8, elapsed
    assert not any(tmp_path.rglob("*"))  # nothing half-read was stored


def test_double_gzip_bomb_is_stopped_while_decoding(hostile, tmp_path):
    base, _ = hostile
    assert len(BOMB) < 5000  # a few KB on the wire for 256 MiB of zeros inside two gzip layers
    tracemalloc.start()
    try:
        no_ratio = replace(HOSTILE, max_decompression_ratio=10_000)  # the byte cap alone stops it
        page, log, _ = _get(base, "/double-gzip", tmp_path, no_ratio)
        capped_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        roomy = replace(HOSTILE, max_bytes=1024 * 1024 * 1024)  # the byte cap allows it: the ratio stops it
        ratio_page, _, _ = _get(base, "/double-gzip", tmp_path, roomy)
        ratio_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert page.error == "too large: more than 1048576 bytes" and log[0].bytes <= 1024 * 1024
    assert ratio_page.error == "too large: gzip layer inflates more than 200 times"
    assert capped_peak < 8 * 1024 * 1024 and ratio_peak < 8 * 1024 * 1024, (capped_peak, ratio_peak)


def test_ten_thousand_report_links_are_capped(hostile, tmp_path):
    base, hits = hostile
    source = Source(name="hostile", agency="某局", listing=(base + "/listing",))
    result = fetch_source(source, replace(HOSTILE, retries=0), RawStore(tmp_path), run_id="hostile")
    reports = [path for path in hits if path.startswith("/r/")]
    assert len(reports) == HOSTILE.max_listing_links == 50
    [note] = [e for e in result.log if e.method == "NOTE"]
    assert note.error.startswith("capped: kept the first 50 report links of this listing (max_listing_links); "
                                 "9950 more on")


def test_redirect_loops_and_chains_are_bounded(hostile, tmp_path):
    base, hits = hostile
    page, log, _ = _get(base, "/loop-a", tmp_path)
    assert page.error == f"redirect loop: back to {base}/loop-a" and hits == {"/robots.txt": 1, "/loop-a": 1,
                                                                            "/loop-b": 1}
    page, log, _ = _get(base, "/chain/0", tmp_path)
    assert page.error == "more than 5 redirects"
    assert sum(1 for path in hits if path.startswith("/chain/")) == HOSTILE.max_redirects + 1


def test_content_length_lies(hostile, tmp_path):
    base, hits = hostile
    short, log, elapsed = _get(base, "/length-short", tmp_path)
    assert short.data is None and short.error.startswith("connection error: ") and hits["/length-short"] == 3
    stall, _, elapsed = _get(base, "/length-stall", tmp_path)
    assert stall.data is None and stall.error.startswith("timeout") and elapsed < HOSTILE.url_timeout_s + 0.8
    long, _, _ = _get(base, "/length-long", tmp_path)
    assert long.data == b"<html>bbbb"  # the declared length, not a byte more
    huge, log, elapsed = _get(base, "/length-huge", tmp_path)
    assert huge.error == "too large: more than 1048576 bytes" and log[0].bytes == 0 and elapsed < 0.5


def test_429_waits_for_retry_after_and_a_long_one_gives_up(hostile, tmp_path):
    base, hits = hostile
    page, log, elapsed = _get(base, "/busy", tmp_path)
    assert page.status == 200 and [(e.status, e.error) for e in log] == [(429, "HTTP 429, Retry-After 1 s"),
                                                                         (200, None)]
    assert 1.0 <= elapsed < 2.0
    page, log, elapsed = _get(base, "/busy-long", tmp_path)
    assert page.data is None and elapsed < 0.5 and hits["/busy-long"] == 1
    assert page.error == "HTTP 429, Retry-After 3600 s; Retry-After 3600 s is more than retry_after_max_s (60 s)"
