"""What an adapter reads (`ListingDoc`) and what it gives back (`Listing`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import lxml.html

from fetching.listings.html import parse
from fetching.webpage import Link, PageRequest


@dataclass(frozen=True)
class ListingDoc:
    """A fetched listing page (or data-proxy answer), decoded."""

    url: str  # the URL it was fetched from (after redirects); links resolve against it
    text: str
    listing_url: str = ""  # the catalogue's listing URL this page belongs to (its folder bounds paging)
    form: tuple[tuple[str, str], ...] | None = None  # the form POSTed to get it, if any

    @cached_property
    def root(self) -> lxml.html.HtmlElement | None:
        return parse(self.text)


@dataclass
class Listing:
    platform: str
    links: list[Link] = field(default_factory=list)
    more: list[PageRequest] = field(default_factory=list)
