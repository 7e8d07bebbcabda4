"""Hanweb JCMS column pages (`/col/col<id>/index.html`).

What such a page shows:
- its first records inline, each an HTML fragment in a CDATA `<record>` of a `<datastore>` inside
  `<script type="text/xml">`;
- a `<nextgroup>` CDATA link to the column's data proxy, whose query carries the column's parameters
  (appid, webid, path, columnid, unitid, webname, permissiontype);
- a `$('#<unitid>').jpage({ … totalRecord: 85, perPage: 15, groupSize: 3, proxyUrl: '…' … })` call that
  pages through the rest.
The rest of the records are only reachable by POSTing the column's form (col, appid, webid, path,
columnid, sourceContentType, unitid, webname, permissiontype) to
`<proxy>?startrecord=N&endrecord=M&perpage=K`, where the proxy is `/module/jpage/dataproxy.jsp`,
`/module/web/jpage/dataproxy.jsp`, `/module/jslib/jquery/jpage/dataproxy.jsp` or, for lists drawn
from several columns, `…/morecolumndataproxy.jsp`. The answer is the same `<datastore>` XML (often
with `<totalrecord>`), so this adapter reads both the page and the proxy's answers.

The requests cover every record from the first one not shown inline to `totalRecord`, one group
(perPage × groupSize records, as the platform's own script asks) per request. Without a known total,
one group is asked for at a time, the next only when the previous one came back full.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from fetching.listings.base import Listing, ListingDoc
from fetching.listings.html import fragment_links
from fetching.webpage import PageRequest

FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
             "permissiontype")
_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "webname": "", "permissiontype": "0"}
_REQUIRED = ("webid", "columnid", "unitid")
DEFAULT_PROXY = "/module/jpage/dataproxy.jsp"

_RECORD = re.compile(r"<record\b[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_TOTAL_TAG = re.compile(r"<totalrecord>\s*(\d{1,9})\s*</totalrecord>", re.I)
_PROXY = re.compile(r"/module/(?:web/|jslib/jquery/)?jpage/(?:morecolumn)?dataproxy\.jsp", re.I)
_JPAGE = re.compile(r"""(?:\$|jQuery)\(\s*['"]#([\w-]+)['"]\s*\)\s*\.\s*jpage\s*\(|\.jpage\s*\(""")
_COLUMN_IN_URL = re.compile(r"/col/col(\d+)/")
_MAX_TOTAL = 100_000  # a page claiming more is lying; the crawl's page cap bounds requests anyway


def _option(block: str, name: str) -> str | None:
    m = re.search(rf"""\b{name}\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|([\w./%-]+))""", block)
    return next((g for g in m.groups() if g is not None), None) if m else None


def _int_option(block: str, name: str) -> int | None:
    value = _option(block, name)
    return int(value) if value and value.isdigit() and 0 < int(value) <= _MAX_TOTAL else None


def _jpage_block(text: str) -> tuple[str, str | None]:
    """The options of the page's jpage(...) call (bounded, not parsed as JS) and the list's element id."""
    m = _JPAGE.search(text)
    if not m:
        return "", None
    return text[m.end(): m.end() + 4000], m.group(1)


def _nextgroup_href(text: str) -> str | None:
    m = _NEXTGROUP.search(text)
    href = _HREF.search(m.group(1)) if m else None
    return href.group(1).replace("&amp;", "&") if href else None


def _range(url: str) -> tuple[int, int, int] | None:
    query = dict(parse_qsl(urlsplit(url).query))
    try:
        return int(query["startrecord"]), int(query["endrecord"]), int(query["perpage"])
    except (KeyError, ValueError):
        return None


def _requests(proxy: str, form: tuple[tuple[str, str], ...], start: int, total: int | None,
              per_page: int, group: int) -> list[PageRequest]:
    step = max(1, per_page * group)
    last = total if total is not None else start + step - 1  # unknown total: one group, then see
    requests = []
    for first in range(start, min(last, _MAX_TOTAL) + 1, step):
        end = min(first + step - 1, last)
        requests.append(PageRequest(f"{proxy}?startrecord={first}&endrecord={end}&perpage={per_page}", form))
    return requests


def read(doc: ListingDoc) -> Listing | None:
    text = doc.text
    records = _RECORD.findall(text)
    if doc.form is not None:
        return _read_answer(doc, records)
    block, element_id = _jpage_block(text)
    proxy_seen = _PROXY.search(text)
    if not records and not block and not proxy_seen:
        return None
    links = fragment_links(records, doc.url)
    # The platform's own next-group link first, then the jpage options, then the platform's defaults.
    params: dict[str, str] = {}
    nextgroup = _nextgroup_href(text)
    if nextgroup:
        params.update({k: v for k, v in parse_qsl(urlsplit(nextgroup).query, keep_blank_values=True)
                       if k in FORM_KEYS})
    for key in FORM_KEYS:
        value = _option(block, key)
        if key not in params and value is not None:
            params[key] = value
    for key, value in _DEFAULTS.items():
        params.setdefault(key, value)
    if "unitid" not in params and (element_id or _option(block, "objName")):
        params["unitid"] = element_id or _option(block, "objName") or ""
    if "columnid" not in params and (m := _COLUMN_IN_URL.search(urlsplit(doc.url).path)):
        params["columnid"] = m.group(1)
    if any(not params.get(key) for key in _REQUIRED):
        return Listing(platform="jcms", links=links)  # inline records only: the proxy's form is unknown
    proxy_path = (urlsplit(nextgroup).path if nextgroup and _PROXY.search(nextgroup) else None) \
        or _option(block, "proxyUrl") or (proxy_seen.group(0) if proxy_seen else DEFAULT_PROXY)
    proxy = urljoin(doc.url, proxy_path)
    total_tag = _TOTAL_TAG.search(text)
    total = _int_option(block, "totalRecord") or (int(total_tag.group(1)) if total_tag else None)
    per_page = _int_option(block, "perPage") or 15
    group = min(_int_option(block, "groupSize") or 3, 20)
    form = tuple((key, str(params[key])) for key in FORM_KEYS if key in params)
    if total is not None and total <= len(records):
        return Listing(platform="jcms", links=links)  # everything is inline
    more = _requests(proxy, form, len(records) + 1, total, per_page, group)
    return Listing(platform="jcms", links=links, more=more)


def _read_answer(doc: ListingDoc, records: list[str]) -> Listing | None:
    """A data proxy's answer: its records, and the next group when the total was not known before."""
    if not records and "<datastore" not in doc.text.lower():
        return None
    links = fragment_links(records, doc.url)
    asked = _range(doc.url)
    if asked is None or doc.form is None:
        return Listing(platform="jcms", links=links)
    start, end, per_page = asked
    total_tag = _TOTAL_TAG.search(doc.text)
    total = int(total_tag.group(1)) if total_tag else None
    full = len(records) >= end - start + 1
    if (total is not None and total > end) or (total is None and full and records):
        proxy = doc.url.split("?", 1)[0]
        group = max(1, (end - start + 1) // max(1, per_page))
        more = _requests(proxy, doc.form, end + 1, total, per_page, group)
        return Listing(platform="jcms", links=links, more=more)
    return Listing(platform="jcms", links=links)
