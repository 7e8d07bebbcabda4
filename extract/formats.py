"""Document bytes → plain text with tables as pipe rows.

Every supported format (HTML, plain text, Markdown, PDF with a text layer, DOCX) renders to the same
shape: running text, block elements on their own lines, and every table row on one line as
"| c1 | c2 | … |" with row/column spans expanded (a spanned cell repeats in every grid position it
covers). The table parser (tables.py) only ever sees that shape or, for PDF tables drawn without
rules, the flattened text layer. `render` never raises: problems become `Issue`s.
"""

from __future__ import annotations

import codecs
import ctypes
import html as html_lib
import io
import re
import threading
import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from extract.decode import decode
from extract.record import Issue

MAX_BYTES = 50 * 1024 * 1024

HTML = "text/html"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"  # legacy Word: fetched and stored, not rendered
ZIP = "application/zip"
OCTET_STREAM = "application/octet-stream"
RENDERED = frozenset({HTML, TEXT, MARKDOWN, PDF, DOCX})

_MAX_COLSPAN = 64
_MAX_ROWSPAN = 2000
_MAX_COLUMNS = 256  # spans compound: a hostile table must not grow the grid without bound


@dataclass
class Rendered:
    text: str  # plain text; every table row on its own line as "| c1 | c2 | … |"
    media_type: str
    encoding: str | None
    issues: list[Issue] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- sniffing

_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|table|div|p|span|title|br)\b", re.I)
_MD_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXT = {
    ".html": HTML, ".htm": HTML, ".shtml": HTML, ".xhtml": HTML, ".jsp": HTML, ".asp": HTML,
    ".aspx": HTML, ".php": HTML, ".md": MARKDOWN, ".markdown": MARKDOWN, ".txt": TEXT,
    ".pdf": PDF, ".docx": DOCX, ".doc": DOC,
}
# Content-Types that say nothing about the bytes: download endpoints send them for anything, and sites
# label HTML pages and PDFs text/plain.
_VAGUE_TYPES = frozenset({"", OCTET_STREAM, "binary/octet-stream", "application/x-download",
                          "application/force-download", "application/download", TEXT})


def _ext(filename: str) -> str:
    """The lower-case suffix of a file name, path or URL (query and fragment ignored)."""
    path = urlsplit(filename).path if "://" in filename else filename
    name = path.rsplit("/", 1)[-1].lower()
    return name[name.rfind("."):] if "." in name else ""


def _is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _is_docx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" and b"word/" in data[:200_000]


def sniff(data: bytes, *, filename: str = "", media_type: str | None = None) -> str:
    """The media type of `data`, for fetching and rendering alike. File signatures come first (sites serve
    PDFs as octet-stream or text/html), then a specific Content-Type (`media_type`), then the suffix of
    `filename` (a path or URL), then HTML markers in the content. May be a type `render` does not read
    (DOC, ZIP, a declared image/png, OCTET_STREAM for unnamed binary bytes)."""
    if _is_pdf(data):
        return PDF
    if data.startswith(_OLE_SIGNATURE):
        return DOC
    declared = (media_type or "").split(";")[0].strip().lower()
    by_name = _EXT.get(_ext(filename))
    if data[:4] == b"PK\x03\x04":
        return DOCX if _is_docx(data) or DOCX in (declared, by_name) else ZIP
    if declared == "application/xhtml+xml":
        return HTML
    if declared not in _VAGUE_TYPES:
        return declared  # render() reports not_a_pdf / a DOCX that is not a zip when the bytes disagree
    if by_name in (PDF, DOCX, DOC, MARKDOWN):
        return by_name
    head = data[:4096]
    if by_name == HTML or _HTML_SNIFF.search(head):
        return HTML
    return TEXT if by_name == TEXT or b"\0" not in head else OCTET_STREAM


# ---------------------------------------------------------------------------------------------- helpers

# whitespace as the page's text has it (no-break, typographic and ideographic spaces, BOM); _WS_IN_LINE is the
# same without the line break
_SPACES = r" \t\r\f\v\u00a0\u2000-\u200b\u3000\ufeff"
_WS = re.compile(rf"[\n{_SPACES}]+")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_GAP = re.compile(rf" (?=[{_CJK}])(?<=[{_CJK}] )")  # the space first: the engine scans for it
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _clean_inline(text: str) -> str:
    """Collapse whitespace; drop the spaces a line break in the source leaves between two CJK characters."""
    if text.isalnum():  # most table cells ("0", "予以公开"): no whitespace of any kind, nothing to do
        return text
    text = _WS.sub(" ", text)
    return (_CJK_GAP.sub("", text) if " " in text else text).strip()


def _pipe_row(cells: list[str]) -> str:
    body = " | ".join(cells)
    if body.count("|") != len(cells) - 1:  # a cell holds a pipe of its own
        body = " | ".join(c.replace("|", "¦") for c in cells)
    return "| " + body + " |"


def _finish_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


# ---------------------------------------------------------------------------------------------- HTML

_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody "
    "td th thead tfoot tr ul title option".split()
)
_SKIP = frozenset(
    "script style noscript template head iframe object embed svg select button textarea".split()
)
_DEPTH_ERROR = "Excessive depth"
_TAG_RE = re.compile(r"<[^<>]*>")
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(?:p|div|br|tr|li|h[1-6]|table|section|article)\b[^<>]*>", re.I)
_CELL_TAG_RE = re.compile(r"<\s*/?\s*t[dh]\b[^<>]*>", re.I)
_SCRIPT_TAG_RE = re.compile(r"<\s*(/?)\s*(?:script|style)\b[^<>]*>", re.I)


