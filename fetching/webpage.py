"""The values fetching and listing-reading pass around: a fetched page, a link, a page request.

Kept apart from `fetch` (the HTTP client) and `crawl` (the selection rules) so neither imports the
other's module for a type, and the listing adapters need neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode


@dataclass
class Page:
    """The outcome of `HttpClient.get`: bytes (fresh or, after a 304, from the store) or an error."""

    url: str  # as requested
    final_url: str
    status: int | None = None
    data: bytes | None = None
    document_id: str | None = None
    unchanged: bool = False
    media_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str = ""
    error: str | None = None


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    title: str  # title attribute or text, whichever says more; whitespace collapsed
    date: str | None = None  # a YYYY-MM-DD date printed next to the link (list item / table row), if any


@dataclass(frozen=True)
class PageRequest:
    """One more page of a listing: a GET of `url`, or a POST of `form` to it (JCMS data proxies)."""

    url: str
    form: tuple[tuple[str, str], ...] | None = None

    @property
    def key(self) -> str:
        """What makes two requests the same (a crawl never sends one twice)."""
        return self.url if self.form is None else f"POST {self.url} {urlencode(self.form)}"


class Get(Protocol):
    """`HttpClient.get`: never raises; a failure is a Page with `error` and no data. With `form` the
    request is a POST of that form (application/x-www-form-urlencoded)."""

    def __call__(self, url: str, *, optional: bool = False,
                 form: tuple[tuple[str, str], ...] | None = None) -> Page: ...
