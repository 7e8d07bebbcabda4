import codecs

from extract.decode import canonical, decode, meta_charset

REPORT = ("根据《中华人民共和国政府信息公开条例》，现将本机关2023年度政府信息公开工作情况报告如下。"
          "全年收到申请615件。")
REPORT_TW = "根據《中華人民共和國政府信息公開條例》，現將本機關2020年度政府信息公開工作情況報告如下。"


def test_utf8_without_bom():
    d = decode(REPORT.encode("utf-8"))
    assert (d.text, d.encoding, d.issues) == (REPORT, "utf-8", [])


def test_utf8_with_bom_drops_the_bom():
    d = decode(codecs.BOM_UTF8 + REPORT.encode("utf-8"), declared="gbk")
    assert d.text == REPORT and d.encoding == "utf-8"


def test_utf16_bom():
    d = decode(codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"))
    assert d.text == REPORT and d.encoding == "utf-16"


def test_gb_family_bytes_without_declaration_read_as_gb18030():
    for codec in ("gb2312", "gbk", "gb18030"):
        d = decode(REPORT.encode(codec))
        assert d.text == REPORT, codec
        assert d.encoding == "gb18030"


def test_gbk_only_character_needs_gbk_not_gb2312():
    text = "镕基同志" + REPORT  # 镕 is in GBK but not in GB2312: a page labelled gb2312 still decodes
    d = decode(text.encode("gbk"), declared="gb2312")
    assert d.text == text and d.encoding == "gb18030"


def test_big5_bytes_detected():
    d = decode(REPORT_TW.encode("big5"))
    assert d.text == REPORT_TW and d.encoding == "big5"


def test_big5_declared_in_meta():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>'
    d = decode(html.encode("ascii") + REPORT_TW.encode("big5"))
    assert d.encoding == "big5" and REPORT_TW in d.text


def test_header_charset_wins_over_meta():
    # Big5 bytes that GB18030 also accepts: only the declarations can tell, and the header comes first.
    body = '<meta charset="gb2312">'.encode("ascii") + REPORT_TW.encode("big5")
    assert decode(body, declared="big5").encoding == "big5"
    assert REPORT_TW in decode(body, declared="big5").text
    assert decode(body).encoding == "gb18030"  # no header: the meta tag decides


def test_meta_used_when_header_charset_rejects_the_bytes():
    body = '<meta charset="gbk">'.encode("ascii") + REPORT.encode("gbk")
    d = decode(body, declared="big5")  # these GBK bytes are not valid Big5
    assert d.encoding == "gb18030" and REPORT in d.text


def test_mislabelled_utf8_is_read_as_utf8():
    d = decode(REPORT.encode("utf-8"), declared="gb2312")
    assert d.text == REPORT and d.encoding == "utf-8"


def test_undecodable_bytes_become_replacement_characters_and_an_issue():
    data = ("全年收到申请" * 5).encode("utf-8") + b"\x80\x81\xfe\xff" * 10
    d = decode(data, declared="utf-8")
    assert d.encoding == "utf-8"
    assert d.text.startswith("全年收到申请" * 5) and d.text.count("\ufffd") == 40
    assert [i.code for i in d.issues] == ["mojibake"]


def test_a_stray_byte_is_replaced_without_an_issue():
    d = decode(REPORT.encode("utf-8") + b"\xff", declared="utf-8")
    assert d.text == REPORT + "\ufffd" and d.issues == []


def test_names():
    assert canonical("GB2312") == "gb18030"
    assert canonical("x-gbk") == "gb18030"
    assert canonical("Big5-HKSCS") == "big5"
    assert canonical("UTF8") == "utf-8"
    assert canonical("iso-8859-1") is None
    assert meta_charset(b'<head><meta charset="GBK"></head>') == "GBK"
    assert meta_charset(b"<p>no meta</p>") is None
