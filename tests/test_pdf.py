"""The PDF path (pypdfium2): real tables read right, ruled tables rebuilt from their rules, text lines from
character positions, and bounded, exception-free handling of PDFs without text, broken or hostile ones."""

import ctypes
import io
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extract import extract_bytes
from extract.formats import PDF, render

REAL = Path(__file__).resolve().parent.parent / "samples" / "corpus" / "real"


def codes(rendered):
    return [i.code for i in rendered.issues]


# ---------------------------------------------------------------------------------------------- building PDFs

class _Builder:
    """A PDF drawn with PDFium itself: ASCII text in Helvetica at given points, straight lines."""

    def __init__(self, pages: int = 1, size: tuple[float, float] = (595, 842)) -> None:
        self.pdf = pdfium.PdfDocument.new()
        self.pages = [self.pdf.new_page(*size) for _ in range(pages)]
        self.font = pdfium_c.FPDFText_LoadStandardFont(self.pdf.raw, b"Helvetica")

    def text(self, x: float, y: float, text: str, size: float = 10, page: int = 0) -> None:
        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.pdf.raw, self.font, size)
        encoded = (text + "\0").encode("utf-16-le")
        buffer = ctypes.create_string_buffer(encoded, len(encoded))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(self.pages[page].raw, obj)

    def line(self, x0: float, y0: float, x1: float, y1: float, page: int = 0) -> None:
        path = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
        pdfium_c.FPDFPath_LineTo(path, x1, y1)
        pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_NONE, 1)
        pdfium_c.FPDFPage_InsertObject(self.pages[page].raw, path)

    def grid(self, xs: list[float], ys: list[float], skip: set[tuple[str, int, int]] = frozenset(),
             page: int = 0) -> None:
        """Rules along every x and y; ("v", i, j) in `skip` leaves out vertical rule i between rows j, j+1
        (a merged cell), ("h", j, i) the horizontal rule j between columns i, i+1."""
        for i, x in enumerate(xs):
            for j in range(len(ys) - 1):
                if ("v", i, j) not in skip:
                    self.line(x, ys[j], x, ys[j + 1], page)
        for j, y in enumerate(ys):
            for i in range(len(xs) - 1):
                if ("h", j, i) not in skip:
                    self.line(xs[i], y, xs[i + 1], y, page)

    def bytes(self) -> bytes:
        for page in self.pages:
            pdfium_c.FPDFPage_GenerateContent(page.raw)
        buf = io.BytesIO()
        self.pdf.save(buf)
        return buf.getvalue()


# ---------------------------------------------------------------------------------------------- real PDF

def test_real_pdf_table_three_rows_have_their_values():
    r = render((REAL / "huaian_city_2024.pdf").read_bytes(), filename="huaian_city_2024.pdf")
    assert r.media_type == PDF and r.issues == []
    rows = {}
    for line in r.text.split("\n"):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 10:  # table 三: three label columns, seven applicant columns
                rows[cells[2]] = cells[3:]
    assert rows["一、本年新收政府信息公开申请数量"] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert rows["（一）予以公开"] == ["1288", "21", "0", "0", "50", "3", "1362"]
    assert rows["8.属于行政查询事项"] == ["105", "0", "0", "0", "0", "0", "105"]
    # a row on the page after the table breaks: its group label cell is empty there
    assert rows["2.没有现成信息需要另行制作"] == ["11", "0", "0", "0", "0", "0", "11"]
    assert rows["（七）总计"] == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert rows["四、结转下年度继续办理"] == ["103", "0", "0", "0", "0", "0", "103"]
    # the merged group label repeats over the rows it spans, the wrapped label is one cell
    assert "| 三、本年度办理结果 | （二）部分公开（区分处理的，只计这一情形，不计其他情形） |" in r.text


