"""Rendered text → the one normalised text every later step (tables, narrative, metadata) reads.

Steps, in this order (each needs the previous one):
1. mojibake repair: UTF-8 bytes that were decoded as GBK are re-encoded and decoded again; a garbled
   passage that cannot be recovered (bytes lost to "?") is cut out with an Issue("mojibake").
2. page chrome removed: breadcrumbs, 打印本页/关闭窗口/返回顶部 lines, lines of only "|", image markup.
3. a report that the page holds twice counts once (repeated prose paragraphs are dropped).
4. script detection; only Traditional text goes through OpenCC's t2s tables (see _t2s_tables) plus a
   small table for the zh-TW phrase variants and the Simplified→Traditional round-trip errors t2s keeps.
5. NFKC. Decision on punctuation: full NFKC is applied, so the full-width forms ，：；（）！？ and
   full-width digits/letters become their ASCII twins — many sites already print ASCII punctuation, and
   one spelling per character keeps every later pattern simple. Chinese-only marks (、。“”《》【】〔〕…)
   have no ASCII twin under NFKC except "…" (kept as "…", not "..."). Circled numbers ①② become "(1)(2)",
   not bare digits that could be read as counts.
Table rows ("| c1 | c2 |" or "c1 | c2") are kept intact apart from the character mapping.

Text damage is repaired before anything reads the text: pinyin annotations injected after characters
("數(shù)據(jù)") go first; a Simplified text's stray Traditional characters (outside GB 2312: 机製, 全麵) are
mapped after step 4; pasted spam (gambling advertising in titles and in place of a portal's name) goes
after step 5. A breadcrumb that shares its line with the article (a crawler's flattened page) loses only
the breadcrumb.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Literal

from extract.record import Issue

Script = Literal["simplified", "traditional"]


@dataclass(slots=True)
class Normalised:
    text: str
    script: Script = "simplified"
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


# --- 1. mojibake -------------------------------------------------------------------------------------


# GBK lead bytes whose characters ordinary Chinese prose almost never uses: GBK/3-4 extensions (81–A0,
# AA–AF, F8–FE), kana/Greek/Cyrillic/box rows (A4–A9) and GB2312 level-2 hanzi (D8–F7). A UTF-8 lead
# byte of a CJK character (E4–E9) read as GBK lands in level 2, its continuation bytes (80–BF) in the
# extensions: mojibake is made of these characters; prose has one now and then, never three in a row.
_RARE_LEADS = [*range(0x81, 0xA1), *range(0xA4, 0xB0), *range(0xD8, 0xFF)]


@cache
def _mojibake_re() -> re.Pattern[str]:
    chars: set[str] = set()
    for lead in _RARE_LEADS:
        for trail in range(0x40, 0xFF):
            try:
                ch = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                chars.add(ch)
    # Traditional characters live in the same GBK ranges: they are not rare in a Traditional text
    for name in ("TSCharacters.txt", "STCharacters.txt"):
        for key, value in _dictionary(name).items():
            chars.difference_update(key, value)
    cls = "[" + re.escape("".join(sorted(chars))) + "]"
    # three or more rare characters with at most two others between them: a garbled run
    return re.compile(rf"{cls}(?:[^\s|,.;:。，、]{{0,2}}{cls}){{2,}}")


_CJK = re.compile(r"[\u4e00-\u9fff]")


_MAX_REPAIRS = 50  # repair attempts per document; each costs up to a few thousand decodes
_STOP = set(" \t\n|,.;:!()[]<>，。、；：！（）“”《》【】")


def _repair_mojibake(text: str, issues: list[Issue], warnings: list[str]) -> str:
    if text.isascii() or _mojibake_re().search(text) is None:
        return text
    out: list[str] = []
    pos = 0
    attempts = 0
    for m in _mojibake_re().finditer(text):
        if m.start() < pos:
            continue
        start, end = m.start(), m.end()
        attempts += 1
        if attempts > _MAX_REPAIRS:  # a document of noise: cut the cores out, do not try to decode
            out.append(text[pos:start])
            issues.append(Issue("mojibake", f"garbled passage skipped: {text[start:end][:40]}"))
            pos = end
            continue
        # the garbled run may reach past its rare core over ordinary-looking characters
        lo = start
        while lo > pos and start - lo < 40 and text[lo - 1] not in _STOP:
            lo -= 1
        hi = end
        while hi < len(text) and hi - end < 40 and text[hi] not in _STOP:
            hi += 1
        repaired, dropped = _regbk(text, lo, start, end, hi)
        if repaired is not None:
            out.append(text[pos:lo])
            out.append(repaired)
            pos = hi
            if dropped:
                issues.append(Issue("mojibake", f"{dropped} garbled characters skipped near: {repaired[:20]}"))
                warnings.append(f"mojibake: repaired a passage, skipped {dropped} garbled characters")
            continue
        # nothing decodes: cut the core out; a lost byte shows as "?" (or U+FFFD) a few characters off
        # the core, and the passage reaches to it
        left = max(text.rfind("?", max(pos, start - 4), start), text.rfind("\ufffd", max(pos, start - 4), start))
        if left >= 0:
            start = left
            while start > pos and text[start - 1] in "?!\ufffd":
                start -= 1
        right = max(text.find("?", end, end + 4), text.find("\ufffd", end, end + 4))
        if right >= 0:
            end = right + 1
            while end < len(text) and text[end] in "?!\ufffd":
                end += 1
        out.append(text[pos:start])
        issues.append(Issue("mojibake", f"garbled passage skipped: {text[start:end][:40]}"))
        warnings.append(f"mojibake: skipped {end - start} garbled characters")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _regbk(text: str, lo: int, start: int, end: int, hi: int) -> tuple[str | None, int]:
    """UTF-8 read as GBK is undone by re-encoding as GBK. Walks the span, taking at each point the
    longest piece that decodes cleanly (wrong edges split a character and fail); characters of the
    rare core that belong to no such piece are dropped (their bytes were lost), others kept as they
    are. Returns (repaired span, dropped count), or (None, 0) when no piece decodes."""
    parts: list[str] = []
    dropped = 0
    recovered = False
    a = lo
    while a < hi:
        for b in range(min(hi, a + 80), a + 1, -1):
            try:
                fixed = text[a:b].encode("gbk").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if len(_CJK.findall(fixed)) >= 2 and not fixed.isascii():
                parts.append(fixed)
                recovered = True
                a = b
                break
        else:
            if start <= a < end or text[a] in "?\ufffd":
                dropped += 1
            else:
                parts.append(text[a])
            a += 1
    return ("".join(parts), dropped) if recovered else (None, 0)


# --- 2./3. chrome and repeats -------------------------------------------------------------------------

_CHROME_LINE = re.compile(
    r"^\s*(?:当前位置|當前位置|您当前的位置|您现在的位置|您現在的位置|您的位置|你的位置|所在位置)\s*[:：].*$"
    r"|^\s*(?:>>|»|首页\s*>).*$"  # breadcrumb continuation lines
    r"|^\s*$"  # blanks (a line of only pipes is kept: in a one-cell-per-line table it is a blank cell)
    r"|^[\s|｜]*(?:[【\[]?\s*(?:打印本页|打印本頁|打印|关闭窗口|關閉窗口|返回顶部|返回頂部|收藏|分享|"
    r"字号|字號|[大中小])\s*[】\]]?[\s|｜]*)+$"
    r"|^[\s|｜]*(?:!\[[^\]]*\]\([^)]*\)[\s|｜]*)+$",  # markdown image markup only
    re.M,
)
# A line start where a _CHROME_LINE match can begin: the characters its alternatives can open with (the
# whitespace their \s* and [\s|｜]* take, "|", "｜", the brackets and the first characters of their words).
# Every alternative opens with ^, so a match starts at a line start; the engine would try every position.
_CHROME_LINE_FIRST = r"\s|｜!>»\[【当當您你所首打关關返收分字大中小"
_CHROME_LINE_CANDIDATE = re.compile(rf"\n(?=[{_CHROME_LINE_FIRST}])")
_CHROME_LINE_OPENING = re.compile(rf"[{_CHROME_LINE_FIRST}]")


def _chrome_lines_out(text: str) -> str:
    """`_CHROME_LINE.sub(_chrome_line, text)`, the pattern tried only at the line starts it can match at.
    At the first empty match (a blank line) the rest goes through sub itself: after an empty match sub
    looks for a non-empty one at the same place, which match cannot do; the rest starts at a line start,
    where ^ holds in the cut text as in the whole, and the pattern looks behind nothing else."""
    out: list[str] = []
    pos = 0  # text[:pos] is done
    at = 0 if _CHROME_LINE_OPENING.match(text) else -1  # the next line start to try (-1: look for it)
    while True:
        if at < 0:
            found = _CHROME_LINE_CANDIDATE.search(text, max(pos - 1, 0))
            if found is None:
                break
            at = found.end()
        m = _CHROME_LINE.match(text, at)
        if m is None:
            found = _CHROME_LINE_CANDIDATE.search(text, at)
            if found is None:
                break
            at = found.end()
            continue
        if m.end() == at:
            out.append(text[pos:at])
            out.append(_CHROME_LINE.sub(_chrome_line, text[at:]))
            return "".join(out)
        out.append(text[pos:at])
        out.append(_chrome_line(m))
        pos = m.end()
        at = -1
    out.append(text[pos:])
    return "".join(out)


# chrome words glued to the end of a content line ("打印本页关闭窗口 | ||||")
_CHROME_TAIL_WORDS = ("打印本页", "打印本頁", "关闭窗口", "關閉窗口", "返回顶部", "返回頂部")
_CHROME_TAIL = re.compile(r"(?:[【\[]?(?:" + "|".join(_CHROME_TAIL_WORDS) + r")[】\]]?\s*)+[\s|｜]*$", re.M)
_PIPE_RUN = re.compile(r"\|{4,}")
# A table crawled one cell per line with a lone "|" line after each cell (尼勒克县 2023): the bar belongs to
# the cell before it ("规章\n|\n0\n|" → "规章 |\n0 |"), the layout the table readers know as one cell per line.
# Many such lines, or it is a stray bar in prose.
_PIPE_LINE = re.compile(r"\n\|(?=\n)")
_PIPE_LINES_MIN = 8
# a cell line that carries its own bar ("0 |"): then a lone "|" is a blank cell of that layout, not a separator
_TAILED_LINE = re.compile(r"[^|\s][ \t]*\|[ \t]*$", re.M)


# A crawler that flattens the page puts the breadcrumb, the article and the footer on ONE line: on a
# long line only the breadcrumb itself ("当前位置: 首页政务公开年报 " or "首页 > 政务公开 > 年报") goes.
_LONG_LINE = 200
_BREADCRUMB_HEAD = re.compile(
    r"^\s*(?:当前位置|您当前的位置|您现在的位置|您的位置|你的位置|所在位置)\s*[:：]\s*"
    r"\S+(?:\s*(?:>>|>|»|›|/)\s*\S+)*\s*"
)


def _chrome_line(m: re.Match[str]) -> str:
    line = m.group()
    if len(line) <= _LONG_LINE or len(_CJK.findall(line)) < _LONG_LINE // 4:  # short, or pipes and markup
        return ""
    head = _BREADCRUMB_HEAD.match(line)
    return line[head.end() :] if head else line


def _find(text: str, word: str) -> int:
    """`text.find(word)`. A search for one character is a memchr over the text, some ten times cheaper than
    the search for a word of Chinese text (whose characters defeat its skip table): a word one of whose
    characters is missing is cleared with those alone."""
    return text.find(word) if all(char in text for char in word) else -1


def _holds(text: str, word: str) -> bool:
    """`word in text`, cleared by single characters first (see _find)."""
    return _find(text, word) >= 0


def _strip_chrome(text: str) -> str:
    # _CHROME_TAIL starts at one of its words (or the bracket before it): scan from the first one only,
    # not from every position of the text (the words are usually in the page footer).
    first = min((i for i in (_find(text, word) for word in _CHROME_TAIL_WORDS) if i >= 0), default=-1)
    if first >= 0:
        start = max(first - 1, 0)
        text = text[:start] + _CHROME_TAIL.sub("", text[start:])
    return _chrome_lines_out(text)


_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def _is_table_row(line: str) -> bool:
    """A grid row ("| a | 3 |"), or a text layer's row: three numbers or more, the last ending the line
    ("116 15 8 17 16 2 174", "(七)总计 33 2 0 0 0 0 35"); two rows of a table may well print the same."""
    return line.count("|") >= 2 or (line[-1:].isdigit() and len(_NUMBERS.findall(line)) >= 3)


def _drop_repeats(text: str) -> str:
    """The same long prose paragraph twice in one page is the same report printed twice (or a print
    view appended): keep the first. Short lines (headings) and table rows are left alone — headings
    repeat legitimately, table rows are judged by the tables step."""
    seen: set[str] = set()
    out: list[str] = []
    for line in text.split("\n"):
        key = line.strip()
        if len(key) >= 20 and not _is_table_row(key):
            if key in seen:
                continue
            seen.add(key)
        out.append(line)
    return "\n".join(out)


_BLANK_RUNS = re.compile(r"\n{3,}")

# --- 4. script ------------------------------------------------------------------------------------------


def _dictionary(name: str) -> dict[str, str]:
    path = files("opencc").joinpath("dictionary", name)
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("\t")
        if key and value:
            table[key] = value.split(" ")[0]
    return table


@cache
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    trad = {k for k, v in _dictionary("TSCharacters.txt").items() if len(k) == 1 and v != k}
    simp = {k for k, v in _dictionary("STCharacters.txt").items() if len(k) == 1 and v != k}
    # characters on both lists (pairs that map both ways) say nothing
    both = trad & simp
    return frozenset(trad - both), frozenset(simp - both)


def _bmp_only(text: str) -> bool:
    """No character of `text` is beyond the BMP: each is then one UTF-16 unit (an encode is C work of a
    few instructions per character, a class scan several times that)."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