def _span(raw: str | None, cap: int) -> int:
    if raw is None:
        return 1
    try:
        return max(1, min(int(raw.strip() or 1), cap))
    except ValueError:
        return 1


@lru_cache(maxsize=16384)
def _clean_short(text: str) -> str:
    return _clean_inline(text)


def _cell_text(raw: str) -> str:
    """`_clean_inline` of a cell's text, cached for short ones: the same cells ("0", the form's labels,
    with the same markup whitespace) recur in every report."""
    return _clean_short(raw) if len(raw) < 200 else _clean_inline(raw)


def _take_pending(pending: dict[int, tuple[int, str]], grid: list[str]) -> None:
    """Append the cells spanned from rows above that start at the current grid column."""
    col = len(grid)
    while col in pending:
        left, text = pending[col]
        grid.append(text)
        if left <= 1:
            del pending[col]
        else:
            pending[col] = (left - 1, text)
        col += 1


# A table's rows and cells as _text_transform writes them: a table between two _TABLE marks, each row
# opened by _ROW, each cell by _CELL and written "colspan _ATTR rowspan _ATTR text". Private-use
# characters, removed from the page before it is parsed (render_html), so no text can hold them.
_TABLE, _ROW, _CELL, _ATTR = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKS = (_TABLE, _ROW, _CELL, _ATTR)
_MARKS_RE = re.compile(f"[{''.join(_MARKS)}]")
_NO_SPANS = _ATTR + _ATTR  # how a cell without colspan and rowspan opens (after its _CELL)


def _table_rows(table: str) -> list[str]:
    """The grid of a data table (as _text_transform writes it) as pipe rows; spanned cells repeat over
    every position they cover."""
    rows = table.split(_ROW)[1:]
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
    out: list[str] = []
    plain = _CELL + _NO_SPANS  # a cell without spans
    for r_index, row in enumerate(rows):
        if not pending and row.count(_CELL) == row.count(plain):  # most rows: no span into or out of them
            grid = [_cell_text(raw) for raw in row.split(plain)[1:_MAX_COLUMNS + 1]]
        else:
            grid = _spanned_row(row.split(_CELL)[1:], pending, len(rows) - r_index)
        if any(grid):
            line = _pipe_row(grid)
            out.append(_SPACE_RUN.sub(" ", line) if "  " in line else line)
    return out


def _spanned_row(cells: list[str], pending: dict[int, tuple[int, str]], rows_left: int) -> list[str]:
    """One row's grid where spans reach into or out of it; `pending` carries the spans to the rows below."""
    grid: list[str] = []
    for cell in cells:
        if pending and len(grid) in pending:
            _take_pending(pending, grid)
        if len(grid) >= _MAX_COLUMNS:
            break
        if cell.startswith(_NO_SPANS):  # most cells, also in rows that spans reach
            grid.append(_cell_text(cell[len(_NO_SPANS):]))
            continue
        colspan_raw, rowspan_raw, raw = cell.split(_ATTR, 2)  # one of them is set: not _NO_SPANS
        text = _cell_text(raw)
        colspan = _span(colspan_raw, _MAX_COLSPAN)
        rowspan = min(_span(rowspan_raw, _MAX_ROWSPAN), rows_left)
        for _ in range(min(colspan, _MAX_COLUMNS - len(grid))):
            if rowspan > 1:
                pending[len(grid)] = (rowspan - 1, text)
            grid.append(text)
    _take_pending(pending, grid)
    # Cells spanned from above that lie beyond this row's last own cell.
    for col in sorted(k for k in pending if k >= len(grid)):
        grid.extend("" for _ in range(col - len(grid)))
        _take_pending(pending, grid)
    return grid


def _prepare(root) -> None:
    """Drop non-content elements (their tails stay)."""
    from lxml import etree

    etree.strip_elements(root, *_SKIP, with_tail=False)


_SPACE_RUN = re.compile(" {2,}")


# _WS without the line break: its runs never cross a line, so one pass over a text cleans every line of it.
# Written to open with a class, not a repeat (a pattern opening with a repeat is tried at every position;
# one opening with a class is scanned for it in a tight loop), and to leave a lone space alone (most runs
# are one; each match costs more than the scan): every other run of whitespace becomes one space, as with
# _WS_IN_LINE_PLAIN.
_WS_IN_LINE_PLAIN = re.compile(rf"[{_SPACES}]+")
_WS_IN_LINE = re.compile(rf"[{_SPACES}](?:(?<! )[{_SPACES}]*|[{_SPACES}]+)")


def _clean_lines(fragments: list[str], done: list[str]) -> None:
    """Append the non-empty cleaned lines of the text `fragments` make to `done`: each line as
    `_clean_inline` cleans it. The two substitutions run over the whole text at once (a call per line
    cost more than the scans): neither pattern's match or look-around reaches over a line break, which
    is neither whitespace to _WS_IN_LINE nor a CJK character."""
    text = _WS_IN_LINE.sub(" ", "".join(fragments))
    if " " in text:
        text = _CJK_GAP.sub("", text)
    # blank and whitespace-only lines (a block element's line breaks) strip to "": skipped
    done.extend(line for line in map(str.strip, text.split("\n")) if line)


