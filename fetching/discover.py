"""Finding an agency's annual-report column from its portal or its 政府信息公开 page (`ogi discover`).

Portals link their 政府信息公开 (or 政务公开) page from the home page; that page has a menu —
信息公开指南, 信息公开制度, 法定主动公开内容, 政府信息公开年报 … — and the 年报 item is the column the
catalogue wants. So, breadth first from the given URL, at most `MAX_PAGES` pages and `MAX_DEPTH` links
deep, on the start host and its sibling hosts (same registrable name, e.g. *.hangzhou.gov.cn):
- a link titled like a column of reports (政府信息公开年报, 信息公开年度报告, 工作年报, 年度报告 …, with
  no year in it: a title with a year is one report, not the column) is a candidate;
- a link titled like an open-government hub (政府信息公开, 政务公开, 信息公开指南 …) is followed;
- a candidate is confirmed by reading it as a listing (all platforms, `fetching.listings`) and finding
  report links on it; the confirmed candidate with the most specific title wins;
- a start page that itself lists reports is the column.
The agency is guessed from the report titles (the words before "YYYY年"), else from the page title.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from fetching.catalogue import Settings
from fetching.crawl import is_report_title, report_links
from fetching.listings import Listing, ListingDoc, read_listing
from fetching.listings.html import decode_html
from fetching.webpage import Get, Link

MAX_PAGES = 25
MAX_DEPTH = 3
# Most specific first: the index is the candidate's rank.
_COLUMN_TITLES = (
    re.compile(r"^(政府)?信息公开(工作)?(年度报告|年报)$"),
    re.compile(r"^政务公开(工作)?(年度报告|年报)$"),
    re.compile(r"(政府)?信息公开.{0,6}(年度报告|年报)"),
    re.compile(r"^(工作)?年报$|^年度报告$|工作年报|年度工作报告"),
)
_HUB_TITLES = re.compile(r"^(政府)?信息公开$|^政务公开$|政府信息公开|信息公开(指南|目录|平台|专栏)|政务公开(专栏|平台)"
                         r"|^公开年报$")
_YEAR = re.compile(r"(19|20)\d{2}")
_AGENCY_BEFORE_YEAR = re.compile(r"^(.{2,40}?)\s*(?:19|20)\d{2}\s*年")
_PAGE_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


@dataclass
class Candidate:
    url: str
    title: str  # the link's title
    found_on: str
    rank: int  # index in _COLUMN_TITLES (0 = most specific)


@dataclass
class Discovery:
    start: str
    column: str | None = None
    title: str = ""
    found_on: str = ""
    platform: str = ""
    reports: list[Link] = field(default_factory=list)  # report links on the column's first page
    agency: str | None = None
    pages_read: int = 0
    candidates: list[Candidate] = field(default_factory=list)


def column_rank(title: str) -> int | None:
    """How specific a link title is as an annual-report column (None: not one)."""
    title = re.sub(r"\s+", "", title)
    if not title or _YEAR.search(title) or len(title) > 20:
        return None
    return next((rank for rank, pattern in enumerate(_COLUMN_TITLES) if pattern.search(title)), None)


def is_hub(title: str) -> bool:
    title = re.sub(r"\s+", "", title)
    return bool(title) and len(title) <= 20 and not _YEAR.search(title) and bool(_HUB_TITLES.search(title))


def site_of(host: str) -> str:
    """The registrable part of a host name, roughly: the last three labels under .gov.cn / .com.cn …,
    else the last two. Sibling hosts of a portal share it."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in {"gov", "com", "org", "edu", "net"} and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


AllowHost = Callable[[str], None]


