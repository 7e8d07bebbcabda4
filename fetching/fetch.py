"""Fetching one source: local `paths:` and, over HTTP, its listing pages, reports and attachments.

`fetch_source` is the entry point (one call per catalogue source; Airflow maps it per source). It never
raises for network problems: every request, failed or not, is a `FetchLogEntry`, and a one-line
summary of what failed is `SourceResult.error`.

The HTTP client (`HttpClient`) is httpx with:
- connect / read timeouts, a deadline per attempt that covers connect, headers and body (enforced on
  every socket operation, `fetching.safety.attempt_deadline`: a server sending its headers at one byte
  a second is cut off like one trickling its body), and a total per URL across attempts and waits;
- retries with exponential backoff and jitter on timeouts, connection errors and 5xx (never on other
  4xx); a 429 or 503 waits for its `Retry-After` (seconds or a date) when that is at most
  `Settings.retry_after_max_s` and fits in the URL's total, and each answer is its own fetch-log row;
- robots.txt read once per host and run with the catalogue's user agent; a URL it disallows is
  refused without a request (`fetching.robots`);
- a per-host rate limit and concurrency cap (`HostGate`; per `fetch_source` call, i.e. per process);
- the catalogue's User-Agent; no proxies from the environment (the address guard must see the real
  peer address);
- conditional requests: a URL whose previous `Validator` (ETag / Last-Modified / document_id) is
  known, and whose bytes are still in the store, is requested with If-None-Match / If-Modified-Since;
  a 304 reuses the stored bytes, so an unchanged page costs one 304 and is still parsed for links;
- redirects followed by hand (each hop logged, each target checked: other hosts are refused; a loop
  stops at the first repeated URL);
- a maximum response size, held while decoding: the raw body is decoded by `extract.inflate`, each
  Content-Encoding layer at most `Settings.max_decompression_ratio` times its input and the total at
  most `Settings.max_bytes`, a chunk at a time;
- POST for the data proxies of JCMS listings (`get(url, form=…)`; never conditional);
- a media type from the bytes (PDF / DOC / DOCX / HTML signatures) before the Content-Type header
  (`extract.formats.sniff`, the one the extractor renders by).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from extract.formats import sniff  # the one media-type sniffer, shared with rendering
from extract.inflate import Inflater, TooLarge, Undecodable
from fetching import robots
from fetching.catalogue import Settings, Source
from fetching.crawl import crawl
from fetching.safety import GuardedTransport, Refused, attempt_deadline, check_url, deadline_hit
from fetching.store import RawStore, document_id
from fetching.webpage import Page

__all__ = ["FetchLogEntry", "FetchedDocument", "HostGate", "HttpClient", "Page", "SourceResult", "Validator",
           "fetch_source", "local_files", "now_iso"]

logger = logging.getLogger("ogi.fetch")

# Files taken from a `paths:` folder (a file named explicitly is always taken).
LOCAL_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".txt", ".md", ".pdf", ".docx", ".doc"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_AFTER_STATUSES = frozenset({429, 503})
OCTET_STREAM = "application/octet-stream"


# --- records ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Validator:
    """What the previous published warehouse knows about a URL (from raw.fetch_log)."""

    etag: str | None = None
    last_modified: str | None = None
    document_id: str | None = None


@dataclass
class FetchLogEntry:
    """One request (or one refused URL: status None, bytes 0) → a raw.fetch_log row."""

    run_id: str
    source: str  # catalogue source name
    url: str  # the URL requested (each redirect hop is its own entry), or a local file path
    status: int | None  # HTTP status; None for local files, refusals and requests without a response
    bytes: int
    elapsed_ms: float
    error: str | None
    fetched_at: str  # ISO 8601, UTC, no offset
    etag: str | None = None
    last_modified: str | None = None
    document_id: str | None = None  # set when the bytes are in the store (200, 304, local file)
    # Kept in the run's manifest (raw.fetch_log has the columns above):
    method: str = "GET"  # POST for a JCMS data proxy; NOTE for a crawl note (a cap that was hit)
    attempt: int = 1  # 2, 3 … for retries of the same URL


@dataclass
class FetchedDocument:
    """A report or attachment whose bytes are in the store (listing pages are not documents)."""

    document_id: str
    source: str  # catalogue source name
    agency: str  # the agency the catalogue expects
    url: str  # final URL after redirects, or the absolute local file path
    media_type: str
    charset: str | None  # from the Content-Type header only (the extractor reads <meta> itself)
    size: int
    fetched_at: str
    unchanged: bool  # 304, or these bytes were already in the store before this run
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None  # link title on the page that led here
    referrer: str | None = None  # the listing page or report page that linked here
    role: str = "report"  # "report", "attachment" (of the report page `referrer`) or "file" (`paths:`)
    parent_document_id: str | None = None  # an attachment's report page, by content


@dataclass
class SourceResult:
    source: str
    documents: list[FetchedDocument] = field(default_factory=list)
    log: list[FetchLogEntry] = field(default_factory=list)
    error: str | None = None  # one line when anything failed; the source may still have documents


def now_iso() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")


# --- politeness -------------------------------------------------------------------------------------

class HostGate:
    """At most `concurrency` requests in flight and `rate` request starts per second, per host."""

    def __init__(self, rate: float, concurrency: int) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._host_interval: dict[str, float] = {}  # a robots.txt Crawl-delay longer than our own

    def slow_down(self, host: str, interval: float) -> None:
        with self._lock:
            self._host_interval[host] = max(interval, self._host_interval.get(host, 0.0))

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + max(self._interval, self._host_interval.get(host, 0.0))
            if start > now:
                time.sleep(start - now)
            yield


# --- HTTP -------------------------------------------------------------------------------------------

@dataclass
class _Outcome:
    url: str
    fetched_at: str
    elapsed_ms: float = 0.0
    status: int | None = None
    data: bytes | None = None
    received: int = 0
    headers: httpx.Headers | None = None
    charset: str | None = None
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None  # seconds, from a 429 / 503
    method: str = "GET"
    attempt: int = 1


Form = tuple[tuple[str, str], ...]


class HttpClient:
    """A polite, guarded HTTP client for one source. Use as a context manager; `log` holds one entry
    per request in the order they finished. Thread-safe: `get` may be called from several threads."""

    def __init__(self, settings: Settings, *, hosts: frozenset[str], store: RawStore, run_id: str,
                 source_name: str, known: Mapping[str, Validator] | None = None,
                 gate: HostGate | None = None, robots_cache: robots.RobotsCache | None = None) -> None:
        self.settings = settings
        self.hosts = hosts
        self.store = store
        self.run_id = run_id
        self.source_name = source_name
        self.known = dict(known or {})
        self.gate = gate or HostGate(settings.per_host_rate, settings.per_host_concurrency)
        self.robots = robots_cache or robots.CACHE
        self.log: list[FetchLogEntry] = []
        self.failures: list[tuple[str, str]] = []  # (url, error) of `get` calls that gave no bytes
        self.calls = 0
        self._lock = threading.Lock()
        self._client = httpx.Client(
            transport=GuardedTransport(allow_private=settings.allow_private_addresses),
            timeout=httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s),
            headers={"User-Agent": settings.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
                     "Accept-Language": "zh-CN,zh;q=0.9",
                     # only what extract.inflate decodes with its bounds
                     "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, *, optional: bool = False, form: Form | None = None) -> Page:
        """GET `url` (conditionally when a validator is known), or POST `form` to it, following allowed
        redirects. A failure is a `Page` with `error` set and no data; nothing is raised. `optional`: a
        link found on a page whose URL itself is refused (another host, a file: link, robots.txt) is
        logged but not counted in `failures` — listings often link to other agencies' reports."""
        with self._lock:
            self.calls += 1
        url = urldefrag(url)[0]
        target, method = url, ("POST" if form is not None else "GET")
        visited = {url}
        for _hop in range(self.settings.max_redirects + 1):
            try:
                check_url(target, self.hosts)
                self._check_robots(target)
            except Refused as exc:
                outcome = _Outcome(target, now_iso(), error=f"refused: {exc}", method=method)
                return self._give_up(url, outcome, counts=not (optional and target == url))
            validator = self._validator(target) if method == "GET" else None
            outcome = self._with_retries(target, validator, form if method == "POST" else None)
            status = outcome.status
            if outcome.error is not None:
                return self._give_up(url, outcome)
            if status in _REDIRECTS:
                location = outcome.headers.get("location") if outcome.headers else None
                if not location:
                    outcome.error = f"HTTP {status} without Location"
                    return self._give_up(url, outcome)
                try:
                    following = urldefrag(urljoin(target, location.strip()))[0]
                    check_url(following, self.hosts)
                except (Refused, ValueError) as exc:
                    outcome.error = f"refused: redirect to {location.strip()[:300]}: {exc}"
                    return self._give_up(url, outcome)
                if following in visited:
                    outcome.error = f"redirect loop: back to {following}"
                    return self._give_up(url, outcome)
                visited.add(following)
                self._record(outcome)
                target = following
                if status not in (307, 308):
                    method = "GET"  # 301/302/303 after a POST: the browser's GET
                continue
            if status == 304:
                return self._not_modified(url, outcome, validator)
            if status is not None and 200 <= status < 300 and outcome.data is not None:
                return self._fresh(url, outcome)
            outcome.error = f"unexpected HTTP {status}"
            return self._give_up(url, outcome)
        return self._give_up(url, _Outcome(target, now_iso(), method=method,
                                           error=f"more than {self.settings.max_redirects} redirects"))

    # -- robots.txt

    def _check_robots(self, url: str) -> None:
        site = robots.origin(url)
        rules = self.robots.rules(self.run_id, site, lambda: self._fetch_robots(site))
        agent = self.settings.user_agent
        if rules.refusal is not None:
            raise Refused(rules.refusal)
        if not rules.allows(agent, url):
            raise Refused(f"robots.txt of {site} disallows this URL for {agent.split('/')[0]}")

    def _fetch_robots(self, site: str) -> robots.Rules:
        """robots.txt of `site` through the same guards, deadlines and retries (not stored)."""
        target = f"{site}/robots.txt"
        for _hop in range(self.settings.max_redirects + 1):
            try:
                check_url(target, self.hosts)
            except Refused:
                return robots.Rules()  # redirected off the source's hosts: no rules we may read
            outcome = self._with_retries(target, None, None, limit=robots.MAX_BYTES)
            if outcome.status is not None and 400 <= outcome.status < 500 and outcome.status != 429:
                # an answer, not a failure (it is never counted as one), but worded so nobody reads it as a 200
                outcome.error = f"no robots.txt (HTTP {outcome.status}): everything allowed"
            self._record(outcome)
            if outcome.status in _REDIRECTS and outcome.headers and outcome.headers.get("location"):
                target = urldefrag(urljoin(target, outcome.headers["location"].strip()))[0]
                continue
            if outcome.error and outcome.error.startswith("too large"):
                return robots.Rules()  # RFC 9309: a crawler may ignore what lies past its limit
            rules = robots.rules_from(outcome.status, outcome.data, outcome.error)
            delay = rules.crawl_delay(self.settings.user_agent)
            if delay:
                self.gate.slow_down(urlsplit(site).hostname or "", delay)
            return rules
        return robots.Rules()

    # -- one URL, with retries

    def _validator(self, url: str) -> Validator | None:
        v = self.known.get(url)
        # Without the stored bytes a 304 would leave us with nothing to parse or extract.
        if v and v.document_id and (v.etag or v.last_modified) and self.store.has(v.document_id):
            return v
        return None

    def _with_retries(self, url: str, validator: Validator | None, form: Form | None,
                      limit: int | None = None) -> _Outcome:
        s = self.settings
        give_up_at = time.monotonic() + s.url_timeout_s
        for attempt in range(s.retries + 1):
            left = give_up_at - time.monotonic()
            outcome = self._once(url, validator, form, min(s.total_timeout_s, max(left, 0.001)), limit)
            outcome.attempt = attempt + 1
            if not outcome.retryable or attempt == s.retries:
                return outcome
            delay = min(s.backoff_max_s, s.backoff_base_s * 2**attempt) * random.uniform(0.5, 1.0)
            if outcome.retry_after is not None:
                if outcome.retry_after > s.retry_after_max_s:
                    outcome.error = (f"{outcome.error}; Retry-After {outcome.retry_after:g} s is more than "
                                     f"retry_after_max_s ({s.retry_after_max_s:g} s)")
                    return outcome
                delay = max(delay, outcome.retry_after)
            if time.monotonic() + delay >= give_up_at:
                outcome.error = (f"{outcome.error}; no time left for a retry within url_timeout_s "
                                 f"({s.url_timeout_s:g} s)")
                return outcome
            self._record(outcome)
            logger.debug("%s: retry %s in %.2fs after %s", self.source_name, url, delay, outcome.error)
            time.sleep(delay)
        raise AssertionError("unreachable")

    def _once(self, url: str, validator: Validator | None, form: Form | None, seconds: float,
              limit: int | None = None) -> _Outcome:
        headers = {}
        if validator and validator.etag:
            headers["If-None-Match"] = validator.etag
        if validator and validator.last_modified:
            headers["If-Modified-Since"] = validator.last_modified
        method = "POST" if form is not None else "GET"
        outcome = _Outcome(url, now_iso(), method=method)
        host = urlsplit(url).hostname or ""
        with self.gate.slot(host):
            started = time.perf_counter()
            try:
                with attempt_deadline(seconds):
                    with self._client.stream(method, url, headers=headers, data=dict(form) if form else None,
                                             ) as response:
                        self._answer(response, outcome, limit)
            except Refused as exc:
                outcome.error = f"refused: {exc}"
            except TooLarge as exc:
                outcome.error = f"too large: {exc}"
            except Undecodable as exc:
                outcome.error = f"undecodable: {exc}"
            except httpx.TimeoutException as exc:
                if deadline_hit():
                    outcome.error = f"timeout: attempt took more than {round(seconds, 2):g} s"
                else:
                    outcome.error = f"timeout: {type(exc).__name__}"
                outcome.retryable = True
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                outcome.error, outcome.retryable = f"connection error: {_one_line(exc)}", True
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                outcome.error = f"{type(exc).__name__}: {_one_line(exc)}"
            outcome.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        return outcome

    def _answer(self, response: httpx.Response, outcome: _Outcome, limit: int | None) -> None:
        status = outcome.status = response.status_code
        outcome.headers = response.headers
        outcome.charset = response.charset_encoding
        if 200 <= status < 300:
            outcome.data = self._read(response, outcome, limit or self.settings.max_bytes)
        elif status in _RETRY_AFTER_STATUSES:
            outcome.retry_after = _retry_after(response.headers.get("retry-after"))
            wait = f", Retry-After {outcome.retry_after:g} s" if outcome.retry_after is not None else ""
            outcome.error, outcome.retryable = f"HTTP {status}{wait}", True
        elif status >= 500:
            outcome.error, outcome.retryable = f"HTTP {status}", True
        elif status >= 400:
            outcome.error = f"HTTP {status}"

    def _read(self, response: httpx.Response, outcome: _Outcome, limit: int) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(f"more than {limit} bytes")
        inflater = Inflater(response.headers.get("content-encoding"), max_bytes=limit,
                            max_ratio=self.settings.max_decompression_ratio)
        chunks: list[bytes] = []
        for raw in response.iter_raw(chunk_size=64 * 1024):  # raw: decoded here, with the bounds held
            for piece in inflater.feed(raw):
                chunks.append(piece)
                outcome.received += len(piece)
        for piece in inflater.finish():
            chunks.append(piece)
            outcome.received += len(piece)
        return b"".join(chunks)

    # -- results

    def _header(self, outcome: _Outcome, name: str) -> str | None:
        return outcome.headers.get(name) if outcome.headers else None

    def _record(self, outcome: _Outcome, document: str | None = None, etag: str | None = None,
                last_modified: str | None = None) -> None:
        entry = FetchLogEntry(
            run_id=self.run_id, source=self.source_name, url=outcome.url, status=outcome.status,
            bytes=len(outcome.data) if outcome.data is not None else outcome.received,
            elapsed_ms=outcome.elapsed_ms, error=outcome.error, fetched_at=outcome.fetched_at,
            etag=etag, last_modified=last_modified, document_id=document, method=outcome.method,
            attempt=outcome.attempt)
        with self._lock:
            self.log.append(entry)

    def note(self, url: str, message: str) -> None:
        """A crawl note (a cap that was hit) as a fetch-log row without a request."""
        with self._lock:
            self.log.append(FetchLogEntry(self.run_id, self.source_name, url, None, 0, 0.0, message, now_iso(),
                                          method="NOTE"))

    def _give_up(self, url: str, outcome: _Outcome, counts: bool = True) -> Page:
        self._record(outcome)
        if counts:
            with self._lock:
                self.failures.append((url, outcome.error or "failed"))
        logger.warning("%s: %s: %s", self.source_name, outcome.url, outcome.error)
        return Page(url=url, final_url=outcome.url, status=outcome.status, fetched_at=outcome.fetched_at,
                    error=outcome.error)

    def _fresh(self, url: str, outcome: _Outcome) -> Page:
        data = outcome.data or b""
        doc_id = document_id(data)
        existed = self.store.has(doc_id)
        self.store.put(data)
        media_type = sniff(data, filename=outcome.url, media_type=self._header(outcome, "content-type"))
        self.store.put_meta(doc_id, {"media_type": media_type, "charset": outcome.charset})
        etag, last_modified = self._header(outcome, "etag"), self._header(outcome, "last-modified")
        if outcome.method == "POST":
            etag = last_modified = None  # a POST answer is never asked for conditionally
        self._record(outcome, doc_id, etag, last_modified)
        return Page(url=url, final_url=outcome.url, status=outcome.status, data=data, document_id=doc_id,
                    unchanged=existed, media_type=media_type, charset=outcome.charset, etag=etag,
                    last_modified=last_modified, fetched_at=outcome.fetched_at)

    def _not_modified(self, url: str, outcome: _Outcome, validator: Validator | None) -> Page:
        if validator is None or validator.document_id is None:
            outcome.error = "HTTP 304 to a request that was not conditional"
            return self._give_up(url, outcome)
        doc_id = validator.document_id
        meta = self.store.get_meta(doc_id)
        etag = self._header(outcome, "etag") or validator.etag
        last_modified = self._header(outcome, "last-modified") or validator.last_modified
        self._record(outcome, doc_id, etag, last_modified)
        data = self.store.get(doc_id)
        media_type = meta.get("media_type") or sniff(data, filename=outcome.url)
        return Page(url=url, final_url=outcome.url, status=304, data=data, document_id=doc_id,
                    unchanged=True, media_type=media_type,
                    charset=meta.get("charset"), etag=etag, last_modified=last_modified,
                    fetched_at=outcome.fetched_at)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), 10**7))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


