"""Document bytes → plain text with tables as pipe rows.

Every supported format (HTML, plain text, Markdown, PDF with a text layer, DOCX) renders to the same
shape: running text, block elements on their own lines, and every table row on one line as
"| c1 | c2 | … |" with row/column spans expanded (a spanned cell repeats in every grid position it
covers). The table parser (tables.py) only ever sees that shape or, for PDFs whose tables pdfplumber
cannot find, the flattened text layer. `render` never raises: problems become `Issue`s.
"""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile
from dataclasses import dataclass, field
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

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u3000\ufeff]+")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _clean_inline(text: str) -> str:
    """Collapse whitespace; drop the spaces a line break in the source leaves between two CJK characters."""
    return _CJK_GAP.sub("", _WS.sub(" ", text)).strip()


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "¦") for c in cells) + " |"


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


def _span(el, name: str, cap: int) -> int:
    raw = el.get(name)
    if raw is None:
        return 1
    try:
        return max(1, min(int(raw.strip() or 1), cap))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    if len(cell) == 0:
        return _clean_inline(cell.text or "")
    from lxml import etree

    # Block children and <br> already carry a separating space in their tail (see _prepare).
    return _clean_inline(etree.tostring(cell, method="text", encoding=str, with_tail=False))


def _own_rows(table) -> list:
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if r.tag == "tr")
    return rows


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


def _table_rows(table) -> list[str]:
    """The grid of a data table as pipe rows; spanned cells repeat over every position they cover."""
    rows = _own_rows(table)
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
    out: list[str] = []
    for r_index, row in enumerate(rows):
        grid: list[str] = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            _take_pending(pending, grid)
            if len(grid) >= _MAX_COLUMNS:
                break
            text = _cell_text(cell)
            colspan = _span(cell, "colspan", _MAX_COLSPAN)
            rowspan = min(_span(cell, "rowspan", _MAX_ROWSPAN), len(rows) - r_index)
            for _ in range(min(colspan, _MAX_COLUMNS - len(grid))):
                if rowspan > 1:
                    pending[len(grid)] = (rowspan - 1, text)
                grid.append(text)
        _take_pending(pending, grid)
        # Cells spanned from above that lie beyond this row's last own cell.
        for col in sorted(k for k in pending if k >= len(grid)):
            grid.extend("" for _ in range(col - len(grid)))
            _take_pending(pending, grid)
        if any(grid):
            out.append(_pipe_row(grid))
    return out


def _has_nested_table(table) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _prepare(root) -> None:
    """Drop non-content elements; give <br> and block elements a separating space so that the text
    of a table cell (serialised in one C call) keeps "12<br>34" as two tokens."""
    from lxml import etree

    etree.strip_elements(root, *_SKIP, with_tail=False)
    for el in root.iter("br", "p", "div", "li"):
        el.tail = " " + el.tail if el.tail else " "