@lru_cache(maxsize=1)
def _text_transform():
    """An XSLT program (run by libxslt, in C) writing a page's text: a line break at the start and end of
    every block element and at every <br>; each data table (one with no table inside: a layout table
    around them is read as blocks) as its rows and cells between marks (see _table_rows)."""
    from lxml import etree

    blocks = "|".join(sorted(_BLOCK))
    return etree.XSLT(etree.XML(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text" encoding="UTF-8"/>'
        f'<xsl:template match="table[not(.//table)]"><xsl:text>&#10;{_TABLE}</xsl:text>'
        '<xsl:for-each select="tr|thead/tr|tbody/tr|tfoot/tr">'
        f'<xsl:text>{_ROW}</xsl:text><xsl:for-each select="td|th">'
        f'<xsl:text>{_CELL}</xsl:text><xsl:value-of select="@colspan"/><xsl:text>{_ATTR}</xsl:text>'
        f'<xsl:value-of select="@rowspan"/><xsl:text>{_ATTR}</xsl:text><xsl:apply-templates mode="cell"/>'
        f'</xsl:for-each></xsl:for-each><xsl:text>{_TABLE}&#10;</xsl:text></xsl:template>'
        f'<xsl:template match="{blocks}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/>'
        '<xsl:text>&#10;</xsl:text></xsl:template>'
        '<xsl:template match="br"><xsl:text>&#10;</xsl:text></xsl:template>'
        # in a cell, <br> and blocks end with a space: "12<br>34" stays two tokens
        '<xsl:template match="br|p|div|li" mode="cell"><xsl:apply-templates mode="cell"/><xsl:text> </xsl:text>'
        '</xsl:template>'
        '</xsl:stylesheet>'))


def _html_text(root) -> str:
    """The page's text: text lines cleaned, each data table as its pipe rows. One XSLT run writes it all;
    walking every element and cell in Python cost as much again as parsing the page."""
    pieces = str(_text_transform()(root)).split(_TABLE)
    done: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            done.extend(_table_rows(piece))
        else:
            _clean_lines([piece], done)
    return "\n".join(done)


def _flat_html(text: str) -> str:
    """Markup too broken or deep for the parser: tags out, block tags as line breaks."""
    # Drop script/style content in one linear pass (a regex pairing open and close tags can go
    # quadratic on unclosed tags).
    kept: list[str] = []
    inside, pos = False, 0
    for m in _SCRIPT_TAG_RE.finditer(text):
        if not inside:
            kept.append(text[pos:m.start()])
        inside = not m.group(1)
        pos = m.end()
    if not inside:
        kept.append(text[pos:])
    text = " ".join(kept)
    text = _CELL_TAG_RE.sub(" ", _BLOCK_TAG_RE.sub("\n", text))
    text = html_lib.unescape(_TAG_RE.sub("", text))
    return "\n".join(line for line in map(_clean_inline, text.split("\n")) if line)


def _parse_input(text: str, utf8: bytes | None) -> str | bytes:
    """What the parser reads: the UTF-8 bytes when the caller has them, else the text. lxml hands a str
    to libxml2 as UTF-16 (or UCS-4), which converts it to UTF-8 again; the bytes, with the encoding
    given, parse to the same tree without that pass. Not when lxml treats the text specially: a str
    opening with an XML declaration is refused (the page is then read as flat text), and a text with a
    NUL character keeps the path it always took."""
    if utf8 is None or text.startswith("<?xml") or "\0" in text:
        return text
    return utf8


def _looks_truncated(text: str) -> bool:
    tail = text[-4096:]
    # the closing tags as nearly every page writes them: found in the tail, they are in its lower-casing
    # (ASCII lower case maps to itself), and the lower-casing of 4096 characters is not needed
    if "</html" in tail or "</body" in tail:
        return False
    lower = tail.lower()
    if "</html" in lower or "</body" in lower:
        return False
    head = text[:4096].lower()
    return "<html" in head or "<body" in head


# the UTF-8 of every mark opens with these bytes: a byte search (memchr) clears most pages for all four
_MARKS_UTF8_LEAD = b"\xee\x80"


def _may_hold_marks(text: str, utf8: bytes | None) -> bool:
    """A mark of _MARKS in `text` (`utf8`: its UTF-8, when the caller has it)."""
    if utf8 is not None and _MARKS_UTF8_LEAD not in utf8:
        return False
    return any(mark in text for mark in _MARKS)


def render_html(text: str, utf8: bytes | None = None) -> tuple[str, list[Issue]]:
    """The page's text and issues. `utf8`: the page's bytes when they are `text` encoded as UTF-8 (no
    byte-order mark), which the parser then reads as they are (see _parse_input)."""
    from lxml import etree

    issues: list[Issue] = []
    if _may_hold_marks(text, utf8):  # icon-font glyphs at most; _html_text's must be the only ones
        text = _MARKS_RE.sub("", text)
        utf8 = None
    source = _parse_input(text, utf8)
    # Plain etree elements (no lxml.html class lookup: it costs a Python call per element); no network,
    # no external entities: an HTML parser never fetches a DTD.
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, default_doctype=False,
                               collect_ids=False, encoding="utf-8" if source is utf8 else None)
    try:
        root = etree.fromstring(source, parser=parser)
    except (ValueError, etree.XMLSyntaxError):
        root = None
    if root is None or any(_DEPTH_ERROR in e.message for e in parser.error_log):
        if root is not None:
            issues.append(Issue("too_deep", "markup nested deeper than 256 levels; read as flat text"))
        return _flat_html(text), issues
    title = next(root.iter("title"), None)
    title_text = title.text if title is not None else None
    published = _meta_published(root)
    _prepare(root)
    body = _html_text(root)
    if published:
        # CMS pages state their publication date in <meta> (TRS: PubDate, Hanweb: firstpublishedtime),
        # often nowhere in the visible text: kept as the header line a reader would see
        body = f"发布日期: {published}\n" + body
    if title_text and title_text.strip():
        body = _clean_inline(title_text) + "\n" + body
    if _looks_truncated(text):
        issues.append(Issue("truncated", "the HTML ends before </body>/</html>; kept what parsed"))
    return body, issues