# --- local files ------------------------------------------------------------------------------------

def local_files(path: Path) -> list[Path]:
    """A file as is; a folder's report files, recursively and sorted (no hidden files, no README or
    SOURCES notes)."""
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in LOCAL_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and not p.name.upper().startswith(("README", "SOURCES"))
    )


def _log_document(source: str, unchanged: bool, where: str, detail: str) -> None:
    """One fetched document: a new one at info, an unchanged one at debug (a no-change refresh of 10k files
    wrote 10k lines, seconds of Airflow's task logging); raw.fetch_log keeps every request whatever the level."""
    logger.log(logging.DEBUG if unchanged else logging.INFO, "%s: %s %s (%s)", source,
               "unchanged" if unchanged else "new", where, detail)


def _read_paths(source: Source, settings: Settings, store: RawStore, run_id: str,
                log: list[FetchLogEntry], failures: list[tuple[str, str]]) -> list[FetchedDocument]:
    documents: list[FetchedDocument] = []
    for root in source.paths:
        if not root.exists():
            failures.append((str(root), "no such file or folder"))
            log.append(FetchLogEntry(run_id, source.name, str(root), None, 0, 0.0, "no such file or folder",
                                     now_iso()))
            continue
        for file in local_files(root):
            fetched_at, started = now_iso(), time.perf_counter()
            error, doc_id, size = None, None, file.stat().st_size
            if size > settings.max_bytes:
                error = f"too large: more than {settings.max_bytes} bytes"
            else:
                data = file.read_bytes()
                doc_id = document_id(data)
                existed = store.has(doc_id)
                store.put(data)
                media_type = sniff(data, filename=file.name)
                store.put_meta(doc_id, {"media_type": media_type, "charset": None})
                documents.append(FetchedDocument(
                    document_id=doc_id, source=source.name, agency=source.agency, url=str(file),
                    media_type=media_type, charset=None, size=len(data), fetched_at=fetched_at,
                    unchanged=existed, title=None, role="file"))
                _log_document(source.name, existed, str(file), f"{len(data)} bytes")
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            log.append(FetchLogEntry(run_id, source.name, str(file), None, 0 if error else size, elapsed,
                                     error, fetched_at, document_id=doc_id))
            if error:
                failures.append((str(file), error))
    return documents