def _bmp_class(chars: frozenset[str]) -> re.Pattern[str]:
    """A one-character class of the BMP characters of `chars`. Characters beyond the BMP are left out: a
    class holding any of them is matched item by item (a hundred times slower than a class of BMP
    characters only, which sre looks up in a bitmap); texts that hold such characters use the sets."""
    return re.compile("[" + re.escape("".join(sorted(c for c in chars if c < "\U00010000"))) + "]")


@cache
def _script_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    trad, simp = _script_sets()
    return _bmp_class(trad), _bmp_class(simp)


def _found(pattern: re.Pattern[str], text: str) -> set[str]:
    """The distinct characters of `text` in a one-character class. A set of the whole text (`set(text)`)
    makes a string object and a hash per character of Chinese text; the class is scanned in C."""
    return set(pattern.findall(text))


def detect_script(text: str, chars: set[str] | None = None) -> Script:
    """Traditional when the text uses more distinct Traditional-only characters than Simplified-only
    ones (and at least three). Distinct characters, not occurrences: one stray quotation of the other
    script does not tip a long document."""
    trad, simp = _script_sets()
    if chars is None and _bmp_only(text):  # the classes hold the BMP characters only
        trad_class, simp_class = _script_classes()
        n_trad = len(_found(trad_class, text))
        if n_trad < 3:
            return "simplified"
        return "traditional" if n_trad > len(_found(simp_class, text)) else "simplified"
    chars = set(text) if chars is None else chars
    n_trad = len(trad.intersection(chars))
    if n_trad < 3:
        return "simplified"
    return "traditional" if n_trad > len(simp.intersection(chars)) else "simplified"


