import io
import zipfile
from pathlib import Path

import docx
import pypdfium2 as pdfium

from extract.formats import DOC, DOCX, HTML, MARKDOWN, OCTET_STREAM, PDF, TEXT, ZIP, render, sniff

REAL = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "real"


def codes(rendered):
    return [i.code for i in rendered.issues]


def test_word_html_labels_split_across_spans_are_joined():
    html = (
        '<html><head><meta charset="gb2312"><title>年度报告</title><style>p{color:red}</style>'
        "<script>var a = '自然人 99';</script></head><body>"
        '<table border="1"><tr><td><p class="MsoNormal"><span lang="EN-US">自然</span>'
        "<span>人</span></p></td>"
        '<td><p><span style="font-size:10pt">3</span><span>001</span></p></td></tr></table>'
        "<p>正文<b>加粗</b>结束</p></body></html>"
    )
    r = render(html.encode("gb18030"), filename="report.shtml")
    assert r.media_type == HTML and r.encoding == "gb18030"
    lines = r.text.split("\n")
    assert lines[0] == "年度报告"
    assert "| 自然人 | 3001 |" in lines
    assert "正文加粗结束" in lines
    assert "var a" not in r.text and "color:red" not in r.text
    assert codes(r) == []


def test_rowspan_and_colspan_expand_to_a_full_grid():
    html = (
        "<html><body><table>"
        '<tr><td rowspan="3">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td></tr>'
        '<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>'
        "<tr><td>2.其他法律行政法规禁止公开</td><td>7</td></tr>"
        "</table></body></html>"
    )
    assert render(html.encode()).text.split("\n") == [
        "| 三、本年度办理结果 | （一）予以公开 | （一）予以公开 | 5 |",
        "| 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 0 |",
        "| 三、本年度办理结果 | （三）不予公开 | 2.其他法律行政法规禁止公开 | 7 |",
    ]


def test_nested_layout_table_keeps_the_inner_grid():
    html = (
        "<html><body><table><tr><td>当前位置：首页</td></tr><tr><td>"
        "<p>二、主动公开政府信息情况</p>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>1</td></tr></table>"
        "</td></tr></table></body></html>"
    )
    lines = render(html.encode()).text.split("\n")
    assert "| 信息内容 | 本年制发件数 |" in lines
    assert "| 规章 | 1 |" in lines
    assert "二、主动公开政府信息情况" in lines
    assert lines.index("当前位置：首页") < lines.index("| 规章 | 1 |")


def test_block_elements_and_br_become_line_breaks_and_cells_keep_tokens_apart():
    html = "<html><body><div>第一段</div><div>第二段<br>第三行</div><table><tr><td>12<br>34</td></tr></table>"
    r = render((html + "</body></html>").encode())
    assert r.text.split("\n")[:3] == ["第一段", "第二段", "第三行"]
    assert "| 12 34 |" in r.text


def test_markdown_pipe_tables_pass_through():
    md = "# 报告\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n"
    r = render(md.encode("utf-8"), filename="report.md")
    assert r.media_type == MARKDOWN
    assert "| 规章 | 0 |" in r.text.split("\n")


def test_plain_text_keeps_the_text():
    r = render("一、总体情况\r\n全年收到申请26件。\r\n".encode("gbk"), filename="a.txt")
    assert r.media_type == TEXT and r.text == "一、总体情况\n全年收到申请26件。"


def test_real_pdf_tables_come_out_as_grid_rows():
    r = render((REAL / "huaian_city_2024.pdf").read_bytes(), filename="huaian_city_2024.pdf")
    assert r.media_type == PDF and r.issues == []
    lines = r.text.split("\n")
    assert "淮安市人民政府" in lines[0]
    label = "一、本年新收政府信息公开申请数量"
    assert f"| {label} | {label} | {label} | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |" in lines
    # the vertical group label spans its rows; the wrapped label cell is rejoined without a gap
    wrapped = "| 三、本年度办理结果 | （二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert any(line.startswith(wrapped) for line in lines)
    assert "| 72 | 64 | 178 | 37 | 351 | 13 | 4 | 8 | 1 | 26 | 12 | 1 | 1 | 6 | 20 |" in lines
    # text around the tables is kept in reading order
    section_3 = lines.index("三、收到和处理政府信息公开申请情况")
    assert section_3 < lines.index("四、政府信息公开行政复议、行政诉讼情况")
    assert "全年收取政府信息公开信息处理费 3940 元。" in r.text