# --- one source -------------------------------------------------------------------------------------

def fetch_source(source: Source, settings: Settings, store: RawStore, *, run_id: str,
                 known: Mapping[str, Validator] | None = None, gate: HostGate | None = None) -> SourceResult:
    """Fetch everything one catalogue source points at into `store`.

    - `paths:` files are read and stored (unchanged = bytes already in the store before);
    - `listing:` pages are fetched (conditionally), pagination followed, links whose titles are annual
      reports / work summaries of `settings.years` kept; `reports:` URLs are taken as they are; report
      pages are fetched and their PDF / DOC / DOCX attachments after them.
    - `known` maps URL → Validator from the previous published run. Listing pages are logged with their
      document_id too, so a listing answered with 304 is parsed from its stored copy and the report
      URLs on it are requested again, conditionally (each costs one 304 when unchanged).

    Returns documents (reports and attachments, not listing pages; each content once, an attachment
    with its report page as `referrer` / `parent_document_id`), the request log (robots.txt requests,
    retries, POSTs and crawl notes — a cap that was hit — included), and `error`: None when every
    request and file succeeded, else one line ("2 of 9 failed; first: URL: HTTP 404"). A cap is a note,
    not a failure. The stored bytes are on disk when it returns (one sync for the source: store.batch).
    """
    with store.batch():
        return _fetch_source(source, settings, store, run_id=run_id, known=known, gate=gate)