# zh-TW phrase variants (the mirror sites convert 文件 → 檔案 at phrase level), applied before t2s.
_TW_PHRASES = {
    "規範性檔案": "規範性文件",
    "主動公開檔案": "主動公開文件",
    "公開檔案": "公開文件",
    "政策檔案": "政策文件",
    "紅頭檔案": "紅頭文件",
    "相關檔案": "相關文件",
    "檔案精神": "文件精神",
    "軟體": "軟件",
    "網際網路": "互聯網",
    "資訊公開": "信息公開",
    "政府資訊": "政府信息",
}
# Simplified→Traditional round-trip errors t2s does not undo (the seeds' Traditional text came from an
# s2t conversion, which picks the wrong Traditional twin for some characters), and variant forms t2s does
# not know (陜, a variant of 陝, in 陜西省人民政府辦公廳); applied after t2s.
_T2S_FIXES = {
    "谘询": "咨询",
    "陜": "陕",
}
_TW_RE = re.compile("|".join(map(re.escape, sorted(_TW_PHRASES, key=len, reverse=True))))
_FIX_RE = re.compile("|".join(map(re.escape, sorted(_T2S_FIXES, key=len, reverse=True))))


@cache
def _t2s_tables() -> tuple[dict[int, str], re.Pattern[str] | None, dict[str, str]]:
    """OpenCC t2s, fast: its character table as a str.translate map, plus the few phrases (TSPhrases)
    whose conversion differs from character by character (乾坤 stays 乾坤, 瞭解 → 了解). Same result
    as OpenCC('t2s').convert on report text, about 50 times faster — t2s would otherwise dominate the
    time of a Traditional document."""
    chars = {k: v for k, v in _dictionary("TSCharacters.txt").items() if len(k) == 1}
    table = str.maketrans(chars)
    phrases = {k: v for k, v in _dictionary("TSPhrases.txt").items() if k.translate(table) != v}
    pattern = re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))) if phrases else None
    return table, pattern, phrases


