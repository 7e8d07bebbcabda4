"""Plain pagination: links titled 下一页 / 下页 / 后页 / next / › / », and links in the listing's own
folder named like index_2.html, page_3.shtml, list_4.htm, default_5.aspx."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from fetching.listings.base import Listing, ListingDoc
from fetching.listings.html import page_links
from fetching.webpage import Link, PageRequest

_NEXT_TITLES = frozenset({"下一页", "下页", "后页", "后一页", "下一頁", "下頁", "next", "next page", "›", "»", ">"})
_PAGE_NAME = re.compile(r"^(?:index|page|list|default)[_-]?\d+\.(?:s?html?|jsp|aspx?|php)$", re.I)


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


def read(doc: ListingDoc) -> Listing | None:
    urls = next_pages(page_links(doc.root, doc.url), doc.url, doc.listing_url or doc.url)
    if not urls:
        return None
    return Listing(platform="paged", more=[PageRequest(url) for url in urls])
