"""The fallback every listing gets: all links of the page, whatever platform built it."""

from __future__ import annotations

from extract.listings.base import Listing, ListingDoc
from extract.listings.html import page_links


def read(doc: ListingDoc) -> Listing:
    return Listing(platform="generic", links=page_links(doc.root, doc.url))