def _t2s_convert(text: str) -> str:
    table, pattern, phrases = _t2s_tables()
    if pattern is None:
        return text.translate(table)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos : m.start()].translate(table))
        out.append(phrases[m.group()])
        pos = m.end()
    out.append(text[pos:].translate(table))
    return "".join(out)


def to_simplified(text: str) -> str:
    text = _TW_RE.sub(lambda m: _TW_PHRASES[m.group()], text)
    text = _t2s_convert(text)
    return _FIX_RE.sub(lambda m: _T2S_FIXES[m.group()], text)


# --- text damage: pinyin annotations, stray Traditional characters, pasted spam -----------------------

# Mirror sites inject the reading after characters ("數(shù)據(jù)"): a hanzi, then in brackets one pinyin
# syllable — latin letters with a tone mark, or a lower-case syllable with a tone digit (shu4). Plain
# letters in brackets ("(APP)", "(OA)", "(A1)") are no reading and stay.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYLLABLE = (rf"(?:[a-zA-Z{_TONED}\u0300-\u036f]*[{_TONED}\u0300-\u036f][a-zA-Z{_TONED}\u0300-\u036f]*"
             rf"|[b-df-hj-np-tw-z]{{0,2}}[aeiouv][a-z]{{0,4}}[1-5])")