def _html_to_text(root) -> str:
    from lxml import etree

    out: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag or tag in _SKIP:
                walker.skip_subtree()  # its "end" event still comes and brings the tail
                continue
            if tag == "table" and not _has_nested_table(el):
                out.append("\n")
                out.extend(row + "\n" for row in _table_rows(el))
                walker.skip_subtree()
                continue
            if tag == "br" or tag in _BLOCK:
                out.append("\n")
            if el.text:
                out.append(el.text)
        else:
            if tag in _BLOCK:
                out.append("\n")
            if el.tail and el is not root:
                out.append(el.tail)
    lines = (_clean_inline(line) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


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


def _looks_truncated(text: str) -> bool:
    lower = text[-4096:].lower()
    if "</html" in lower or "</body" in lower:
        return False
    head = text[:4096].lower()
    return "<html" in head or "<body" in head


def render_html(text: str) -> tuple[str, list[Issue]]:
    from lxml import etree

    issues: list[Issue] = []
    # Plain etree elements (no lxml.html class lookup: it costs a Python call per element); no network,
    # no external entities: an HTML parser never fetches a DTD.
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        root = etree.fromstring(text, parser=parser)
    except (ValueError, etree.XMLSyntaxError):
        root = None
    if root is None or any(_DEPTH_ERROR in e.message for e in parser.error_log):
        if root is not None:
            issues.append(Issue("too_deep", "markup nested deeper than 256 levels; read as flat text"))
        return _flat_html(text), issues
    title = root.find(".//title")
    title_text = title.text if title is not None else None
    _prepare(root)
    body = _html_to_text(root)
    if title_text and title_text.strip():
        body = _clean_inline(title_text) + "\n" + body
    if _looks_truncated(text):
        issues.append(Issue("truncated", "the HTML ends before </body>/</html>; kept what parsed"))
    return body, issues


# ---------------------------------------------------------------------------------------------- PDF

def _join_cell_lines(text: str | None) -> str:
    """pdfplumber cell text wraps inside the cell: rejoin CJK without a gap, other text with a space."""
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


def _pdf_table_grid(table) -> list[list[str]]:
    """Rows of a pdfplumber table with merged cells repeated over every grid position they cover."""
    texts = table.extract()
    rows = table.rows
    n_rows, n_cols = len(rows), max((len(r.cells) for r in rows), default=0)
    row_top = [r.bbox[1] for r in rows]
    col_x0 = [c.bbox[0] for c in table.columns] if len(table.columns) == n_cols else None
    grid = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    for i, row in enumerate(rows):
        for j, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            text = _join_cell_lines(texts[i][j] if j < len(texts[i]) else "")
            x0, top, x1, bottom = bbox
            i_end = i + 1
            while i_end < n_rows and row_top[i_end] < bottom - 1:
                i_end += 1
            j_end = j + 1
            if col_x0 is not None:
                while j_end < n_cols and col_x0[j_end] < x1 - 1:
                    j_end += 1
            for ii in range(i, i_end):
                for jj in range(j, j_end):
                    grid[ii][jj] = text
    return grid


def _is_data_table(grid: list[list[str]]) -> bool:
    """pdfplumber also 'finds' boxed prose: a real table has rows with two or more filled cells."""
    return sum(1 for row in grid if sum(1 for c in row if c) >= 2) >= 2


def _inside(obj, boxes) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _pdf_page_text(page) -> str:
    blocks: list[tuple[float, str]] = []
    boxes = []
    try:
        tables = page.find_tables()
    except Exception:  # noqa: BLE001 — a table finder failure must not lose the page text
        tables = []
    for table in tables:
        try:
            grid = _pdf_table_grid(table)
        except Exception:  # noqa: BLE001
            continue
        if not _is_data_table(grid):
            continue
        boxes.append(table.bbox)
        rows = [_pipe_row(row) for row in grid if any(row)]
        blocks.append((table.bbox[1], "\n".join(rows)))
    rest = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes)) if boxes else page
    for line in rest.extract_text_lines(layout=False, strip=True, return_chars=False):
        blocks.append((line["top"], line["text"]))
    blocks.sort(key=lambda b: b[0])
    return "\n".join(text for _, text in blocks)


def render_pdf(data: bytes) -> tuple[str, list[Issue]]:
    import pdfplumber

    issues: list[Issue] = []
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n_pages = len(pdf.pages)
            n_chars = 0
            for page in pdf.pages:
                n_chars += len(page.chars)
                pages.append(_pdf_page_text(page))
                page.flush_cache()
    except Exception as exc:  # noqa: BLE001 — pdfminer raises many types on broken files
        message = f"PDF could not be parsed: {type(exc).__name__}: {exc}"[:300]
        return "", [Issue("unreadable", message, "error")]
    if n_chars < 20 * max(n_pages, 1) and not "".join(pages).strip():
        issues.append(Issue("needs_ocr", f"PDF of {n_pages} pages has no text layer", "error"))
    elif n_chars < 20 * max(n_pages, 1):
        issues.append(Issue("needs_ocr", f"PDF of {n_pages} pages has only {n_chars} characters of text"))
    return "\n".join(pages), issues


# ---------------------------------------------------------------------------------------------- DOCX

def render_docx(data: bytes) -> tuple[str, list[Issue]]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — python-docx raises KeyError/BadZipFile/ValueError…
        message = f"DOCX could not be opened: {type(exc).__name__}: {exc}"[:300]
        return "", [Issue("unreadable", message, "error")]
    out: list[str] = []

    def emit_table(table: Table) -> None:
        nested: list[Table] = []
        for row in table.rows:
            # python-docx repeats a horizontally merged cell per grid column and returns the top cell
            # for vertically merged continuations: exactly the expanded grid.
            cells = list(row.cells)
            out.append(_pipe_row([_clean_inline(c.text) for c in cells]))
            for cell in cells:
                nested.extend(t for t in cell.tables if t not in nested)
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
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > 4 * MAX_BYTES:  # a zip bomb would exhaust memory in python-docx
            issue = Issue("too_large", f"DOCX unpacks to {unpacked} bytes", "error")
            return Rendered("", DOCX, None, [issue])
        text, issues = render_docx(data)
        return Rendered(_finish_text(text), DOCX, None, _with_empty(text, issues))
    decoded = decode(data, declared=charset)
    issues = list(decoded.issues)
    if kind == HTML:
        text, more = render_html(decoded.text)
        issues.extend(more)
    else:
        text = decoded.text.lstrip("\ufeff")
    return Rendered(_finish_text(text), kind, decoded.encoding, _with_empty(text, issues))


def _with_empty(text: str, issues: list[Issue]) -> list[Issue]:
    if not text.strip() and not any(i.severity == "error" for i in issues):
        return [*issues, Issue("empty", "no text in the document", "error")]
    return issues
