"""The extractor's fast paths give exactly what the plain formulation they replace gives.

Each was written for speed (issue 7: HTML throughput) in place of a simpler one: NFKC by character
instead of over the whole text, division names found from their last character instead of a regex tried
at every position, a page's text written by one XSLT run instead of a Python walk. Each is checked
here against the plain formulation on generated inputs of the classes that could tell them apart
(combining marks, jamo, half-width kana, spans and breaks inside cells, the transform's own marks in
the page), so a later change that breaks the equivalence fails here first.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from extract import formats, metadata, normalise

# characters whose NFKC depends on their neighbours, next to ones it maps one for one
_NFKC_POOL = [chr(c) for c in (
    *range(0x20, 0x7F), *range(0x4E00, 0x4E20), *range(0x3000, 0x3040), *range(0xFF00, 0xFF60),
    *range(0x300, 0x345), *range(0xF900, 0xF910), *range(0x1100, 0x1180), *range(0x11A8, 0x11C3),
    *range(0xAC00, 0xAC10), *range(0x9BE, 0x9D8), 0x2460, 0x2026, 0xA0, 0x2014, 0x201C, 0x3002, 0x338,
    0x2F00, 0x2122, 0xFB01, 0x1D400, 0xFE50, 0x2160, 0x33A1, 0xBD, 0x2075, 0x3099, 0x309A, 0x304B, 0x30AB,
    0xFF76, 0xFF9E,
)]


def _reference_nfkc(text: str) -> str:
    # normalise.nfkc keeps "…" and writes circled numbers as "(1)" (its _PRE_NFKC), then is plain NFKC
    return unicodedata.normalize("NFKC", text.translate(normalise._PRE_NFKC)).replace("\0", "…")  # noqa: SLF001


def test_nfkc_equals_unicodedata_on_generated_text() -> None:
    rng = random.Random(7)
    by_character = 0
    for _ in range(20_000):
        text = "".join(rng.choice(_NFKC_POOL) for _ in range(rng.randint(1, 25)))
        assert normalise.nfkc(text) == _reference_nfkc(text), repr(text)
        assert normalise.nfkc(text, set(text)) == _reference_nfkc(text), repr(text)
        by_character += normalise._nfkc_by_character(text, set(text)) is not None  # noqa: SLF001
    assert by_character > 1_000  # the fast path itself was exercised, not only its fallback


@pytest.mark.parametrize("text, expected", [
    ("第①项…，共１２件：〔2021〕〇号", "第(1)项…,共12件:〔2021〕〇号"),
    ("ｶﾞ", "ガ"),  # half-width kana and its voiced mark compose: the per-character path must not be used
    ("e\u0301", "é"),
])
def test_nfkc_real_cases(text: str, expected: str) -> None:
    assert normalise.nfkc(text) == expected


def test_division_words_equal_the_regex() -> None:
    pattern = re.compile(r"[\u4e00-\u9fff]{2,4}(?:区|县|市)")
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice("市区县南京杭州省人民a1 ，") for _ in range(rng.randint(0, 30)))
        assert metadata._division_words(text) == [m.group() for m in pattern.finditer(text)], text  # noqa: SLF001


def test_city_and_district_names_equal_the_regexes() -> None:
    han = metadata._HAN  # noqa: SLF001
    city = re.compile(rf"(?<![全本该城各我省县区])([{han}]{{2}}市)(?=人民政府|[{han}]{{1,12}}?(?:委员会|局|厅))")
    district = re.compile(rf"(?<![全本该各我])([{han}]{{2}}区)(?=人民政府)")
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice("市区县人民政府委员会局厅全本该城各我省南京a1 ，") for _ in range(rng.randint(0, 40)))
        assert metadata._two_han_names(text, "市", metadata._CITY_AFTER, "全本该城各我省县区") == city.findall(text)  # noqa: SLF001
        assert metadata._two_han_names(text, "区", metadata._DISTRICT_AFTER, "全本该各我") == district.findall(text)  # noqa: SLF001


_TAGS = ["div", "p", "span", "b", "br", "table", "tr", "td", "th", "ul", "li", "h2", "font", "section", "tbody",
         "thead", "tfoot", "caption", "center", "a", "pre"]
_TEXTS = ["", " ", "\n", "中文", "中 文", "12", " 3 ", "a b", "\u3000", "予以公开", "|", "x\ny", "\xa0", "a  b", "\t"]


def _random_element(rng: random.Random, depth: int) -> str:
    tag = rng.choice(_TAGS)
    if tag == "br":
        return "<br>" + rng.choice(_TEXTS)
    attrs = ""
    if tag in ("td", "th") and rng.random() < 0.4:
        rowspan, colspan = rng.choice(["1", "2", "3", "", "x", " 2"]), rng.choice(["1", "2", "", "0", "99"])
        attrs = f' rowspan="{rowspan}" colspan="{colspan}"'
    children = "".join(_random_element(rng, depth + 1) + rng.choice(_TEXTS)
                       for _ in range(rng.randint(0, 4 if depth < 5 else 0)))
    return f"<{tag}{attrs}>{rng.choice(_TEXTS)}{children}</{tag}>"


def _walked_text(html: str) -> str:
    """The page's text by the plain recursive formulation: a line break at the start and end of every
    block element and at every <br>; a table with no table inside as its pipe rows (spans repeated)."""
    from lxml import etree

    root = etree.fromstring(html, etree.HTMLParser(remove_comments=True))
    formats._prepare(root)  # noqa: SLF001 — the same elements dropped
    for el in root.iter("br", "p", "div", "li"):  # a space after each: "12<br>34" in a cell is two tokens
        el.tail = " " + el.tail if el.tail else " "
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        for line in "".join(buffer).split("\n"):
            if (cleaned := formats._clean_inline(line)):  # noqa: SLF001
                lines.append(cleaned)
        buffer.clear()

    def table_rows(table) -> list[str]:
        rows = [r for child in table for r in ([child] if child.tag == "tr" else
                [x for x in child if x.tag == "tr"] if child.tag in ("thead", "tbody", "tfoot") else [])]
        pending: dict[int, tuple[int, str]] = {}
        out = []
        for index, row in enumerate(rows):
            grid: list[str] = []
            for cell in (c for c in row if c.tag in ("td", "th")):
                formats._take_pending(pending, grid)  # noqa: SLF001
                if len(grid) >= formats._MAX_COLUMNS:  # noqa: SLF001
                    break
                text = formats._clean_inline(etree.tostring(cell, method="text", encoding=str, with_tail=False))  # noqa: SLF001
                colspan = formats._span(cell.get("colspan"), formats._MAX_COLSPAN)  # noqa: SLF001
                rowspan = min(formats._span(cell.get("rowspan"), formats._MAX_ROWSPAN), len(rows) - index)  # noqa: SLF001
                for _ in range(min(colspan, formats._MAX_COLUMNS - len(grid))):  # noqa: SLF001
                    if rowspan > 1:
                        pending[len(grid)] = (rowspan - 1, text)
                    grid.append(text)
            formats._take_pending(pending, grid)  # noqa: SLF001
            for col in sorted(k for k in pending if k >= len(grid)):
                grid.extend("" for _ in range(col - len(grid)))
                formats._take_pending(pending, grid)  # noqa: SLF001
            if any(grid):
                out.append(re.sub(" {2,}", " ", formats._pipe_row(grid)))  # noqa: SLF001
        return out

    def walk(el) -> None:
        block = el.tag in formats._BLOCK  # noqa: SLF001
        if el.tag == "table" and not any(True for _ in el.iterdescendants("table")):
            buffer.append("\n")
            flush()
            lines.extend(table_rows(el))
            buffer.append("\n")
        else:
            if block or el.tag == "br":
                buffer.append("\n")
            buffer.append(el.text or "")
            for child in el:
                walk(child)
            if block:
                buffer.append("\n")
        if el.getparent() is not None:
            buffer.append(el.tail or "")

    walk(root)
    flush()
    return "\n".join(lines)


def test_html_text_equals_the_walk_on_generated_pages() -> None:
    rng = random.Random(11)
    for _ in range(1_500):
        html = "<html><body>" + "".join(_random_element(rng, 0) for _ in range(5)) + "</body></html>"
        rendered, _ = formats.render_html(html)
        assert rendered == _walked_text(html), html


def test_the_transforms_marks_in_a_page_do_not_break_its_table() -> None:
    # icon-font glyphs in the private-use area, the same code points the transform marks cells with
    page = ("<html><body><p>\ue001图标\ue000</p><table><tr><td>\ue002予以公开</td><td>3\ue003</td>"
            "<td>4</td></tr></table></body></html>")
    text, _ = formats.render_html(page)
    assert text.split("\n") == ["图标", "| 予以公开 | 3 | 4 |"]


def _patterns_with(module, piece: str) -> list[re.Pattern[str]]:
    """The module's compiled patterns (its own and its rules') whose source holds `piece`."""
    found = [v for v in vars(module).values() if isinstance(v, re.Pattern) and piece in v.pattern]
    return found + [rule.pattern for rule in module._RULES if piece in rule.pattern.pattern]  # noqa: SLF001


# pieces of report prose around numbers: every rule's keywords, units, numerals, separators
_PROSE_TOKENS = [
    *"0123456789", "12", "1,234", "1,23", "3.5", ".", ",", ";", " ", "零", "〇", "一", "二", "两", "十", "百", "千",
    "三十", "万", "余", "多", "件", "条", "项", "元", "万元", "共", "为", "了", "的", "申请", "收到", "受理", "办结",
    "答复", "结转", "转", "下一年", "2023年", "上年", "予以公开", "不予公开", "部分公开", "同意公开", "无法提供",
    "不予处理", "行政复议", "行政诉讼", "维持", "纠错", "已", "发布", "主动公开", "信息", "政务微信", "微博",
    "解读", "政府信息公开", "自然人", "规范性文件", "制发", "行政许可", "采购金额", "处理费", "国家秘密",
]


def test_number_pattern_equals_the_plain_one_in_every_rule() -> None:
    from extract import narrative

    patterns = _patterns_with(narrative, narrative.N)
    assert len(patterns) > 40
    plain = [re.compile(p.pattern.replace(narrative.N, narrative.N_PLAIN)) for p in patterns]
    rng = random.Random(13)
    for _ in range(3_000):
        text = "".join(rng.choice(_PROSE_TOKENS) for _ in range(rng.randint(1, 30)))
        for fast, slow in zip(patterns, plain, strict=True):
            assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == \
                [(m.span(), m.groupdict()) for m in slow.finditer(text)], (fast.pattern, text)


def test_figure_and_huge_digit_patterns_equal_the_plain_ones() -> None:
    from extract import narrative

    has_figure, huge = re.compile(r"\d|[一二两三四五六七八九十]件"), re.compile(r"\d{13,}")
    rng = random.Random(17)
    for _ in range(20_000):
        text = "".join(rng.choice("0123456789一二十百件条 ,a中") for _ in range(rng.randint(0, 40)))
        assert bool(narrative._HAS_FIGURE.search(text)) == bool(has_figure.search(text)), text  # noqa: SLF001
        fast, slow = narrative._HUGE_DIGITS.search(text), huge.search(text)  # noqa: SLF001
        assert (fast and fast.span()) == (slow and slow.span()), text


def test_script_classes_equal_the_character_sets() -> None:
    trad, simp = normalise._script_sets()  # noqa: SLF001
    stray = normalise._stray_set()  # noqa: SLF001
    rng = random.Random(19)
    pool = [*sorted(trad)[:40], *sorted(simp)[:40], *sorted(stray)[:20], *"中文报告年度公开申请12 ,。",
            "\U00020000", "\U0002a6a5"]
    for _ in range(5_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        # the plain formulation: the same rule on a set of the text's characters
        assert normalise.detect_script(text) == normalise.detect_script(text, set(text)), text
        assert normalise._has_stray(text) == (not stray.isdisjoint(set(text))), text  # noqa: SLF001


def test_render_reads_utf8_bytes_as_their_text() -> None:
    rng = random.Random(23)
    pages = ["<html><body>" + "".join(_random_element(rng, 0) for _ in range(4)) + "</body></html>" for _ in range(400)]
    pages += ['<?xml version="1.0" encoding="utf-8"?><html><body><p>中文</p></body></html>',
              "<html><body><p>中\x00文</p><td>1</td></body></html>", "<p>\U00020000 é</p>", "<p>é</p>",
              "<html><head><meta charset=gbk></head><body><p>中文</p></body></html>"]
    for page in pages:
        # the plain formulation: the parser reads the decoded text
        assert formats.render(page.encode(), filename="p.html").text == formats.render_html(page)[0].strip("\n"), page


def test_lines_skipped_before_the_patterns_open_with_a_listed_character() -> None:
    from extract import tables

    rng = random.Random(29)
    for _ in range(20_000):
        c = "".join(rng.choice("-—第页共|:[.12a中,/") for _ in range(rng.randint(0, 12)))
        skipped = bool(tables._PAGE_FOOTER_RE.match(c) or tables._MD_RULE_RE.match(c) or c.startswith("[..."))  # noqa: SLF001
        assert not skipped or c[:1] in tables._SKIPPED_FIRST, c  # noqa: SLF001



def test_every_template_mark_holds_a_hint_word() -> None:
    from extract import tables

    # table_facts scans a line for the marks only when it holds 数 or 金额
    words = tables._ANY_MARK.pattern.split("|")  # noqa: SLF001
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", w) for w in words), words  # plain words, no pattern syntax
    assert all("数" in w or "金额" in w for w in words), words


def test_ascii_twins_equals_translating_every_text() -> None:
    from extract import tables

    rng = random.Random(37)
    pool = [*tables._FULLWIDTH_CHARS, *"0123456789():,./-|% 中文…", "①", "ｶ"]  # noqa: SLF001
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert tables.ascii_twins(text) == text.translate(tables._FULLWIDTH), text  # noqa: SLF001


def test_statistics_form_header_holds_its_hint_characters() -> None:
    from extract import narrative

    # _form_rows runs _FORM_HEADER only on a text holding 指 and 称: every match holds both
    rng = random.Random(43)
    pieces = ["统计表", "统计数据", "指标名称", "指 标 名 称", "计量单位", "单位", "单 位", "指标", "名称", "年度",
              " ", "\n"]
    matched = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        m = narrative._FORM_HEADER.search(text)  # noqa: SLF001
        if m:
            matched += 1
            assert "指" in m.group() and "称" in m.group(), text
    assert matched > 1000


def test_word_tests_cleared_by_characters_equal_substring_search() -> None:
    rng = random.Random(41)
    pool = [*"打印本页关闭窗口娱乐城彩金赌博", *"ab|\n ", "\U00020000"]
    words = [*normalise._CHROME_TAIL_WORDS, *normalise._SPAM_WORDS, "本本", "a", "|\n"]  # noqa: SLF001
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 14)))
        word = rng.choice(words)
        assert normalise._holds(text, word) == (word in text), (text, word)  # noqa: SLF001
        assert normalise._find(text, word) == text.find(word), (text, word)  # noqa: SLF001


def test_casino_test_equals_lowering_the_text() -> None:
    rng = random.Random(43)
    pool = [*"casinoCASINO", "İ", "\u0307", "K", "ſ", "中", " ", "ı", "\U0001d41c"]
    for _ in range(50_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 10)))
        assert normalise._may_hold_casino(text) == ("casino" in text.lower()), text  # noqa: SLF001
    for text in ("CaSiNo", "中casino文", "cas中ino", "casİno", "caſino"):
        assert normalise._may_hold_casino(text) == ("casino" in text.lower()), text  # noqa: SLF001


def test_with_confidence_equals_dataclasses_replace() -> None:
    import dataclasses

    from extract.record import Fact

    fact = Fact("requests.new_received", 12.5, "natural_person", "text", "收到12.5件", 3, 9, "unverified")
    for confidence in ("verified", "conflict"):
        made = fact.with_confidence(confidence)
        assert made == dataclasses.replace(fact, confidence=confidence)
        assert [getattr(made, f.name) for f in dataclasses.fields(Fact)] == [
            getattr(dataclasses.replace(fact, confidence=confidence), f.name) for f in dataclasses.fields(Fact)]
    assert fact.with_confidence("unverified") is fact  # the confidence it has: no copy


def test_clean_lines_equals_cleaning_line_by_line() -> None:
    def plain(text: str) -> list[str]:
        lines = (formats._clean_inline(line) for line in text.split("\n") if line and not line.isspace())  # noqa: SLF001
        return [line for line in lines if line]

    rng = random.Random(53)
    pool = [*" \t\r\n\f\v\u00a0\u2000\u2005\u200a\u200b\u3000\ufeff\x1c\x85\u2028\u202f", *"ab1中文，。（",
            "\u3400", "\uf900", "\uff10", "\u303f", "\u9fff"]
    for _ in range(30_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 16)))
        done: list[str] = []
        formats._clean_lines([text], done)  # noqa: SLF001
        assert done == plain(text), repr(text)


def test_pinyin_hints_equal_the_one_hint() -> None:
    rng = random.Random(59)
    pool = [*"(（) \t中a1Z", "ǎ", "\u0301", "ü"]
    for _ in range(30_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 8)))
        assert normalise._may_hold_pinyin(text) == (normalise._PINYIN_HINT.search(text) is not None), text  # noqa: SLF001


def test_every_table2_column_name_holds_a_hint_character() -> None:
    import itertools

    from extract import tables

    # the column pattern's words: its alternatives with the optional parts both ways
    for alternative in tables._T2_COL_ANY.pattern.split("|"):  # noqa: SLF001
        optional = re.findall(r"(\\?.)\?", alternative)
        for keep in itertools.product((True, False), repeat=len(optional)):
            word = alternative
            for part, kept in zip(optional, keep, strict=True):
                word = word.replace(part + "?", part.lstrip("\\") if kept else "", 1)
            assert tables._T2_COL_ANY.fullmatch(word), (alternative, word)  # noqa: SLF001
            assert tables._may_name_t2_col(word), word  # noqa: SLF001


def test_number_run_opening_with_a_class_equals_the_plain_pattern() -> None:
    from extract import align

    plain = re.compile(align._NUM_RUN_PLAIN)  # noqa: SLF001
    rng = random.Random(61)
    pool = [*"0123456789--,,. 中件第(", "\u0663", "\uff11"]
    for _ in range(30_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 14)))
        got = [(m.start(), m.end()) for m in align._NUM_RUN.finditer(text)]  # noqa: SLF001
        assert got == [(m.start(), m.end()) for m in plain.finditer(text)], text
        assert bool(align._NUM_RUN.fullmatch(text)) == bool(plain.fullmatch(text)), text  # noqa: SLF001


def test_chrome_lines_out_equals_the_substitution() -> None:
    rng = random.Random(67)
    pieces = [*"\n\n\n  \t|｜!>»[]【】()中大小文a1:：", "\u3000", "当前位置", "您的位置", "首页", ">>", "打印本页",
              "打印", "关闭窗口", "返回顶部", "收藏", "分享", "字号", "![x](y)", "當前位置", "關閉窗口", "所在位置"]
    for _ in range(40_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = normalise._CHROME_LINE.sub(normalise._chrome_line, text)  # noqa: SLF001
        assert normalise._chrome_lines_out(text) == expected, repr(text)  # noqa: SLF001
    long_line = "当前位置: 首页 > 年报 " + "政府信息公开" * 60
    for text in (long_line, "正文\n" + long_line + "\n打印本页", "\n" + long_line, ""):
        expected = normalise._CHROME_LINE.sub(normalise._chrome_line, text)  # noqa: SLF001
        assert normalise._chrome_lines_out(text) == expected, repr(text)  # noqa: SLF001


_CORPUS = Path(__file__).resolve().parent.parent / "samples" / "corpus"


def _corpus_texts() -> list[str]:
    """The rendered text of every sample document (the texts normalise and the patterns see in use)."""
    paths = sorted(p for p in _CORPUS.rglob("*.*") if p.name != "SOURCES.md")
    assert len(paths) > 20
    return [formats.render(p.read_bytes(), filename=p.name).text for p in paths]


def test_pinyin_pattern_opening_with_a_character_equals_the_look_behind() -> None:
    rng = random.Random(71)
    pool = [*"中文数据 \t(（)）a1\n", "shu4", "jù", "ǎ", "\u0301", "APP", "ü", "zh", "\u3400", "数(shù)", "据 （ju4）"]
    removed = 0
    for _ in range(40_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 14)))
        got = normalise._PINYIN.subn("", text)  # noqa: SLF001
        assert got == normalise._PINYIN_PLAIN.subn("", text), repr(text)  # noqa: SLF001
        removed += got[1] > 0
    assert removed > 1_000
    for text in _corpus_texts():
        assert normalise._PINYIN.subn("", text) == normalise._PINYIN_PLAIN.subn("", text)  # noqa: SLF001


def test_normalise_with_one_scan_for_script_and_strays_equals_every_step() -> None:
    trad, simp = normalise._script_sets()  # noqa: SLF001
    stray = normalise._stray_set()  # noqa: SLF001
    rng = random.Random(73)
    # the classes apart and together: Traditional only, stray only, both, Simplified-only characters
    unusual = [*sorted(trad - stray), *sorted(stray - trad), *sorted(trad & stray)[:20], *sorted(simp)[:20]]
    common = [*"中文报告年度公开申请12 ,。\n|", "\U00020000", "当前位置:", "打印本页"]
    plain = 0
    for _ in range(3_000):
        # mostly Simplified text with a character of the other classes now and then, or many of them
        share = rng.choice((0.03, 0.5))
        text = "".join(rng.choice(unusual) if rng.random() < share else rng.choice(common)
                       for _ in range(rng.randint(0, 40)))
        assert normalise.normalise(text) == normalise.normalise(text, fast=False), repr(text)
        plain += normalise._plain_simplified(text)  # noqa: SLF001
    assert 300 < plain < 2_700  # both paths exercised
    for text in _corpus_texts():
        assert normalise.normalise(text) == normalise.normalise(text, fast=False)


def test_whitespace_runs_pattern_equals_the_plain_one() -> None:
    rng = random.Random(79)
    pool = [*" \t\r\f\v\u00a0\u2000\u2005\u200b\u3000\ufeff\n", *"ab中 ", "\u200c", "  "]
    for _ in range(40_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 16)))
        assert formats._WS_IN_LINE.sub(" ", text) == formats._WS_IN_LINE_PLAIN.sub(" ", text), repr(text)  # noqa: SLF001
    for text in _corpus_texts():
        assert formats._WS_IN_LINE.sub(" ", text) == formats._WS_IN_LINE_PLAIN.sub(" ", text)  # noqa: SLF001


def test_marks_found_by_their_utf8_equal_the_text_test() -> None:
    rng = random.Random(83)
    pool = [*formats._MARKS, "\ue004", "\ue03f", "\ue100", "\uf000", "\u0800", *"a中<p>"]  # noqa: SLF001
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 8)))
        expected = any(mark in text for mark in formats._MARKS)  # noqa: SLF001
        assert formats._may_hold_marks(text, text.encode()) == expected, repr(text)  # noqa: SLF001
        assert formats._may_hold_marks(text, None) == expected, repr(text)  # noqa: SLF001


def test_truncation_test_equals_lowering_the_tail() -> None:
    def plain(text: str) -> bool:
        lower = text[-4096:].lower()
        if "</html" in lower or "</body" in lower:
            return False
        head = text[:4096].lower()
        return "<html" in head or "<body" in head

    rng = random.Random(89)
    pieces = ["</html>", "</HTML>", "</Body", "</body>", "<html>", "<BODY>", "</ht", "ml>", "İ", "K", "x", "中", "<",
              "/"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert formats._looks_truncated(text) == plain(text), text  # noqa: SLF001
    long_page = "<html><body>" + "中" * 5000 + "</body>" + "x" * 4093
    for text in (long_page, long_page + "</html>", long_page[:-4093]):
        assert formats._looks_truncated(text) == plain(text)  # noqa: SLF001


def test_checks_and_confidence_equal_the_plain_formulations() -> None:
    from extract import checks
    from extract.extractor import extract_bytes

    paths = sorted(p for p in _CORPUS.rglob("*.*") if p.name != "SOURCES.md")
    tested = 0
    for path in paths:
        facts = extract_bytes(path.read_bytes(), str(path), filename=path.name).facts
        facts = [f.with_confidence("unverified") if i % 3 else f for i, f in enumerate(facts)]
        for method, values, all_tested in checks._tested_by_method(facts):  # noqa: SLF001
            for t in all_tested:
                own = t.name.rpartition("@")[2]
                # the plain formulation: a dict display over the members
                figures = {checks._figure_name(m, a, own): values[(m, a)] for m, a in t.members}  # noqa: SLF001
                assert t.check(values, method).figures == figures
                assert list(t.check(values, method).figures) == list(figures)
                tested += 1
        out, _ = checks.with_confidence(facts)
        _, confidence = checks.run_checks(facts)
        assert out == [f.with_confidence(confidence.get((f.method, f.metric, f.applicant), "unverified"))
                       for f in facts]
    assert tested > 50


def test_number_pattern_equals_the_plain_one_on_digit_runs_and_real_documents() -> None:
    from extract import narrative

    # N does not give back digits it has read (a digit can follow a number in no rule): the same matches
    # as N_PLAIN, which backtracks through every digit of a long run (flattened tables glue figures)
    patterns = _patterns_with(narrative, narrative.N)
    plain = [re.compile(p.pattern.replace(narrative.N, narrative.N_PLAIN)) for p in patterns]
    rng = random.Random(97)
    texts = ["".join(rng.choice(["1", "2", "0", ",", ".", "件", "条", "万", "元", "已", "办结", "转", "一", "十", " "])
                     for _ in range(rng.randint(1, 40))) for _ in range(2_000)]
    texts += ["1234,567件", "20130117_80725条", "纠错1,234政务", "3.5.6件", "12,345,67件已办结"]
    texts += [narrative._prose_view(text).text for text in _corpus_texts()]  # noqa: SLF001
    for text in texts:
        for fast, slow in zip(patterns, plain, strict=True):
            assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == \
                [(m.span(), m.groupdict()) for m in slow.finditer(text)], (fast.pattern, text[:80])


def test_rules_called_by_first_characters_equal_testing_every_word() -> None:
    from extract import narrative

    words = list(narrative._ALL_NEEDS)  # noqa: SLF001
    rng = random.Random(101)
    for _ in range(20_000):
        # the words overlapping one another ("办结转"), their first characters alone, other prose
        text = "".join(rng.choice(words) if rng.random() < 0.3 else rng.choice(_PROSE_TOKENS + [w[0] for w in words])
                       for _ in range(rng.randint(0, 12)))
        assert narrative._called_rules(text) == narrative._called_rules_plain(text), text  # noqa: SLF001
    for text in _corpus_texts():
        for _, sentence, _ in narrative._sentences(narrative._prose_view(text).text):  # noqa: SLF001
            assert narrative._called_rules(sentence) == narrative._called_rules_plain(sentence), sentence  # noqa: SLF001


def test_extraction_json_equals_dataclasses_asdict_on_the_corpus() -> None:
    import dataclasses

    from extract import extract_bytes

    def plain(extraction) -> dict:
        return {"source": extraction.source, "document": dataclasses.asdict(extraction.document),
                "facts": [dataclasses.asdict(f) for f in extraction.facts],
                "checks": [dataclasses.asdict(c) for c in extraction.checks],
                "warnings": list(extraction.warnings), "issues": [dataclasses.asdict(i) for i in extraction.issues],
                "encoding": extraction.encoding, "media_type": extraction.media_type}

    paths = sorted(p for p in _CORPUS.rglob("*.*") if p.name != "SOURCES.md")
    facts = checks = 0
    for path in paths:
        extraction = extract_bytes(path.read_bytes(), path.name, filename=path.name)
        made = extraction.to_json()
        assert made == plain(extraction), path.name
        assert [list(f) for f in made["facts"]] == [list(f) for f in plain(extraction)["facts"]]  # key order too
        assert all(c["figures"] is not k.figures for c, k in zip(made["checks"], extraction.checks, strict=True))
        facts, checks = facts + len(made["facts"]), checks + len(made["checks"])
    assert facts > 1_000 and checks > 100