_PINYIN_PLAIN = re.compile(rf"(?<=[\u4e00-\u9fff])[ \t]?[(（][ \t]?{_SYLLABLE}[ \t]?[)）]")
# _PINYIN_PLAIN opening with a character instead of its look-behind, which the engine tries at every
# position of the text: an annotation opens with the space or tab before its bracket or with the bracket,
# and the look-behind moves after that character. One alternative per opening character (each a literal):
# the engine then skips to those four characters, and from each start matches what _PINYIN_PLAIN does.
_PINYIN = re.compile(
    rf"(?: (?<=[\u4e00-\u9fff] )[(（]|\t(?<=[\u4e00-\u9fff]\t)[(（]|\((?<=[\u4e00-\u9fff]\()|（(?<=[\u4e00-\u9fff]（))"
    rf"[ \t]?{_SYLLABLE}[ \t]?[)）]"
)


# Every annotation opens with a bracket and a letter: a search for that pair alone (no look-behind at
# every character) clears most documents.
_PINYIN_HINT = re.compile(rf"[(（][ \t]?[a-zA-Z{_TONED}\u0300-\u036f]")
# _PINYIN_HINT as two patterns, one per bracket: a pattern opening with one literal character is scanned
# for it by a tight loop, one opening with a class tests the class at every character
_PINYIN_HINTS = tuple(re.compile(rf"{re.escape(bracket)}[ \t]?[a-zA-Z{_TONED}\u0300-\u036f]") for bracket in "(（")


