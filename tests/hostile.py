"""Hostile documents, built in code (small, deterministic): the cases of the hostile-input probe of issue 10.

Each builder returns the bytes of one document. They are shared by tests/test_hostile_documents.py and
benchmarks/fuzz_documents.py.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


# --- PDF -------------------------------------------------------------------------------------------------

def pdf(objects: list[bytes]) -> bytes:
    """A PDF whose objects 1.. are `objects` (1 = catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _page_pdf(contents: bytes, extra: list[bytes]) -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents + b" >>",
                *extra])


def cyclic_contents_pdf() -> bytes:
    """A page whose /Contents points back at itself through a two-object cycle (4 → 5 → 4)."""
    return _page_pdf(b"4 0 R", [b"[5 0 R]", b"[4 0 R]"])


def _deflated(chunks, total: int) -> bytes:
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(chunk) for chunk in chunks]
    parts.append(compressor.flush())
    return b"".join(parts)


def _stream(payload: bytes, length_of_inflated: int) -> bytes:
    return (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload + b"\nendstream")


def zero_bomb_pdf(inflated: int = 200 * MIB) -> bytes:
    """A page content stream of ~200 KB that inflates to `inflated` bytes of zeros."""
    block = bytes(MIB)
    payload = _deflated((block for _ in range(inflated // MIB)), inflated)
    return _page_pdf(b"4 0 R", [_stream(payload, inflated)])


def path_operators_pdf(size: int = 20 * MIB) -> bytes:
    """A page drawing `size` bytes of path operators (move, line, stroke): tiny on disk, long to interpret."""
    line = b"0 0 m 100 100 l S\n"
    block = line * (MIB // len(line))
    payload = _deflated((block for _ in range(size // len(block))), size)
    return _page_pdf(b"4 0 R", [_stream(payload, size)])


# --- DOCX ------------------------------------------------------------------------------------------------

def _docx_with_body(body_xml: str) -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return replace_member(buffer.getvalue(), "word/document.xml", _document_xml(body_xml).encode())


def _document_xml(body_xml: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body>{body_xml}</w:body></w:document>')


def replace_member(docx_bytes: bytes, name: str, content: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


def gridspan_docx(rows: int = 300, span: int = 100000) -> bytes:
    """A table whose cells each claim to span `span` grid columns (merged vertically too)."""
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="{span}"/>{merge}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>'
    body = ['<w:p><w:r><w:t>某某县人民政府2023年政府信息公开工作年度报告</w:t></w:r></w:p>', "<w:tbl>"]
    for r in range(rows):
        merge = '<w:vMerge w:val="restart"/>' if r % 2 == 0 else "<w:vMerge/>"
        body.append("<w:tr>" + "".join(cell.format(span=span, merge=merge, text=f"{r}-{c}") for c in range(3))
                    + "</w:tr>")
    body.append("</w:tbl>")
    return _docx_with_body("".join(body))


def lying_docx(inflated: int = 1024 * MIB, declared: int = 2000) -> bytes:
    """A DOCX whose word/document.xml says it inflates to `declared` bytes but inflates to `inflated`."""
    import zipfile

    good = io.BytesIO()
    import docx

    docx.Document().save(good)
    members = []
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                head = _document_xml("<w:p><w:r><w:t>").encode()
                block = b" " * MIB
                chunks = [head, *(block for _ in range(inflated // MIB))]
                compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
                crc = 0
                parts = []
                for chunk in chunks:
                    crc = zlib.crc32(chunk, crc)
                    parts.append(compressor.compress(chunk))
                parts.append(compressor.flush())
                members.append((info.filename, b"".join(parts), crc, declared))
            else:
                data = src.read(info.filename)
                compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
                members.append((info.filename, compressor.compress(data) + compressor.flush(),
                                zlib.crc32(data), len(data)))
    return raw_zip(members)


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of deflated members (name, raw deflate data, crc32, declared inflated size), sizes as given."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


# --- text ------------------------------------------------------------------------------------------------

def sample_text(name: str = "hangzhou_chengguan_2023.txt") -> str:
    return (REPO / "samples" / "corpus" / "real" / name).read_text("utf-8")


def with_nines(text: str, digits: int = 309) -> str:
    """The report with its received-requests figure written as a 309-digit number (float() of it is
    infinite, and int() of that overflowed inside the prose parser, losing every fact of the document)."""
    return text.replace("申请57件", f"申请{'9' * digits}件", 1)


LINE_SEPARATORS = "\u2028\u2029\u0085"


def with_digit_run(text: str, digits: int = 300_000) -> str:
    """The report with a run of `digits` digits (a page's junk: a pasted ID, a broken encoding) inside the
    sentence before its appeals: every pattern opening with a number was tried at every digit of it."""
    at = text.index("行政复议")
    return text[:at] + "7" * digits + text[at:]


def with_line_separators(text: str) -> str:
    """The report with U+2028, U+2029 and U+0085 (text pasted from Word) inside a paragraph."""
    middle = len(text) // 2
    return text[:middle] + LINE_SEPARATORS + text[middle:]


def sleep_forever(_job) -> dict:
    """A stand-in extractor that never returns (sandbox Job.runner): a parser caught in a loop."""
    import time

    while True:
        time.sleep(1)


def allocate_forever(_job) -> dict:
    """A stand-in extractor that allocates without end: a parser inflating a bomb."""
    hoard = []
    while True:
        hoard.append(bytearray(16 * MIB))


def catalogue(folder: Path, entries: list[dict]) -> Path:
    """A catalogue of local files: entries of (name, agency, paths[, agencies, allow_other_agencies])."""
    import yaml

    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return path


def mark_started(job) -> dict:
    """A stand-in extractor that leaves a file named by its job's source when it starts, then takes a moment:
    it shows which documents a worker had begun while the caller was still busy with an earlier outcome."""
    import time

    Path(job.source).touch()
    time.sleep(0.1)
    return {"source": job.source, "issues": []}