def test_real_pdf_table_three_facts():
    e = extract_bytes((REAL / "huaian_city_2024.pdf").read_bytes(), "huaian", filename="huaian_city_2024.pdf")
    got = {(f.metric, f.applicant): f.value for f in e.facts if f.method == "table"}
    assert got[("requests.new_received", "total")] == 3119
    assert got[("requests.granted", "natural_person")] == 1288
    assert got[("requests.granted", "total")] == 1362
    assert got[("requests.closed_total", "total")] == 3050
    assert got[("requests.carried_forward", "total")] == 103
    assert got[("appeals.reconsideration_total", "total")] == 351


def test_real_pdf_text_lines_and_page_footers():
    lines = render((REAL / "huaian_city_2024.pdf").read_bytes(), filename="a.pdf").text.split("\n")
    assert lines[:2] == ["淮安市人民政府", "2024 年政府信息公开工作年度报告"]
    assert "- 1 -" in lines and "- 6 -" in lines
    assert "办法》，全年收取政府信息公开信息处理费 3940 元。" in lines


# ---------------------------------------------------------------------------------------------- lattice

def test_ruled_table_cells_and_merged_cells():
    b = _Builder()
    xs, ys = [50, 150, 250, 350], [700, 680, 660, 640]  # three rows, three columns, top down
    # the first column's rules between rows 2 and 3 are left out: one cell spanning two rows
    b.grid(xs, ys, skip={("h", 2, 0)})
    b.text(55, 685, "Group")
    b.text(155, 685, "a")
    b.text(255, 685, "12")
    b.text(55, 662, "Merged")
    b.text(155, 665, "b")
    b.text(255, 665, "3")
    b.text(155, 645, "c")
    b.text(255, 645, "45")
    b.text(50, 600, "After the table")
    r = render(b.bytes(), filename="t.pdf")
    assert r.text.split("\n") == [
        "| Group | a | 12 |",
        "| Merged | b | 3 |",
        "| Merged | c | 45 |",
        "After the table",
    ]


def test_a_double_rule_makes_no_column_and_no_row_of_its_own():
    # generated reports printed to PDF by Chromium: two borders a few points apart (each cell's own, or a
    # double line) left a sliver column blank in every row, which shifted every value after it (规章 | | 1 |
    # 0 | 3 read as issued 0, repealed 1), and a sliver row that repeated the row beside it
    b = _Builder()
    xs, ys = [50, 150, 154, 250, 350], [700, 680, 676, 660]
    b.grid(xs, ys, skip={("v", 2, 0), ("v", 2, 1), ("v", 2, 2), ("h", 2, 0), ("h", 2, 1), ("h", 2, 2), ("h", 2, 3)})
    b.line(154, 700, 154, 660)  # the second line of the double rule, drawn apart from the cells' own
    b.text(55, 685, "Rules")
    b.text(255, 685, "1")
    b.text(155, 685, "x")
    b.text(55, 662, "Docs")
    b.text(155, 662, "y")
    b.text(255, 662, "26")
    r = render(b.bytes(), filename="t.pdf")
    rows = [line for line in r.text.split("\n") if line.startswith("|")]
    assert rows == ["| Rules | x | 1 |", "| Docs | y | 26 |"]