def _may_hold_pinyin(text: str) -> bool:
    """`_PINYIN_HINT.search(text) is not None`."""
    return any(hint.search(text) is not None for hint in _PINYIN_HINTS)


def _strip_pinyin(text: str) -> tuple[str, int]:
    if not _may_hold_pinyin(text):
        return text, 0
    return _PINYIN.subn("", text)


@cache
def _stray_traditional() -> dict[int, str]:
    """Traditional characters that Simplified text never uses (outside GB 2312), mapped to Simplified:
    a Simplified page that was run through a converter and back keeps some (机製, 全麵, 方麵)."""
    table: dict[int, str] = {}
    for key, value in _dictionary("TSCharacters.txt").items():
        if len(key) != 1 or len(value) != 1 or key == value:
            continue
        try:
            key.encode("gb2312")
        except UnicodeEncodeError:
            table[ord(key)] = value
    return table


@cache
def _stray_set() -> frozenset[str]:
    return frozenset(map(chr, _stray_traditional()))


@cache
def _stray_class() -> re.Pattern[str]:
    return _bmp_class(_stray_set())


def _has_stray(text: str) -> bool:
    """A character of _stray_set in `text` (a class scan; see _found)."""
    if _bmp_only(text):
        return _stray_class().search(text) is not None
    return not _stray_set().isdisjoint(text)


# Gambling and similar advertising that copy sites paste into titles and put in place of the portal's
# name. Strong words only such spam uses; weak words also occur in real reports (打击赌博, 福利彩票) and
# count as spam only next to an advertising word (官网, 注册, 下载 …).
_SPAM_STRONG = r"娱乐城|葡京|威尼斯人|太阳城|百家乐|真人视讯|真人娱乐|六合彩|时时彩|注册送|送彩金|彩金|博彩|(?i:casino)"
_SPAM_WEAK = r"赌场|赌博|老虎机|棋牌|彩票|投注"
_SPAM_AD = r"官网|网址|注册|开户|下载|(?i:app)|娱乐|在线|首页|入口|登录|(?i:www)|\.com|\.net"
_SPAM = re.compile(
    rf"{_SPAM_STRONG}|(?:{_SPAM_WEAK})[^,。;\n]{{0,8}}?(?:{_SPAM_AD})|(?:{_SPAM_AD})[^,。;\n]{{0,8}}?(?:{_SPAM_WEAK})"
)
_SEGMENT_SEP = re.compile(r"\s*(?:[-_—–·•~|]{1,3}|\s{2,})\s*")
_QUOTED = re.compile(r"“[^”\n]{0,40}”|\"[^\"\n]{0,40}\"|《[^》\n]{0,40}》")
_PROSE_MARK = re.compile(r"[。,;!?]")


