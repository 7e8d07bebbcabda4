"""Bytes → text for the text formats (HTML, plain text, Markdown).

Chinese government sites mix UTF-8, GB2312/GBK/GB18030 and (Hong Kong, Taiwan mirrors) Big5, and their
HTTP headers and <meta> tags are often wrong. Order of evidence: byte-order mark, the declared charset
(HTTP header), the document's own <meta> charset, then detection. A declared legacy charset is not
trusted blindly: bytes that are valid UTF-8 with multi-byte sequences are UTF-8 (random GBK/Big5 text is
practically never valid UTF-8), and a declaration whose codec rejects the bytes is skipped. Decoding
never raises: undecodable bytes become U+FFFD and many of them give a "mojibake" issue.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from extract.record import Issue

# Names we report, and the codec actually used for each: GB2312/GBK are read as their superset GB18030,
# Big5 as Big5-HKSCS (a superset that also covers the Hong Kong characters).
_CODEC = {"utf-8": "utf-8", "gb18030": "gb18030", "big5": "big5hkscs", "utf-16": "utf-16"}
_ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "csgb2312": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "windows-936": "gb18030",
    "big5": "big5", "big5-hkscs": "big5", "big5hkscs": "big5", "cp950": "big5", "x-x-big5": "big5",
    "cn-big5": "big5", "csbig5": "big5",
    "utf-16": "utf-16", "utf-16le": "utf-16", "utf-16be": "utf-16",
}
_META_RE = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_MOJIBAKE_MIN = 8  # replacement characters tolerated before an issue is raised (stray bytes happen)


@dataclass
class Decoded:
    text: str
    encoding: str  # "utf-8", "gb18030", "big5" or "utf-16"
    issues: list[Issue] = field(default_factory=list)


def canonical(name: str | None) -> str | None:
    """The charset family we read `name` as, or None when it is unknown or not a CJK/UTF encoding."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower().replace("_", "-")
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        py = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(py.replace("_", "-"))


def meta_charset(data: bytes) -> str | None:
    """The charset of the first <meta charset> / <meta http-equiv> in the head of an HTML document."""
    m = _META_RE.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(_CODEC[enc])
    except (UnicodeDecodeError, LookupError):
        return None


def _multibyte_utf8(data: bytes) -> str | None:
    """The text of bytes that are valid UTF-8 with multi-byte sequences, else None. The text is kept: a
    page that is UTF-8 (most are) is then decoded once, not once to test and once to read."""
    if data.isascii():
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> str | None:
    """GB18030 vs Big5 for bytes that are not UTF-8; charset-normalizer decides when both codecs accept."""
    gb, big5 = _strict(data, "gb18030"), _strict(data, "big5")
    if gb is None or big5 is None:
        return "gb18030" if gb is not None else ("big5" if big5 is not None else None)
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=["gb18030", "big5"], preemptive_behaviour=False).best()
    return canonical(best.encoding) if best is not None else "gb18030"


def _with_bom(data: bytes) -> Decoded | None:
    if data.startswith(codecs.BOM_UTF8):
        return _finish(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _finish(data, "utf-16")
    return None


def _finish(data: bytes, enc: str, text: str | None = None) -> Decoded:
    """`text`: the bytes already decoded as `enc` (strictly, so errors="replace" would give the same)."""
    if text is None:
        text = data.decode(_CODEC[enc], errors="replace")
    issues: list[Issue] = []
    bad = text.count("\ufffd")
    if bad >= _MOJIBAKE_MIN:
        issues.append(Issue("mojibake", f"{bad} undecodable byte sequences replaced when reading as {enc}"))
    return Decoded(text, enc, issues)


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode document bytes (see the module docstring for the order of evidence)."""
    if (bom := _with_bom(data)) is not None:
        return bom
    utf8 = _multibyte_utf8(data)
    utf8_ok = utf8 is not None
    for candidate in (canonical(declared), canonical(meta_charset(data))):
        if candidate is None or candidate == "utf-16":
            continue
        if utf8_ok:  # declared UTF-8, or mislabelled UTF-8: the common case on government sites
            return _finish(data, "utf-8", utf8)
        if _strict(data, candidate) is not None:
            return _finish(data, candidate)
    if utf8_ok or data.isascii():
        return _finish(data, "utf-8", utf8)
    detected = _detect(data)
    if detected is not None:
        return _finish(data, detected)
    # Nothing decodes cleanly: take the declared charset if any, else the one that loses least.
    fallback = canonical(declared) or canonical(meta_charset(data))
    if fallback in (None, "utf-16"):
        fallback = min(("utf-8", "gb18030", "big5"),
                       key=lambda e: data.decode(_CODEC[e], errors="replace").count("\ufffd"))
    return _finish(data, fallback)
