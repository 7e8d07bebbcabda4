"""The fallback every listing gets: all links of the page, whatever platform built it."""

from __future__ import annotations

from fetching.listings.base import Listing, ListingDoc
from fetching.listings.html import page_links


def read(doc: ListingDoc) -> Listing:
    return Listing(platform="generic", links=page_links(doc.root, doc.url))
