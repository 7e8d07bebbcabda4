"""HTML → links: `<a href>` anywhere in a page, resolved against `<base href>` or the page URL, each
with its title and the date printed beside it.

HTML is parsed by lxml's HTML parser with network access off (HTML has no external entities to
resolve); the bytes are decoded by the shared charset decoder (`extract.decode`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree

from extract.decode import decode
from fetching.webpage import Link

_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_ROW_TAGS = frozenset({"li", "tr", "dd", "dt", "p"})
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Text of a page: BOM, then the header charset, then <meta>, then detection (`extract.decode`)."""
    return decode(data, declared=charset).text


def parse(text: str) -> lxml.html.HtmlElement | None:
    # A parser per call: lxml parser objects must not be shared between threads.
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def base_url(root: lxml.html.HtmlElement | None, page_url: str) -> str:
    if root is not None:
        for element in root.iter("base"):
            href = (element.get("href") or "").strip()
            if href:
                return urljoin(page_url, href)
    return page_url


def anchor_links(anchors: Iterable[lxml.html.HtmlElement], base: str) -> list[Link]:
    """Links of these anchors, absolute, first occurrence of each URL (a later one may add a title)."""
    seen: dict[str, Link] = {}
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
            continue
        try:
            url = urldefrag(urljoin(base, href))[0]
        except ValueError:  # a malformed IPv6 host or port in the href
            continue
        text = _SPACE.sub(" ", a.text_content()).strip()
        attr = _SPACE.sub(" ", a.get("title") or "").strip()
        title = attr if len(attr) > len(text) else text
        if url not in seen or (title and not seen[url].title):
            seen[url] = Link(url, title, _row_date(a))
    return list(seen.values())


def page_links(root: lxml.html.HtmlElement | None, page_url: str) -> list[Link]:
    if root is None:
        return []
    return anchor_links(root.iter("a"), base_url(root, page_url))


def fragment_links(fragments: Iterable[str], base: str) -> list[Link]:
    """Links inside HTML fragments (the CDATA records of a JCMS datastore)."""
    anchors: list[lxml.html.HtmlElement] = []
    for fragment in fragments:
        root = parse(fragment)
        if root is not None:
            anchors.extend(root.iter("a"))
    return anchor_links(anchors, base)


def _row_date(a: lxml.html.HtmlElement) -> str | None:
    """The date in the list item or table row that holds the link (listings print one per report)."""
    node = a
    for _ in range(3):
        node = node.getparent()
        if node is None:
            return None
        if node.tag in _ROW_TAGS:
            text = node.text_content()
            if len(text) > 400:  # a whole list, not one row
                return None
            m = _DATE.search(text)
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
    return None