# Every match of _SPAM contains one of these words whole: a substring test for each (C work) clears
# almost every document before the pattern's alternatives are tried at every position.
_SPAM_WORDS = tuple(w for w in re.findall(r"[^|()?:]+", f"{_SPAM_STRONG}|{_SPAM_WEAK}") if w not in ("i", "casino"))


def _may_hold_spam(text: str) -> bool:
    return any(_holds(text, word) for word in _SPAM_WORDS) or _may_hold_casino(text)


def _may_hold_casino(text: str) -> bool:
    """`"casino" in text.lower()`. Only ASCII letters lower to the letters of "casino" (İ lowers to "i"
    and a combining dot, which no "n" can follow), so its six letters are six adjacent ASCII characters
    of the text: they stay adjacent in the text's ASCII characters, whose lower-casing is a byte loop."""
    return b"casino" in text.encode("ascii", "ignore").lower() and "casino" in text.lower()


def _strip_spam(text: str) -> tuple[str, int]:
    """Spam out of prose lines: a quoted name that is spam becomes empty quotes (the portal's name was
    replaced), a separated segment of a line that is spam goes ("…年度报告-XX娱乐城官网"), a short banner
    line of spam goes. A sentence of prose is never cut. Table rows are left to the tables step."""
    if not _may_hold_spam(text) or _SPAM.search(text) is None:
        return text, 0
    removed = 0
    out: list[str] = []
    for line in text.split("\n"):
        if _SPAM.search(line) is None or _is_table_row(line):
            out.append(line)
            continue
        removed += 1
        line = _QUOTED.sub(lambda m: m.group()[0] + m.group()[-1] if _SPAM.search(m.group()) else m.group(), line)
        pieces = _SEGMENT_SEP.split(line)
        if len(pieces) > 1:
            kept = [p for p in pieces if _SPAM.search(p) is None or _PROSE_MARK.search(p)]
            if len(kept) < len(pieces):
                line = " ".join(kept) if _PROSE_MARK.search(line) else "".join(kept)
        if _SPAM.search(line) and len(line) <= 40 and not _PROSE_MARK.search(line):
            continue  # a banner of spam
        if line.strip():
            out.append(line)
    return "\n".join(out), removed


# --- 5. NFKC ----------------------------------------------------------------------------------------------

_CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}
_PRE_NFKC = str.maketrans({**_CIRCLED, "…": "\u0000"})  # protect "…" from becoming "..."
# str.translate costs a dict lookup per character: only texts holding one of its keys go through it.
_PRE_NFKC_CHARS = frozenset(map(chr, _PRE_NFKC))


# Characters NFKC leaves as they are and that never combine with a neighbour: ASCII, the unified CJK
# ideographs and the common CJK punctuation — nearly all of a Chinese report. NFKC of the whole text costs a
# decomposition and a recomposition per character; only the few others ("：", "（", full-width digits)
# need looking at (_nfkc_by_character).
_NFKC_STABLE = "\x00-\x7f\u4e00-\u9fff\u3001\u3002\u3008-\u3011\u201c\u201d\u2018\u2019\u2014\u00b7"
_NFKC_UNSTABLE = re.compile(f"[^{_NFKC_STABLE}]")