@pytest.mark.parametrize("blank", [1, 2, 3])
def test_a_column_blank_on_a_continued_page_stays_but_not_one_before_the_labels(blank):
    # Chromium's print of a report whose table 三 runs onto a second page: there, with zeros left blank, one
    # applicant column held no figure in any row. Dropped, every column after it took its neighbour's
    # figures (其他 read as the total). A blank column before a column of labels (a rule beside a group's
    # spanned cell) is no value column and still goes.
    b = _Builder()
    xs, ys = [50, 150, 200, 250, 300, 350], [700, 680, 660]
    b.grid(xs, ys)
    rows = [("Repeated", [3, 1, 0, 2]), ("Publications", [5, 2, 0, 1])]
    for (label, values), y in zip(rows, (685, 665), strict=True):
        b.text(55, y, label)
        for i, value in enumerate(values):
            if i + 1 != blank:
                b.text(xs[i + 1] + 5, y, str(value))
    lines = [line for line in render(b.bytes(), filename="t.pdf").text.split("\n") if line.startswith("|")]
    cells = [line.strip("|").split("|") for line in lines]
    assert [len(row) for row in cells] == [5, 5]
    assert all(row[blank].strip() == "" for row in cells)

    b = _Builder()
    xs = [50, 120, 140, 240, 290]
    b.grid(xs, ys, skip={("h", 1, 0)})
    b.text(55, 675, "Refused")
    for label, value, y in (("Repeated", "3", 685), ("Publications", "5", 665)):
        b.text(145, y, label)
        b.text(245, y, value)
    lines = [line for line in render(b.bytes(), filename="t.pdf").text.split("\n") if line.startswith("|")]
    assert lines == ["| Refused | Repeated | 3 |", "| Refused | Publications | 5 |"]


@pytest.mark.parametrize("blank_first", [False, True])
def test_a_row_cut_by_a_page_break_is_one_row_again(blank_first):
    # Chromium's print of a report: a table row at the foot of a page keeps its column rules but has no rule
    # closing it; its numbers and the start of its label stay on that page ("4.无正当理 | 5 | … | 5"), the
    # rest of the label opens the next page in a row of blank cells. Its cells had fallen out of the table
    # as a text line (blank cells lost), and the second half named the row, its blanks read as zeros.
    b = _Builder(pages=2)
    xs = [50, 150, 200, 250, 300, 350]
    b.grid(xs, [700, 680, 660], page=0)
    for x in xs:  # the cut row: column rules on to the foot of the page, no closing rule
        b.line(x, 660, x, 630, page=0)
    b.text(55, 685, "Repeated", page=0)
    b.text(55, 665, "Publications", page=0)
    b.text(55, 640, "Excessive", page=0)
    values = ["", "2", "", "2"] if blank_first else ["3", "", "1", "4"]
    for i, (above, below, cut) in enumerate(zip(["1", "0", "2", "3"], ["4", "0", "0", "4"], values, strict=True)):
        b.text(xs[i + 1] + 5, 685, above, page=0)
        b.text(xs[i + 1] + 5, 665, below, page=0)
        if cut:
            b.text(xs[i + 1] + 5, 640, cut, page=0)
    for x in xs:  # the rest of the row at the head of the next page: column rules, no rule above
        b.line(x, 800, x, 780, page=1)
    b.grid(xs, [780, 760, 740], page=1)
    b.text(55, 785, "requests", page=1)
    b.text(55, 765, "Confirmation", page=1)
    b.text(55, 745, "Total", page=1)
    for i, (value, total) in enumerate(zip(["1", "0", "0", "1"], ["9", "0", "3", "12"], strict=True)):
        b.text(xs[i + 1] + 5, 765, value, page=1)
        b.text(xs[i + 1] + 5, 745, total, page=1)
    rows = [line for line in render(b.bytes(), filename="t.pdf").text.split("\n") if line.startswith("|")]
    cut = " | ".join(values)
    assert rows == ["| Repeated | 1 | 0 | 2 | 3 |", "| Publications | 4 | 0 | 0 | 4 |",
                    f"| Excessiverequests | {cut} |", "| Confirmation | 1 | 0 | 0 | 1 |", "| Total | 9 | 0 | 3 | 12 |"]


