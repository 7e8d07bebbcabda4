"""From listing pages to reports: which links are reports, in which years, and their attachments.

The selection functions are pure (links in, links out); `crawl` drives them with a `get` function
(`fetching.fetch.HttpClient.get`), so the crawl order and the selection rules can be tested without a
network. Reading a listing page — its links and its further pages, per platform — is
`fetching.listings`.

Rules:
- a listing is read breadth first from its catalogue URL through every further page its platform
  shows (JCMS data-proxy POSTs, TRS `createPageHTML` pages, 下一页 links), at most
  `Settings.max_listing_pages` pages, and at most `Settings.max_listing_links` report links kept per
  listing (listings run newest first, so the cap keeps the newest); a cap that is hit is noted;
- a report link's title names 信息公开 / 政务公开 and a 年度报告 / 年报 / 工作报告 / 工作总结
  (simplified or traditional); its first "YYYY年" must lie within `Settings.years`; with no year in
  the title, the date printed beside the link decides (published in P: a report on P-2 … P);
- each URL is fetched once per crawl, and content already fetched under another URL is kept once
  (the first URL; the fetch log shows both with the same document id);
- attachments are links on a report page whose path, query or title ends in .pdf / .doc / .docx;
  each records the report page that linked it (URL and document id).
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urlsplit

from fetching.catalogue import Settings, Source
from fetching.listings import Listing, ListingDoc, read_listing
from fetching.listings.html import decode_html
from fetching.listings.paged import next_pages
from fetching.webpage import Get, Link, Page, PageRequest

__all__ = ["Crawl", "Hit", "Link", "attachment_links", "crawl", "decode_html", "is_report_title", "listing_pages",
           "next_pages", "page_links", "report_links", "title_year"]

logger = logging.getLogger("ogi.crawl")

_REPORT_TITLE = re.compile(
    r"(信息公开|信息公開|政务公开|政務公開).{0,16}?(年度报告|年度報告|年报|年報|工作报告|工作報告|工作总结|工作總結)")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?)$", re.I)


@dataclass(frozen=True)
class Hit:
    """A fetched report or attachment, with how it was found."""

    page: Page
    title: str
    referrer: str | None  # the listing page (report) or report page (attachment) that linked here
    role: str = "report"  # "report" or "attachment"
    parent_document_id: str | None = None  # an attachment's report page, by content


@dataclass
class Crawl:
    hits: list[Hit] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (listing URL, what was cut and why)


# --- selection --------------------------------------------------------------------------------------

def page_links(data: bytes, base_url: str, charset: str | None = None) -> list[Link]:
    """All links of a page as its listing adapters read them (anchors and JCMS records), in order."""
    return read_listing(ListingDoc(url=base_url, text=decode_html(data, charset), listing_url=base_url)).links


def title_year(title: str) -> int | None:
    """The first "YYYY年" of a title: the report year (2024年度 → 2024)."""
    m = _TITLE_YEAR.search(title)
    return int(m.group(1)) if m else None


def is_report_title(title: str) -> bool:
    """An OGI annual report or work summary (not a plan, notice or news item)."""
    return bool(_REPORT_TITLE.search(title))


def in_years(link: Link, years: tuple[int, int]) -> bool:
    year = title_year(link.title)
    if year is not None:
        return years[0] <= year <= years[1]
    if link.date:
        published = int(link.date[:4])  # a report on year Y appears in Y+1, a correction later
        return published >= years[0] and published - 2 <= years[1]
    return True


def report_links(links: Iterable[Link], years: tuple[int, int]) -> list[Link]:
    return [link for link in links if is_report_title(link.title) and in_years(link, years)]


def attachment_links(links: Iterable[Link]) -> list[Link]:
    """Links to PDF / DOC / DOCX files (by path, by a file name in the query, or by link title)."""
    kept = []
    for link in links:
        parts = urlsplit(link.url)
        query_names = [unquote(v) for v in re.split(r"[&=]", parts.query)]
        if (_ATTACHMENT.search(unquote(parts.path)) or any(_ATTACHMENT.search(v) for v in query_names)
                or _ATTACHMENT.search(link.title)):
            kept.append(link)
    return kept


# --- the crawl --------------------------------------------------------------------------------------

def listing_pages(listing_url: str, settings: Settings, get: Get,
                  notes: list[tuple[str, str]] | None = None) -> Iterator[tuple[Page, Listing]]:
    """The listing page and the pages its platform points at, breadth first, each with what it lists.
    Stops after `settings.max_listing_pages` pages (noted) or when the caller stops iterating."""
    queue = deque([PageRequest(listing_url)])
    seen = {queue[0].key}
    fetched = 0
    while queue:
        if fetched >= settings.max_listing_pages:
            _note(notes, listing_url, f"capped: read {fetched} pages of this listing (max_listing_pages), "
                                      f"{len(queue)} more not fetched")
            return
        request = queue.popleft()
        page = get(request.url, optional=fetched > 0, form=request.form)
        fetched += 1
        if page.data is None:
            continue
        listing = Listing(platform="none")
        if _is_text(page):
            doc = ListingDoc(url=page.final_url, text=decode_html(page.data, page.charset), listing_url=listing_url,
                             form=request.form)
            listing = read_listing(doc)
        for more in listing.more:
            if more.key not in seen:
                seen.add(more.key)
                queue.append(more)
        logger.debug("%s: %s page, %d links, %d more pages", page.final_url, listing.platform, len(listing.links),
                     len(listing.more))
        yield page, listing


def crawl(source: Source, settings: Settings, get: Get, *, workers: int = 2) -> Crawl:
    """Listing pages → report links → report pages → attachments. Returns every page fetched with
    bytes except listing pages, reports first (listing order, then `reports:`), then attachments, and
    notes on caps that were hit. Report links found on listings are fetched with `optional=True`."""
    result = Crawl()
    wanted: dict[str, tuple[str, str | None]] = {}  # url → (title, referrer)
    for listing_url in source.listing:
        kept = 0
        for page, listing in listing_pages(listing_url, settings, get, result.notes):
            found = [link for link in report_links(listing.links, settings.years) if link.url not in wanted]
            room = settings.max_listing_links - kept
            for link in found[:room]:
                wanted[link.url] = (link.title, page.final_url)
            kept += min(room, len(found))
            if len(found) > room:
                _note(result.notes, listing_url,
                      f"capped: kept the first {settings.max_listing_links} report links of this listing "
                      f"(max_listing_links); {len(found) - room} more on {page.final_url} and any later "
                      f"pages not fetched")
                break
    for url in source.reports:
        wanted.setdefault(urldefrag(url)[0], ("", None))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pages = pool.map(lambda url: get(url, optional=wanted[url][1] is not None), wanted)
        reports = _distinct([Hit(page, *wanted[url]) for url, page in zip(wanted, pages, strict=True)])
        attachments: dict[str, tuple[str, str | None, str | None]] = {}
        for hit in reports:
            if _is_html(hit.page):
                links = page_links(hit.page.data or b"", hit.page.final_url, hit.page.charset)
                for link in attachment_links(links):
                    if link.url not in wanted:
                        attachments.setdefault(link.url, (link.title or hit.title, hit.page.final_url,
                                                          hit.page.document_id))
        fetched = [Hit(page, title, referrer, "attachment", parent)
                   for (title, referrer, parent), page in zip(attachments.values(), pool.map(get, attachments),
                                                              strict=True)]
    result.hits = _distinct(reports + fetched)
    return result


def _distinct(hits: list[Hit]) -> list[Hit]:
    """Hits with bytes, the first of each content (the same report under two URLs is one document)."""
    seen: set[str | None] = set()
    kept = []
    for hit in hits:
        if hit.page.data is None or hit.page.document_id in seen:
            continue
        seen.add(hit.page.document_id)
        kept.append(hit)
    return kept


def _note(notes: list[tuple[str, str]] | None, url: str, message: str) -> None:
    logger.warning("%s: %s", url, message)
    if notes is not None:
        notes.append((url, message))


def _is_html(page: Page) -> bool:
    # a type stored by an earlier run may still be application/xhtml+xml (sniff now says HTML)
    return (page.media_type or "").startswith(("text/html", "application/xhtml")) and page.data is not None


def _is_text(page: Page) -> bool:
    """Listing answers are HTML, or XML from a data proxy (text/xml), sometimes labelled text/plain."""
    media = page.media_type or ""
    return page.data is not None and (media.startswith("text/") or media.endswith("xml"))