def _fetch_source(source: Source, settings: Settings, store: RawStore, *, run_id: str,
                  known: Mapping[str, Validator] | None, gate: HostGate | None) -> SourceResult:
    log: list[FetchLogEntry] = []
    failures: list[tuple[str, str]] = []
    documents = _read_paths(source, settings, store, run_id, log, failures)
    attempted = len(failures) + len(documents)
    if source.listing or source.reports:
        with HttpClient(settings, hosts=source.hosts, store=store, run_id=run_id, source_name=source.name,
                        known=known, gate=gate) as client:
            crawled = crawl(source, settings, client.get,
                            workers=max(1, min(8, settings.per_host_concurrency * len(source.hosts))))
            for url, message in crawled.notes:
                client.note(url, message)
        hits = crawled.hits
        log.extend(client.log)
        failures.extend(client.failures)
        attempted += client.calls
        for hit in hits:
            page = hit.page
            documents.append(FetchedDocument(
                document_id=page.document_id or "", source=source.name, agency=source.agency,
                url=page.final_url, media_type=page.media_type or OCTET_STREAM,
                charset=page.charset, size=len(page.data or b""), fetched_at=page.fetched_at,
                unchanged=page.unchanged, etag=page.etag, last_modified=page.last_modified,
                title=hit.title or None, referrer=hit.referrer, role=hit.role,
                parent_document_id=hit.parent_document_id))
            _log_document(source.name, page.unchanged, page.final_url,
                          f"{'304' if page.status == 304 else page.status}, {len(page.data or b'')} bytes")
    error = None
    if failures:
        url, why = failures[0]
        error = f"{url}: {why}"
        if len(failures) > 1:
            error = f"{len(failures)} of {attempted} failed; first: {error}"
    elif not documents:
        error = "no report found"
    return SourceResult(source=source.name, documents=documents, log=log, error=error)