_PUBLISHED_META = frozenset({"pubdate", "publishdate", "firstpublishedtime", "published", "article:published_time"})
_ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})")


def _meta_published(root) -> str | None:
    """The publication date a page's <meta> tags state, as YYYY-MM-DD, or None."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _PUBLISHED_META and (m := _ISO_DATE.search(meta.get("content") or "")):
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


# ---------------------------------------------------------------------------------------------- PDF
#
# PDFium (through pypdfium2) reads a page's characters with their boxes and its drawn paths in C, where
# pdfplumber ran pdfminer's layout analysis in Python: the corpus's 5-6 page reports render in ~25 ms
# instead of ~260 ms (half of the 25 is PDFium parsing the pages). The layout work left is done here in a
# few linear passes: ruled tables are rebuilt from the
# page's horizontal and vertical rules (a lattice: cells are the areas the rules close, merged cells
# repeat over every grid position they cover, as in rendered HTML), and every other character joins
# its text line (same baseline band, ordered by x, a space where the gap is wider than _WORD_GAP) — the
# flattened text layer that tables.py reads when a table has no rules.

# Bounds on the Python work per document (PDFium's own C work is bounded by the caller's time limit):
_MAX_PDF_PAGES = 200  # a longer "report" is not one; its first pages are read
_MAX_PAGE_CHARS = 100_000  # a page holds a few thousand; a hostile one must not hold millions
_MAX_PDF_CHARS = 500_000  # per document: a 200-page report holds ~200,000
_MAX_PAGE_PATH_WORK = 20_000  # page objects plus path segments visited when looking for table rules
_MAX_EDGES = 1_000  # merged rules per direction on a page (a form has < 100): beyond, plain text lines
_MAX_CELLS = 40_000  # atomic cells of one table grid
_SNAP = 3.0  # pt: rules this close are one rule (double borders, both sides of a thin filled rectangle)
_SLIVER = 5.0  # pt: a column or row of the grid narrower than this holds no character of its own
_JOIN = 3.0  # pt: collinear rules with gaps this small are one rule
_TOUCH = 3.0  # pt: a rule meets another within this distance
_MIN_RULE = 2.0  # pt: shorter axis-parallel strokes are not rules (ends of thin rectangles, dots)
_WORD_GAP = 3.0  # pt: a wider gap between two characters of a line is a space (pdfplumber's x_tolerance)
_LINE_BAND = 3.0  # pt: characters whose vertical centres are this close share a line

_PDF_LOCK = threading.Lock()  # PDFium is not thread-safe: one document at a time per process

# A character: text, x0, x1, top, bottom (top-down page coordinates, points).
_Char = tuple[str, float, float, float, float]
# A rule: position (y of a horizontal one, x of a vertical one), start, end along its length.
_Rule = tuple[float, float, float]
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _page_chars(textpage, height: float) -> list[_Char]:
    """The page's characters with their font boxes (loose boxes: one height for a whole line, whatever the
    glyph). PDFium's generated spaces and line breaks are left out: the gaps decide spaces here."""
    import pypdfium2.raw as pdfium_c

    n = min(pdfium_c.FPDFText_CountChars(textpage), _MAX_PAGE_CHARS)
    rect = pdfium_c.FS_RECTF()
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    chars: list[_Char] = []
    for i in range(max(n, 0)):
        code = get_unicode(textpage, i)
        if code < 32 or 0xFFFE <= code <= 0xFFFF or 0xD800 <= code <= 0xDFFF or is_generated(textpage, i) == 1:
            continue
        if not get_box(textpage, i, rect):
            continue
        chars.append((chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom))
    return chars