def test_rules_drawn_as_thin_filled_rectangles_and_a_header_spanning_columns():
    b = _Builder()

    def rule(x0: float, y0: float, x1: float, y1: float) -> None:  # as Word and WPS export cell borders
        rect = pdfium_c.FPDFPageObj_CreateNewRect(min(x0, x1) - 0.25, min(y0, y1) - 0.25,
                                                   abs(x1 - x0) + 0.5, abs(y1 - y0) + 0.5)
        pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_ALTERNATE, 0)
        pdfium_c.FPDFPage_InsertObject(b.pages[0].raw, rect)

    xs, ys = [50, 100, 150, 200, 250], [700, 680, 660]
    for y in ys:
        rule(xs[0], y, xs[-1], y)
    for i, x in enumerate(xs):  # the inner column rules stop at the header row: it spans all columns
        rule(x, ys[-1], x, ys[0] if i in (0, len(xs) - 1) else ys[1])
    b.text(120, 685, "Appeals")
    for i, value in enumerate(["7", "1", "0", "8"]):
        b.text(xs[i] + 5, 665, value)
    b.text(50, 640, "Below")
    assert render(b.bytes(), filename="t.pdf").text.split("\n") == [
        "| Appeals | Appeals | Appeals | Appeals |",
        "| 7 | 1 | 0 | 8 |",
        "Below",
    ]


def test_unruled_text_keeps_gaps_as_spaces_and_one_line_per_baseline():
    b = _Builder()
    b.text(50, 700, "Requests")
    b.text(200, 698.5, "26", size=12)  # numbers in another font sit a little lower: the same line
    b.text(260, 700, "3")
    b.text(50, 680, "Next line")
    r = render(b.bytes(), filename="t.pdf")
    assert r.text.split("\n") == ["Requests 26 3", "Next line"]


def test_boxed_prose_is_not_a_table():
    b = _Builder()
    b.grid([50, 500], [700, 600])
    b.text(60, 680, "A paragraph inside a frame,")
    b.text(60, 660, "on two lines.")
    assert render(b.bytes(), filename="t.pdf").text.split("\n") == ["A paragraph inside a frame,", "on two lines."]


# ---------------------------------------------------------------------------------------------- no text, broken

def test_pdf_without_text_layer_needs_ocr():
    b = _Builder(pages=3)
    b.line(50, 50, 500, 50)
    r = render(b.bytes(), filename="scan.pdf")
    assert r.media_type == PDF and r.text == ""
    assert codes(r) == ["needs_ocr"] and r.issues[0].severity == "error"


def test_broken_and_truncated_pdfs_are_unreadable_not_exceptions():
    real = (REAL / "huaian_city_2024.pdf").read_bytes()
    for data in (b"%PDF-1.4 broken", real[:5000], b"%PDF-1.7\n" + bytes(range(256)) * 40):
        r = render(data, filename="broken.pdf")
        assert r.issues and r.issues[0].severity == "error"
        assert codes(r)[0] in ("unreadable", "needs_ocr", "empty")
    assert codes(render(b"%PDF-1.4 broken", filename="a.pdf")) == ["unreadable"]


def test_not_a_pdf():
    assert codes(render(b"<html>404</html>", filename="report.pdf")) == ["not_a_pdf"]


# ---------------------------------------------------------------------------------------------- bounds

def test_page_cap():
    b = _Builder(pages=205, size=(200, 200))
    r = render(b.bytes(), filename="long.pdf")
    assert "truncated" in codes(r) and "needs_ocr" in codes(r)


def test_thousands_of_rules_stay_fast():
    b = _Builder()
    # a hatched page: 3,000 short strokes each way, and a table grid of 40 x 40 cells
    for i in range(3000):
        b.line(10 + (i % 60) * 9, 10 + (i // 60) * 9, 14 + (i % 60) * 9, 10 + (i // 60) * 9)
        b.line(10 + (i % 60) * 9, 10 + (i // 60) * 9, 10 + (i % 60) * 9, 14 + (i // 60) * 9)
    b.grid([50 + 12 * i for i in range(41)], [800 - 12 * j for j in range(41)])
    b.text(52, 790, "1")
    b.text(64, 790, "2")
    data = b.bytes()
    start = time.process_time()
    r = render(data, filename="hostile.pdf")
    assert time.process_time() - start < 5
    assert "unreadable" not in codes(r)