def discover(start: str, get: Get, *, years: tuple[int, int], allow_host: AllowHost | None = None) -> Discovery:
    """Look for the annual-report column from `start` (see the module docstring). `get` fetches a
    page; `allow_host(host)` is told of each host about to be read (the client widens its hosts)."""
    result = Discovery(start=start)
    home = site_of(urlsplit(start).hostname or "")
    queue = deque([(start, 0, "")])
    seen = {start}
    read: dict[str, tuple[str, Listing]] = {}  # url → (page title, listing) of pages already read
    while queue and result.pages_read < MAX_PAGES:
        url, depth, _via = queue.popleft()
        page_title, listing = _read(url, get, allow_host, result)
        if listing is None:
            continue
        read[url] = (page_title, listing)
        if url == start and _lists_reports(listing, years) and column_rank(_short_title(page_title)) is not None:
            return _confirm(result, Candidate(url, page_title, url, 0), listing, years)
        for link in listing.links:
            host = urlsplit(link.url).hostname or ""
            if site_of(host) != home or link.url in seen:
                continue
            rank = column_rank(link.title)
            if rank is not None:
                seen.add(link.url)
                result.candidates.append(Candidate(link.url, link.title, url, rank))
            elif is_hub(link.title) and depth + 1 < MAX_DEPTH:
                seen.add(link.url)
                queue.append((link.url, depth + 1, url))
        if result.candidates and not any(d == depth for _, d, _ in queue):
            break  # candidates at this depth: deeper pages would only be less direct routes
    for candidate in sorted(result.candidates, key=lambda c: c.rank):
        if result.pages_read >= MAX_PAGES:
            break
        if candidate.url in read:
            listing = read[candidate.url][1]
        else:
            _, listing = _read(candidate.url, get, allow_host, result)
        if listing is not None and _lists_reports(listing, years):
            return _confirm(result, candidate, listing, years)
    return result


def _read(url: str, get: Get, allow_host: AllowHost | None, result: Discovery) -> tuple[str, Listing | None]:
    if allow_host is not None:
        allow_host(urlsplit(url).hostname or "")
    page = get(url, optional=True)
    result.pages_read += 1
    if page.data is None or not (page.media_type or "").startswith(("text/", "application/xhtml")):
        return "", None
    text = decode_html(page.data, page.charset)
    m = _PAGE_TITLE.search(text[:20000])
    title = re.sub(r"\s+", " ", m.group(1)).strip() if m else ""
    return title, read_listing(ListingDoc(url=page.final_url, text=text, listing_url=page.final_url))


def _lists_reports(listing: Listing, years: tuple[int, int]) -> bool:
    return bool(report_links(listing.links, years)) or "jcms" in listing.platform and bool(listing.more)


def _short_title(page_title: str) -> str:
    return re.split(r"[_|\-—–\s]", page_title.strip())[0] if page_title else ""


def _confirm(result: Discovery, candidate: Candidate, listing: Listing, years: tuple[int, int]) -> Discovery:
    result.column, result.title, result.found_on = candidate.url, candidate.title, candidate.found_on
    result.platform = listing.platform
    result.reports = [link for link in listing.links if is_report_title(link.title)]
    prefixes = Counter(m.group(1).strip() for link in result.reports
                       if (m := _AGENCY_BEFORE_YEAR.match(link.title)))
    result.agency = prefixes.most_common(1)[0][0] if prefixes else None
    return result


def catalogue_entry(found: Discovery) -> str:
    """A `sources:` entry ready to paste, with what was found as comments."""
    if found.column is None:
        raise ValueError("no column found")
    years = sorted({int(m.group(0)) for link in found.reports if (m := _YEAR.search(link.title))})
    span = f"{years[0]}–{years[-1]}" if years else "no year in the titles"
    agency = found.agency or "CHECK: the agency's full name"
    more = " and further pages" if found.platform not in ("generic", "") else ""
    lines = [
        f"  # found from {found.start}: link \"{found.title}\" on {found.found_on}",
        f"  # platform: {found.platform}; {len(found.reports)} report links on its first page ({span}){more}",
        f"  - agency: {agency}",
        f"    name: {_name(found)}",
        f'    listing: ["{found.column}"]',
    ]
    if found.agency is None:
        lines.insert(2, "  # the agency could not be read from the report titles: fill it in")
    return "\n".join(lines) + "\n"


def _name(found: Discovery) -> str:
    host = (urlsplit(found.column or "").hostname or "site").replace(".", "_")
    column = re.search(r"col(\d+)", found.column or "")
    return f"{host}_col{column.group(1)}" if column else f"{host}_annual_reports"


def discover_url(start: str, settings: Settings) -> Discovery:
    """`discover` over HTTP with the catalogue's politeness (user agent, robots.txt, rate, deadlines);
    pages go to a throw-away store."""
    from fetching.fetch import HttpClient
    from fetching.store import RawStore

    host = urlsplit(start).hostname or ""
    run_id = "discover-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    with tempfile.TemporaryDirectory(prefix="ogi-discover-") as tmp, HttpClient(
            replace(settings, retries=min(settings.retries, 1)), hosts=frozenset({host}), store=RawStore(tmp),
            run_id=run_id, source_name="discover") as client:

        def allow(other: str) -> None:
            client.hosts = client.hosts | {other}

        return discover(start, client.get, years=settings.years, allow_host=allow)