def _compose(child: _Matrix, parent: _Matrix) -> _Matrix:
    """The matrix applying `child`, then `parent` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = child
    a2, b2, c2, d2, e2, f2 = parent
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _page_rules(page, height: float) -> tuple[list[_Rule], list[_Rule]]:
    """Horizontal and vertical rules: the axis-parallel straight segments of the page's visible paths
    (stroked lines and the sides of rectangles, filled or stroked), in page coordinates, descending into
    form XObjects. Bounded by _MAX_PAGE_PATH_WORK."""
    import pypdfium2.raw as pdfium_c

    horizontal: list[_Rule] = []
    vertical: list[_Rule] = []
    matrix = pdfium_c.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    px, py = ctypes.c_float(), ctypes.c_float()
    budget = _MAX_PAGE_PATH_WORK

    def add_segment(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= _MIN_RULE:
            horizontal.append((height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= _MIN_RULE:
            vertical.append(((x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)))

    def visit_path(obj, m: _Matrix) -> None:
        nonlocal budget
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not (fill.value or stroke.value):
            return  # an invisible path (a clip helper) draws no rule
        a, b, c, d, e, f = m
        start = last = None
        n_segments = max(min(pdfium_c.FPDFPath_CountSegments(obj), budget), 0)
        budget -= n_segments
        for i in range(n_segments):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            if not pdfium_c.FPDFPathSegment_GetPoint(segment, px, py):
                continue
            x, y = px.value, py.value
            point = (a * x + c * y + e, b * x + d * y + f)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
                add_segment(*last, *point)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or start is None:
                start = point
            last = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                add_segment(*point, *start)
                last = start

    get_type, get_matrix = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetMatrix
    path_type, form_type = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM

    def visit(container, count: int, get, m: _Matrix, depth: int) -> None:
        nonlocal budget
        count = max(min(count, budget), 0)
        budget -= count
        for i in range(count):  # most objects are text: one call to get it, one for its type
            obj = get(container, i)
            kind = get_type(obj)
            if (kind != path_type and kind != form_type) or not get_matrix(obj, matrix):
                continue
            own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), m)
            if kind == path_type:
                visit_path(obj, own)
            elif depth < 4:
                visit(obj, pdfium_c.FPDFFormObj_CountObjects(obj), pdfium_c.FPDFFormObj_GetObject, own, depth + 1)

    visit(page, pdfium_c.FPDFPage_CountObjects(page), pdfium_c.FPDFPage_GetObject, _IDENTITY, 0)
    return horizontal, vertical


def _merge_rules(rules: list[_Rule]) -> list[_Rule]:
    """Rules within _SNAP of the first of their group share its group's mean position; collinear runs that
    overlap or nearly touch become one rule."""
    rules = sorted(rules)
    out: list[_Rule] = []
    i = 0
    while i < len(rules):
        j = i
        while j + 1 < len(rules) and rules[j + 1][0] - rules[i][0] <= _SNAP:
            j += 1
        group = rules[i:j + 1]
        position = sum(r[0] for r in group) / len(group)
        spans = sorted((r[1], r[2]) for r in group)
        start, end = spans[0]
        for s, e in spans[1:]:
            if s <= end + _JOIN:
                end = max(end, e)
            else:
                out.append((position, start, end))
                start, end = s, e
        out.append((position, start, end))
        i = j + 1
    return out


@dataclass
class _Lattice:
    """One ruled table: the x of its column rules, the y of its row rules, and the rules themselves.
    `open_top` / `open_bottom`: its first / last row has no rule closing it (a row a page break cut)."""

    xs: list[float]
    ys: list[float]
    horizontal: list[_Rule]
    vertical: list[_Rule]
    open_top: bool = False
    open_bottom: bool = False

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    ri, rj = _find(parent, i), _find(parent, j)
    if ri != rj:
        parent[max(ri, rj)] = min(ri, rj)


def _lattices(horizontal: list[_Rule], vertical: list[_Rule]) -> list[_Lattice]:
    """Groups of rules that cross or touch one another, with at least two rules each way: ruled tables."""
    if not horizontal or not vertical or len(horizontal) > _MAX_EDGES or len(vertical) > _MAX_EDGES:
        return []
    vertical = sorted(vertical)
    vx = [v[0] for v in vertical]
    n_h = len(horizontal)
    parent = list(range(n_h + len(vertical)))
    for hi, (y, x0, x1) in enumerate(horizontal):
        for vi in range(bisect_left(vx, x0 - _TOUCH), bisect_right(vx, x1 + _TOUCH)):
            _, y0, y1 = vertical[vi]
            if y0 - _TOUCH <= y <= y1 + _TOUCH:
                _union(parent, hi, n_h + vi)
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for hi, rule in enumerate(horizontal):
        groups.setdefault(_find(parent, hi), ([], []))[0].append(rule)
    for vi, rule in enumerate(vertical):
        groups.setdefault(_find(parent, n_h + vi), ([], []))[1].append(rule)
    out: list[_Lattice] = []
    for hs, vs in groups.values():
        xs = sorted({v[0] for v in vs})
        ys = sorted({h[0] for h in hs})
        open_top = open_bottom = False
        if len(ys) >= 2 and vs:
            # a row cut by a page break keeps its column rules but has no rule closing it (at the foot of
            # one page, the head of the next): the column rules' ends close it, or its cells fall out of
            # the table as a text line whose blank cells are lost
            top, bottom = min(v[1] for v in vs), max(v[2] for v in vs)
            if open_bottom := bottom - ys[-1] >= _SLIVER:
                ys.append(bottom)
            if open_top := ys[0] - top >= _SLIVER:
                ys.insert(0, top)
        if len(xs) >= 2 and len(ys) >= 2 and (len(xs) - 1) * (len(ys) - 1) <= _MAX_CELLS:
            out.append(_Lattice(xs, ys, hs, vs, open_top, open_bottom))
    return out


def _rules_at(rules: list[_Rule]) -> dict[float, tuple[list[float], list[float]]]:
    """Rules by position: (starts, ends) of the disjoint merged runs at each, in order."""
    by_position: dict[float, tuple[list[float], list[float]]] = {}
    for position, start, end in sorted(rules):
        starts, ends = by_position.setdefault(position, ([], []))
        starts.append(start)
        ends.append(end)
    return by_position


def _ruled(runs: tuple[list[float], list[float]] | None, a: float, b: float) -> bool:
    """Whether one of the rule runs at a position crosses the middle of the span a..b (separates the two
    cells there). The runs are disjoint and sorted: only the last one starting before the middle can."""
    if runs is None:
        return False
    starts, ends = runs
    middle = (a + b) / 2
    i = bisect_right(starts, middle + _TOUCH) - 1
    return i >= 0 and ends[i] + _TOUCH >= middle


def _join_cell_lines(text: str | None) -> str:
    """Cell text wraps inside the cell: rejoin CJK without a gap, other text with a space."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n")]
    out = parts[0]
    for part in parts[1:]:
        if out and part and (out[-1].isascii() and part[0].isascii()):
            out += " " + part
        else:
            out += part
    return _clean_inline(out)


