"""From listing pages to reports: links, pagination, report titles, attachments.

The parsing functions are pure (bytes in, links out); `crawl` drives them with a `get(url) -> Page`
function (`extract.fetch.HttpClient.get`), so the crawl order and the selection rules can be tested
without a network.

Rules:
- links are `<a href>` anywhere in the page, plus those inside `<script type="text/xml">` record
  blocks (the CDATA `<record>`s of the JCMS column pages many Zhejiang sites use); relative hrefs are
  resolved against `<base href>` or the page URL; fragments are dropped;
- pagination: links titled 下一页 / 下页 / 后页 / next / › / », and links in the listing's own folder
  named like index_2.html, page_3.shtml, list_4.htm; at most `Settings.max_listing_pages` per listing;
- a report link's title names 信息公开 / 政务公开 and a 年度报告 / 年报 / 工作报告 / 工作总结
  (simplified or traditional); its first "YYYY年" must lie within `Settings.years` (no year: kept);
- attachments are links on a report page whose path, query or title ends in .pdf / .doc / .docx.
HTML is parsed by lxml's HTML parser with network access off; HTML has no external entities to resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from extract.catalogue import Settings, Source
from extract.formats import HTML

if TYPE_CHECKING:
    from extract.fetch import Page

_REPORT_TITLE = re.compile(
    r"(信息公开|信息公開|政务公开|政務公開).{0,16}?(年度报告|年度報告|年报|年報|工作报告|工作報告|工作总结|工作總結)")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_NEXT_TITLES = frozenset({"下一页", "下页", "后页", "后一页", "下一頁", "下頁",
                          "next", "next page", "›", "»", ">"})
_PAGE_NAME = re.compile(r"^(?:index|page|list|default)[_-]?\d+\.s?html?$", re.I)
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?)$", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SPACE = re.compile(r"\s+")
# Declared Chinese encodings are decoded as their superset: pages labelled gb2312 routinely hold GBK.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
             "big5": "big5hkscs"}


class Get(Protocol):
    """`HttpClient.get`: never raises; a failure is a Page with `error` and no data."""

    def __call__(self, url: str, *, optional: bool = False) -> Page: ...


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    title: str  # title attribute or text, whichever says more; whitespace collapsed


@dataclass(frozen=True)
class Hit:
    """A fetched report or attachment, with how it was found."""

    page: Page
    title: str
    referrer: str | None


# --- parsing ----------------------------------------------------------------------------------------

def decode_html(data: bytes, charset: str | None = None) -> str:
    """Text of an HTML page: the header charset, else the <meta> charset, else UTF-8, else a guess."""
    meta = _META_CHARSET.search(data[:4096])
    candidates = [charset, meta.group(1).decode("ascii") if meta else None, "utf-8"]
    for name in candidates:
        if not name:
            continue
        try:
            return data.decode(_SUPERSET.get(name.lower(), name))
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


def page_links(data: bytes, base_url: str, charset: str | None = None) -> list[Link]:
    """All links of an HTML page, absolute, in document order, first occurrence of each URL."""
    root = _parse(decode_html(data, charset))
    if root is None:
        return []
    base = base_url
    for element in root.iter("base"):
        if element.get("href"):
            base = urljoin(base_url, element.get("href").strip())
            break
    anchors = list(root.iter("a"))
    for script in root.iter("script"):
        if "xml" in (script.get("type") or "").lower() and script.text:
            for record in _CDATA.findall(script.text):
                fragment = _parse(record)
                if fragment is not None:
                    anchors.extend(fragment.iter("a"))
    seen: dict[str, Link] = {}
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:", "tel:")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        text = _SPACE.sub(" ", a.text_content()).strip()
        attr = _SPACE.sub(" ", a.get("title") or "").strip()
        title = attr if len(attr) > len(text) else text
        if url not in seen or (title and not seen[url].title):
            seen[url] = Link(url, title)
    return list(seen.values())


def _parse(text: str) -> lxml.html.HtmlElement | None:
    # A parser per call: lxml parser objects must not be shared between threads.
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def title_year(title: str) -> int | None:
    """The first "YYYY年" of a title: the report year (2024年度 → 2024)."""
    m = _TITLE_YEAR.search(title)
    return int(m.group(1)) if m else None


def is_report_title(title: str) -> bool:
    """An OGI annual report or work summary (not a plan, notice or news item)."""
    return bool(_REPORT_TITLE.search(title))


def report_links(links: Iterable[Link], years: tuple[int, int]) -> list[Link]:
    kept = []
    for link in links:
        year = title_year(link.title)
        if is_report_title(link.title) and (year is None or years[0] <= year <= years[1]):
            kept.append(link)
    return kept


def next_pages(links: Iterable[Link], page_url: str, listing_url: str) -> list[str]:
    """Links to further pages of a listing: "next" links, and page-numbered files in its folder."""
    folder = urlsplit(listing_url)._replace(query="", fragment="").geturl().rsplit("/", 1)[0] + "/"
    found = []
    for link in links:
        parts = urlsplit(link.url)
        name = parts.path.rsplit("/", 1)[-1]
        numbered = link.url.startswith(folder) and _PAGE_NAME.match(name)
        if (link.title.strip().lower() in _NEXT_TITLES or numbered) and link.url != page_url:
            if parts.scheme in ("http", "https"):
                found.append(link.url)
    return found


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

def listing_pages(listing_url: str, settings: Settings, get: Get) -> list[Page]:
    """The listing page and the pages reached from it by pagination links, breadth first."""
    queue, seen, pages = [listing_url], {listing_url}, []
    while queue and len(pages) < settings.max_listing_pages:
        page = get(queue.pop(0))
        if page.data is None:
            continue
        pages.append(page)
        if not _is_html(page):
            continue
        links = page_links(page.data, page.final_url, page.charset)
        for url in next_pages(links, page.final_url, listing_url):
            if url not in seen:
                seen.add(url)
                queue.append(url)
    return pages


def crawl(source: Source, settings: Settings, get: Get, *, workers: int = 2) -> list[Hit]:
    """Listing pages → report links → report pages → attachments. Returns every page fetched with
    bytes except listing pages, reports first (listing order, then `reports:`), then attachments.
    Report links found on listings are fetched with `optional=True` (see `HttpClient.get`)."""
    wanted: dict[str, tuple[str, str | None]] = {}  # url → (title, referrer)
    for listing_url in source.listing:
        for page in listing_pages(listing_url, settings, get):
            if _is_html(page):
                links = page_links(page.data or b"", page.final_url, page.charset)
                for link in report_links(links, settings.years):
                    wanted.setdefault(link.url, (link.title, page.final_url))
    for url in source.reports:
        wanted.setdefault(urldefrag(url)[0], ("", None))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pages = pool.map(lambda url: get(url, optional=wanted[url][1] is not None), wanted)
        reports = [Hit(page, *wanted[url]) for url, page in zip(wanted, pages, strict=True)]
        reports = [hit for hit in reports if hit.page.data is not None]
        attachments: dict[str, tuple[str, str | None]] = {}
        for hit in reports:
            if _is_html(hit.page):
                links = page_links(hit.page.data or b"", hit.page.final_url, hit.page.charset)
                for link in attachment_links(links):
                    if link.url not in wanted:
                        attachments.setdefault(link.url, (link.title or hit.title, hit.page.final_url))
        fetched = [Hit(page, *attachments[url]) for url, page in zip(attachments, pool.map(get, attachments),
                                                                      strict=True)]
    return reports + [hit for hit in fetched if hit.page.data is not None]


def _is_html(page: Page) -> bool:
    # a type stored by an earlier run may still be application/xhtml+xml (sniff now says HTML)
    return (page.media_type or "").startswith((HTML, "application/xhtml")) and page.data is not None
