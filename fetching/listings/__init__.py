"""Reading listing pages: which links a page lists and which further pages of the listing it points at.

Each content platform pages its lists differently, so each has an adapter, chosen by what the page
shows (never by host name):

- `jcms`: Hanweb JCMS column pages — records inline in a `<datastore>` script, the rest only through a
  POST to the column's data proxy (`/module/jpage/`, `/module/web/jpage/`, `/module/jslib/jquery/jpage/`
  `dataproxy.jsp`, or `morecolumndataproxy.jsp` for multi-column lists);
- `trs`: TRS WCM pages — `createPageHTML(countPage, currentPage, "index", "html")` → index_1.html …;
- `paged`: plain pagination — 下一页 / next links and page-numbered files beside the listing;
- `generic`: every link of any page (always applied: the other adapters only add).

`read_listing` applies all of them and merges what they find; every adapter is a pure function of the
decoded page, so each is tested on markup alone.
"""

from __future__ import annotations

from fetching.listings import generic, jcms, paged, trs
from fetching.listings.base import Listing, ListingDoc
from fetching.webpage import Link, PageRequest

ADAPTERS = (jcms.read, trs.read, paged.read)

__all__ = ["ADAPTERS", "Listing", "ListingDoc", "read_listing"]


def read_listing(doc: ListingDoc) -> Listing:
    """The links of a listing page and the requests for its further pages, with the platforms seen."""
    found = [generic.read(doc)] + [listing for adapter in ADAPTERS if (listing := adapter(doc)) is not None]
    links: dict[str, Link] = {}
    more: dict[str, PageRequest] = {}
    for listing in found:
        for link in listing.links:
            if link.url not in links or (link.title and not links[link.url].title):
                links[link.url] = link
        for request in listing.more:
            more.setdefault(request.key, request)
    platforms = "+".join(listing.platform for listing in found[1:])
    return Listing(platform=platforms or "generic", links=list(links.values()), more=list(more.values()))