def _line_text(chars: list[_Char]) -> str:
    """The characters of one line in x order, a space where the gap between two is wider than _WORD_GAP."""
    chars.sort(key=lambda ch: ch[1])
    out: list[str] = []
    right = None
    for text, x0, x1, _, _ in chars:
        if right is not None and x0 - right > _WORD_GAP:
            out.append(" ")
        out.append(text)
        right = x1 if right is None else max(right, x1)
    return " ".join("".join(out).split())


def _text_lines(chars: list[_Char]) -> list[tuple[float, str]]:
    """(top, text) of each line, top to bottom: characters sorted by vertical centre, a new line where the
    next centre is more than _LINE_BAND below the previous one (as pdfplumber chains tops: digits in
    another font sit a little higher or lower than the CJK characters of their line)."""
    by_centre = sorted(chars, key=lambda ch: ch[3] + ch[4])
    lines: list[tuple[float, str]] = []
    i = 0
    while i < len(by_centre):
        j = i + 1
        while j < len(by_centre) and (by_centre[j][3] + by_centre[j][4] - by_centre[j - 1][3] - by_centre[j - 1][4]
                                      ) / 2 <= _LINE_BAND:
            j += 1
        line = by_centre[i:j]
        text = _line_text(line)
        if text:
            lines.append((min(ch[3] for ch in line), text))
        i = j
    return lines