def test_docx_paragraphs_and_tables_in_document_order():
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "三、本年度办理结果"
    table.cell(0, 1).text = "（一）予以公开"
    table.cell(0, 2).text = "12"
    table.cell(1, 1).text = "（二）部分公开"
    table.cell(1, 2).text = "3"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "四、结转下年度继续办理"
    table.cell(2, 2).text = "1"
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    buf = io.BytesIO()
    document.save(buf)
    r = render(buf.getvalue(), filename="report.docx")
    assert r.media_type == DOCX and r.issues == []
    assert r.text.split("\n") == [
        "三、收到和处理政府信息公开申请情况",
        "| 三、本年度办理结果 | （一）予以公开 | 12 |",
        "| 三、本年度办理结果 | （二）部分公开 | 3 |",
        "| 四、结转下年度继续办理 | 四、结转下年度继续办理 | 1 |",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_image_only_pdf_needs_ocr():
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(200, 200)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.new_native(20, 20, pdfium.raw.FPDFBitmap_BGR))
    image.set_matrix(pdfium.PdfMatrix().scale(200, 200))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    pdf.save(buf)
    r = render(buf.getvalue(), filename="scan.pdf")
    assert r.media_type == PDF and r.text == ""
    assert codes(r) == ["needs_ocr"]


def test_pdf_name_without_pdf_bytes():
    r = render(b"<html><body>404 Not Found</body></html>", filename="report.pdf")
    assert codes(r) == ["not_a_pdf"]
    r2 = render(b"not a pdf", media_type="application/pdf")
    assert codes(r2) == ["not_a_pdf"]


def test_empty_and_blank_documents():
    assert codes(render(b"")) == ["empty"]
    assert codes(render(b"  \n\t ")) == ["empty"]
    assert codes(render(b"<html><body>  </body></html>")) == ["empty"]


def test_too_large_is_not_parsed(monkeypatch):
    import extract.formats as formats

    monkeypatch.setattr(formats, "MAX_BYTES", 1000)
    r = formats.render(b"<html>" + b"x" * 2000 + b"</html>")
    assert codes(r) == ["too_large"] and r.text == ""


def test_ten_thousand_nested_tags_fall_back_to_flat_text():
    deep = "<html><body>" + "<div><span>" * 5000 + "深处的文字" + "</span></div>" * 5000 + "</body></html>"
    r = render(deep.encode())
    assert codes(r) == ["too_deep"]
    assert "深处的文字" in r.text


def test_truncated_html_keeps_what_parsed():
    html = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>5</td></tr><tr><td>行政许"
    r = render(html.encode())
    assert codes(r) == ["truncated"]
    assert "| 规章 | 5 |" in r.text.split("\n")


def test_sniff():
    assert sniff(b"%PDF-1.4 ...") == PDF
    assert sniff(b"<!DOCTYPE html><html>") == HTML
    assert sniff(b"plain", filename="a.htm") == HTML
    assert sniff(b"| a | b |", filename="x.md") == MARKDOWN
    assert sniff("一、总体情况".encode()) == TEXT
    assert sniff(b"anything", media_type="text/html; charset=gbk") == HTML


def test_sniff_serves_fetching_too():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert sniff(ole, filename="a.pdf") == DOC
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("data.csv", "a,b")
    assert sniff(buffer.getvalue(), media_type="application/octet-stream") == ZIP
    assert sniff(b"x", filename="https://www.gov.cn/downfile.pdf?id=3#p") == PDF
    assert sniff(b"x", filename="https://www.gov.cn/a/1.md?v=2", media_type="text/plain") == MARKDOWN
    assert sniff(b"\x89PNG\r\n", media_type="image/png") == "image/png"
    assert sniff(b"\x00\x01\x02binary") == OCTET_STREAM
    assert sniff(b"<p>x</p>", media_type="application/xhtml+xml; charset=utf-8") == HTML


def test_legacy_word_doc_is_unreadable_not_noise():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40
    rendered = render(ole, filename="report.doc")
    assert rendered.media_type == DOC and rendered.text == ""
    assert [(i.code, i.severity) for i in rendered.issues] == [("unreadable", "error")]
    assert "legacy Word" in rendered.issues[0].message