@cache
def _composition_seconds() -> frozenset[str]:
    """Characters that join the one before them in a canonical composition: the second of every
    two-character canonical decomposition, and the Hangul vowel and final jamo (composed by rule).
    Decompositions are in the first two planes only."""
    seconds = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for code in range(0x20000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return frozenset(seconds)


@lru_cache(maxsize=8192)
def _inert(char: str) -> bool:
    """NFKC leaves the character as it is and never joins it to a neighbour."""
    return (unicodedata.normalize("NFKC", char) == char and unicodedata.combining(char) == 0
            and char not in _composition_seconds())


def _nfkc_by_character(text: str, chars: set[str]) -> str | None:
    """NFKC by replacing each distinct character it changes, when every character NFKC writes is inert
    (full-width forms, compatibility ideographs, CJK punctuation): then no composition can join
    neighbours, and a replace per distinct character is C work. None when a character needs its context
    (combining marks, jamo)."""
    changed: dict[str, str] = {}
    for char in _NFKC_UNSTABLE.findall("".join(chars)):
        to = unicodedata.normalize("NFKC", char)
        if not all(map(_inert, to)):
            return None
        if to != char:
            changed[char] = to
    for char, to in changed.items():
        text = text.replace(char, to)
    return text


def nfkc(text: str, chars: set[str] | None = None) -> str:
    """NFKC, keeping "…" and writing circled numbers as "(1)". `chars`: the set of the text's characters,
    when the caller has it."""
    if text.isascii():
        return text
    if unicodedata.is_normalized("NFKC", text):
        return text
    # a substring test per key (C's fast search) costs less than one regex scan of the text for all of them
    pre = {c for c in _PRE_NFKC_CHARS if c in text} if chars is None else chars.intersection(_PRE_NFKC_CHARS)
    if pre:
        for char in pre:
            text = text.replace(char, _PRE_NFKC[ord(char)])
        chars = None
    # only the characters NFKC may change are looked at: their set is cheaper than the text's
    fast = _nfkc_by_character(text, set(_NFKC_UNSTABLE.findall(text)) if chars is None else chars)
    return (fast if fast is not None else unicodedata.normalize("NFKC", text)).replace("\u0000", "…")


# --- pipeline --------------------------------------------------------------------------------------------


@cache
def _script_stray_class() -> re.Pattern[str]:
    return _bmp_class(_script_sets()[0] | _stray_set())


def _plain_simplified(text: str) -> bool:
    """No character of `text` counts as Traditional or is a stray Traditional character: then
    detect_script says "simplified" and _has_stray False. One scan for both classes (which are BMP only:
    so must the text be) instead of one each."""
    return _bmp_only(text) and _script_stray_class().search(text) is None


def normalise(text: str, *, fast: bool = True) -> Normalised:
    """Normalise rendered text: see the module docstring for the steps. `fast=False` runs every step's own
    test (the plain formulation of _plain_simplified), for tests."""
    issues: list[Issue] = []
    warnings: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    found: list[Issue] = []
    text = _repair_mojibake(text, found, [])
    if found:  # one issue per document, however many passages
        issues.append(Issue("mojibake", f"{len(found)} garbled passage(s): {found[0].message}"[:300]))
        warnings.append(f"mojibake: {len(found)} garbled passage(s) skipped or repaired")
    text, pinyin = _strip_pinyin(text)
    if pinyin:
        warnings.append(f"text damage: {pinyin} pinyin annotations removed")
    text = _strip_chrome(text)
    text = _PIPE_RUN.sub("", text) if "||||" in text else text
    if (lone := text.count("\n|\n")) >= _PIPE_LINES_MIN and len(_TAILED_LINE.findall(text)) < lone // 4:
        text = _PIPE_LINE.sub(" |", text)
    text = _drop_repeats(text)
    plain = fast and _plain_simplified(text)
    script: Script = "simplified" if plain else detect_script(text)
    if script == "traditional":
        text = to_simplified(text)
    elif not plain and _has_stray(text):
        text = text.translate(_stray_traditional())
    text = nfkc(text)
    text, spam = _strip_spam(text)
    if spam:
        warnings.append(f"text damage: spam removed from {spam} line(s)")
    if "\n\n\n" in text:  # a pattern opening with a repeat is tried at every position: test first
        text = _BLANK_RUNS.sub("\n\n", text)
    text = text.strip()
    return Normalised(text=text, script=script, warnings=warnings, issues=issues)