def _lattice_grid(lattice: _Lattice, chars: list[_Char]) -> list[list[str]]:
    """The table's grid: atomic cells are the spaces between neighbouring column and row rules; two
    neighbours with no rule between them are one merged cell whose text fills all its positions. A
    character belongs to the atomic cell that holds its centre."""
    xs, ys = lattice.xs, lattice.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    vertical, horizontal = _rules_at(lattice.vertical), _rules_at(lattice.horizontal)
    parent = list(range(n_rows * n_cols))
    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _ruled(vertical.get(xs[c + 1]), ys[r], ys[r + 1]):
                _union(parent, r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not _ruled(horizontal.get(ys[r + 1]), xs[c], xs[c + 1]):
                _union(parent, r * n_cols + c, (r + 1) * n_cols + c)
    cell_chars: dict[int, list[_Char]] = {}
    for ch in chars:
        cx, cy = (ch[1] + ch[2]) / 2, (ch[3] + ch[4]) / 2
        c = min(max(bisect_right(xs, cx) - 1, 0), n_cols - 1)
        r = min(max(bisect_right(ys, cy) - 1, 0), n_rows - 1)
        cell_chars.setdefault(_find(parent, r * n_cols + c), []).append(ch)
    texts = {root: _join_cell_lines("\n".join(t for _, t in _text_lines(group)))
             for root, group in cell_chars.items()}
    return [[texts.get(_find(parent, r * n_cols + c), "") for c in range(n_cols)] for r in range(n_rows)]


# a cell of words, not a figure or a zero mark ("无", "零")
_LABEL_CELL = re.compile(r"[^\W\d_](?<![无零〇])")


def _tidy_grid(grid: list[list[str]], lattice: _Lattice) -> list[list[str]]:
    """Two rules drawn a hair apart (each cell's own border, a double line) make a sliver of a column or
    row, too narrow to hold a character: it holds only copies of a merged cell across it, or nothing.
    Slivers go, and so does a column blank in every row that stands before a column of labels (a rule
    drawn beside a group's spanned cell). Left in, such a column shifted every value after it and a sliver
    row was read twice. A blank column with only figures after it is a value column that holds no figure
    on this page (a table continued from the page before, its header left there): it stays, else every
    column after it would take its neighbour's figures."""
    if not grid:
        return grid
    xs, ys = lattice.xs, lattice.ys
    width = len(grid[0])
    labels = [any(_LABEL_CELL.search(row[c]) for row in grid) for c in range(width)]
    keep = [c for c in range(width)
            if xs[c + 1] - xs[c] >= _SLIVER and (any(row[c] for row in grid) or not any(labels[c + 1:]))]
    return [[row[c] for c in keep] for r, row in enumerate(grid) if abs(ys[r + 1] - ys[r]) >= _SLIVER]


def _is_data_table(grid: list[list[str]]) -> bool:
    """Boxed prose is ruled too: a real table has rows with two or more filled cells."""
    return sum(1 for row in grid if sum(1 for c in row if c) >= 2) >= 2


def _inside(ch: _Char, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (ch[1] + ch[2]) / 2, (ch[3] + ch[4]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


@dataclass
class _Page:
    """A page's text, and the cells of a table row a page break cut at its head or foot (None if none)."""

    text: str
    cut_top: list[str] | None = None
    cut_bottom: list[str] | None = None


def _page_blocks(chars: list[_Char], horizontal: list[_Rule], vertical: list[_Rule]) -> _Page:
    """A page's text: its ruled tables as pipe rows, every other character in text lines, in top-down
    order of the first line of each."""
    blocks: list[tuple[float, str]] = []
    rest = chars
    page = _Page("")
    for lattice in _lattices(_merge_rules(horizontal), _merge_rules(vertical)):
        box = lattice.box
        inside = [ch for ch in rest if _inside(ch, box)]
        if not inside:
            continue
        grid = _tidy_grid(_lattice_grid(lattice, inside), lattice)
        if not _is_data_table(grid):
            continue
        rows = [row for row in grid if any(row)]
        if lattice.open_top and grid[0] and any(grid[0]):
            page.cut_top = grid[0]
        if lattice.open_bottom and grid[-1] and any(grid[-1]):
            page.cut_bottom = grid[-1]
        blocks.append((box[1], "\n".join(_pipe_row(row) for row in rows)))
        rest = [ch for ch in rest if not _inside(ch, box)]
    blocks.extend(_text_lines(rest))
    blocks.sort(key=lambda b: b[0])
    page.text = "\n".join(text for _, text in blocks)
    return page


def _join_cut_rows(pages: list[_Page]) -> list[str]:
    """The pages' texts, a table row a page break cut in two made one again: its cells at the foot of one
    page and the head of the next, joined cell by cell (4.无正当理 | 5 | … and 由大量反复申请 |   | …). Read
    apart, the second half named the row and its blank cells read as zeros."""
    texts = [p.text for p in pages]
    for i in range(len(pages) - 1):
        foot, head = pages[i].cut_bottom, pages[i + 1].cut_top
        if foot is None or head is None or len(foot) != len(head):
            continue
        joined = [a if a == b or not b else b if not a else a + b for a, b in zip(foot, head, strict=True)]
        foot_line, head_line = _pipe_row(foot), _pipe_row(head)
        at, first = texts[i].rfind(foot_line), texts[i + 1].find(head_line)
        if at < 0 or first < 0:
            continue
        texts[i] = texts[i][:at] + _pipe_row(joined) + texts[i][at + len(foot_line):]
        texts[i + 1] = texts[i + 1][:first] + texts[i + 1][first + len(head_line):].lstrip("\n")
    return texts


def render_pdf(data: bytes) -> tuple[str, list[Issue]]:
    import pypdfium2 as pdfium

    with _PDF_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except Exception as exc:  # noqa: BLE001 — PdfiumError on broken, encrypted or truncated files
            message = f"PDF could not be parsed: {type(exc).__name__}: {exc}"[:300]
            return "", [Issue("unreadable", message, "error")]
        try:
            return _read_pdf(document)
        finally:
            document.close()


def _read_pdf(document) -> tuple[str, list[Issue]]:
    issues: list[Issue] = []
    pages: list[_Page] = []
    import pypdfium2 as pdfium

    n_pages = len(document)
    n_read = min(n_pages, _MAX_PDF_PAGES)
    n_chars = 0
    if n_pages > _MAX_PDF_PAGES:
        issues.append(Issue("truncated", f"PDF of {n_pages} pages: read the first {_MAX_PDF_PAGES}"))
    for index in range(n_read):
        if n_chars >= _MAX_PDF_CHARS:
            issues.append(Issue("truncated", f"PDF text beyond {_MAX_PDF_CHARS} characters not read (page {index + 1}"
                                f" of {n_pages} on)"))
            break
        try:
            page = document[index]
        except pdfium.PdfiumError:  # one broken page must not lose the others
            continue
        try:
            height = page.get_height()
            textpage = page.get_textpage()
            try:
                chars = _page_chars(textpage.raw, height)
            finally:
                textpage.close()
            n_chars += len(chars)
            horizontal, vertical = _page_rules(page.raw, height) if chars else ([], [])
            pages.append(_page_blocks(chars, horizontal, vertical))
        except pdfium.PdfiumError:
            continue
        finally:
            page.close()
    texts = _join_cut_rows(pages)
    if n_chars < 20 * max(n_read, 1) and not "".join(texts).strip():
        issues.append(Issue("needs_ocr", f"PDF of {n_pages} pages has no text layer", "error"))
    elif n_chars < 20 * max(n_read, 1):
        issues.append(Issue("needs_ocr", f"PDF of {n_pages} pages has only {n_chars} characters of text"))
    return "\n".join(texts), issues


# ---------------------------------------------------------------------------------------------- DOCX

_DOCX_MAX_XML = 64 * 1024 * 1024  # inflated XML of one DOCX, counted as it is really inflated
_ZIP_CHUNK = 1024 * 1024


def _docx_xml_parts(data: bytes) -> tuple[bytes, Issue | None]:
    """The DOCX re-packed (stored) with its XML parts only, each inflated in bounded chunks.

    zipfile trusts a member's declared size and inflates a whole member in one call when asked for all
    of it (python-docx does): a 1 MB DOCX that declares a small size can inflate to gigabytes before any
    check. Reading in chunks inflates at most a chunk beyond the declared size, which zipfile then
    refuses (bad CRC), and counts the real bytes against the bound. Media, fonts and other binary parts
    are left empty: text extraction never reads them."""
    out = io.BytesIO()
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as packed:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                if not info.filename.lower().endswith((".xml", ".rels")):
                    packed.writestr(info.filename, b"")
                    continue
                if total + info.file_size > _DOCX_MAX_XML:
                    return b"", Issue("too_large", f"DOCX XML unpacks to more than {_DOCX_MAX_XML} bytes", "error")
                chunks: list[bytes] = []
                with archive.open(info) as member:
                    while chunk := member.read(_ZIP_CHUNK):
                        total += len(chunk)
                        if total > _DOCX_MAX_XML:
                            return b"", Issue("too_large", f"DOCX XML unpacks to more than {_DOCX_MAX_XML} bytes",
                                              "error")
                        chunks.append(chunk)
                packed.writestr(info.filename, b"".join(chunks))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:  # a lying size ends in a bad CRC; encryption, odd methods
        return b"", Issue("unreadable", f"DOCX could not be unpacked: {type(exc).__name__}: {exc}"[:300], "error")
    return out.getvalue(), None

def render_docx(data: bytes) -> tuple[str, list[Issue]]:
    import docx
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    packed, problem = _docx_xml_parts(data)
    if problem is not None:
        return "", [problem]
    try:
        document = docx.Document(io.BytesIO(packed))
    except Exception as exc:  # noqa: BLE001 — python-docx raises KeyError/BadZipFile/ValueError…
        message = f"DOCX could not be opened: {type(exc).__name__}: {exc}"[:300]
        return "", [Issue("unreadable", message, "error")]
    out: list[str] = []

    def emit_table(table: Table) -> None:
        # The expanded grid, walked here rather than through python-docx's row.cells, which repeats a
        # cell once per grid column it spans with no bound (gridSpan 100000 is minutes per row): a
        # horizontally merged cell repeats per column it covers (spans capped like HTML's), a vertically
        # merged continuation repeats the text above it.
        nested: list[Table] = []
        above: dict[int, str] = {}
        for row in table.rows:
            texts: list[str] = []
            for tc in row._tr.tc_lst:
                if len(texts) >= _MAX_COLUMNS:
                    break
                span = max(1, min(tc.grid_span, _MAX_COLSPAN, _MAX_COLUMNS - len(texts)))
                if tc.vMerge == "continue":
                    text = above.get(len(texts), "")
                else:
                    cell = _Cell(tc, table)
                    text = _clean_inline(cell.text)
                    nested.extend(t for t in cell.tables if t not in nested)
                texts.extend([text] * span)
            above = dict(enumerate(texts))
            out.append(_pipe_row(texts))
        for inner in nested:
            emit_table(inner)

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            emit_table(Table(child, document))
    return "\n".join(out), []


# ---------------------------------------------------------------------------------------------- entry

def render(data: bytes, *, filename: str = "", media_type: str | None = None,
           charset: str | None = None) -> Rendered:
    """Render document bytes to text (see the module docstring). Never raises."""
    kind = _render_kind(data, filename, media_type)
    if len(data) > MAX_BYTES:
        return Rendered("", kind, None, [Issue("too_large", f"{len(data)} bytes > {MAX_BYTES}", "error")])
    if not data.strip():
        return Rendered("", kind, None, [Issue("empty", "the document has no bytes", "error")])
    try:
        return _render(data, kind, charset)
    except RecursionError:
        return Rendered("", kind, None, [Issue("too_deep", "the document is nested too deeply", "error")])
    except Exception as exc:  # noqa: BLE001 — render() is a boundary: report, never raise
        return Rendered("", kind, None,
                        [Issue("unreadable", f"{type(exc).__name__}: {exc}"[:300], "error")])


def _render_kind(data: bytes, filename: str, media_type: str | None) -> str:
    """The sniffed type when `render` reads it (or DOC, which it refuses); any other (ZIP, images,
    binary) is read as plain text for whatever text its bytes hold."""
    kind = sniff(data, filename=filename, media_type=media_type)
    return kind if kind in RENDERED or kind == DOC else TEXT


def _render(data: bytes, kind: str, charset: str | None) -> Rendered:
    if kind == DOC:
        # Word 97-2003 binary: its text is not readable without a converter (antiword/LibreOffice), and
        # reading the bytes as text would only make noise. Sites usually publish an HTML page or PDF too.
        issue = Issue("unreadable", "legacy Word .doc (binary) is not supported; convert it to DOCX or PDF", "error")
        return Rendered("", DOC, None, [issue])
    if kind == PDF:
        if not _is_pdf(data):
            issue = Issue("not_a_pdf", "named or typed PDF but no %PDF- header", "error")
            return Rendered("", PDF, None, [issue])
        text, issues = render_pdf(data)
        return Rendered(_finish_text(text), PDF, None, _with_empty(text, issues))
    if kind == DOCX:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            issue = Issue("unreadable", "named or typed DOCX but not a zip", "error")
            return Rendered("", DOCX, None, [issue])
        text, issues = render_docx(data)
        return Rendered(_finish_text(text), DOCX, None, _with_empty(text, issues))
    decoded = decode(data, declared=charset)
    issues = list(decoded.issues)
    if kind == HTML:
        # the bytes are the text's UTF-8 when they decoded as UTF-8 without a replacement or a mark
        utf8 = (data if decoded.encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8)
                and "\ufffd" not in decoded.text else None)
        text, more = render_html(decoded.text, utf8)
        issues.extend(more)
        # render_html writes cleaned lines only (no blank ones, nothing trailing): _finish_text's pass
        # over every line would change nothing
        return Rendered(text.strip("\n"), kind, decoded.encoding, _with_empty(text, issues))
    text = decoded.text.lstrip("\ufeff")
    return Rendered(_finish_text(text), kind, decoded.encoding, _with_empty(text, issues))


def _with_empty(text: str, issues: list[Issue]) -> list[Issue]:
    if not text.strip() and not any(i.severity == "error" for i in issues):
        return [*issues, Issue("empty", "no text in the document", "error")]
    return issues
