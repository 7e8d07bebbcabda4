"""TRS WCM listing pages (`/zwgk/…/index.html`, articles `./YYYYMM/tYYYYMMDD_N.html`).

Their page links exist only in a script: `createPageHTML(countPage, currentPage, "index", "html")`
writes links to index.html, index_1.html … index_<countPage-1>.html, with the counts given as numbers
or as variables declared beside the call (`var countPage = 12;`). Newer templates pass the element id
first and the record count last: `createPageHTML('page_div', 12, 0, 'index', 'html', 178)`.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from fetching.listings.base import Listing, ListingDoc
from fetching.webpage import PageRequest

_CALL = re.compile(r"createPageHTML\s*\(([^()]{0,300})\)")
_ARG = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|(-?\d+)|([A-Za-z_$][\w$]*))\s*(?:,|$)""")
_NAME = re.compile(r"^[\w.-]{1,40}$")
_MAX_PAGES = 1000


def _variable(text: str, name: str) -> int | None:
    m = re.search(rf"\b(?:var|let|const)?\s*{re.escape(name)}\s*=\s*(\d{{1,6}})\b", text)
    return int(m.group(1)) if m else None


def _arguments(call: str, text: str) -> tuple[list[int], list[str]] | None:
    numbers: list[int] = []
    strings: list[str] = []
    for m in _ARG.finditer(call):
        single, double, number, name = m.groups()
        if number is not None:
            numbers.append(int(number))
        elif name is not None:
            value = _variable(text, name)
            if value is None:
                return None
            numbers.append(value)
        elif single is not None or double is not None:
            strings.append(single if single is not None else double)  # type: ignore[arg-type]
    return numbers, strings


def read(doc: ListingDoc) -> Listing | None:
    m = _CALL.search(doc.text)
    if not m:
        return None
    parsed = _arguments(m.group(1), doc.text)
    if parsed is None or len(parsed[0]) < 2 or len(parsed[1]) < 2:
        return Listing(platform="trs")
    (count, _current, *_), (*_, prefix, suffix) = parsed
    if not (_NAME.match(prefix) and _NAME.match(suffix)):
        return Listing(platform="trs")
    pages = [PageRequest(urljoin(doc.url, f"{prefix}_{n}.{suffix}")) for n in range(1, min(count, _MAX_PAGES))]
    return Listing(platform="trs", more=pages)
