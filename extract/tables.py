"""Facts from the three standard tables of an annual report (2019 and 2021 national formats).

二 主动公开政府信息情况 → publications.*, 三 收到和处理政府信息公开申请情况 → requests.* (seven applicant
columns), 四 政府信息公开行政复议、行政诉讼情况 → appeals.* (15 numbers).

Input is the normalised text (simplified script, NFKC) in which a table arrives in one of two shapes:
- pipe rows "| c1 | c2 | … |" (rendered HTML/DOCX/PDF tables, Markdown, transcriptions; outer pipes
  optional), spanned cells repeated;
- the flattened PDF text layer: a row label followed by its numbers on one line, long labels wrapped
  over neighbouring lines, vertical group labels one character per line, header words split.
One linear pass over the lines keeps a little state (current section, table 二 column header, table 三
applicant column order, table 四 block context, pending label fragments) and turns rows into facts.
Labels are matched on a canonical form: ASCII digits/brackets, no whitespace, no parenthesised
instructions, no enumeration prefixes. Evidence is the row's line, offsets into the input text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from extract.forms import forms
from extract.record import Fact, Issue

# ---------------------------------------------------------------------------------------------- text forms

# Full-width digits and ASCII-twin punctuation → ASCII, one character for one: the whole text is mapped
# once, so offsets into the mapped text are offsets into the input.
_FULLWIDTH = str.maketrans("０１２３４５６７８９（）：，．／－｜％　", "0123456789():,./-|% ")
_FULLWIDTH_CHARS = tuple(map(chr, _FULLWIDTH))


def ascii_twins(text: str) -> str:
    """`text` with _FULLWIDTH applied. str.translate with a mapping costs a dictionary look-up per
    character, so it runs only on a text that holds one of them: normalised (NFKC) text never does (each
    has a compatibility mapping), and NFKC's quick check is C work."""
    # a substring test per character (C's fast search) costs less than one regex scan for all of them
    if unicodedata.is_normalized("NFKC", text) or not any(ch in text for ch in _FULLWIDTH_CHARS):
        return text
    return text.translate(_FULLWIDTH)
_WS_RE = re.compile(r"\s+")
_PARENS_RE = re.compile(r"\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]")
_ENUM_RE = re.compile(r"^(?:\(?[一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十\d]{1,3}[、.])+")
# a sign before a figure: 本年增/减 "+88" or "-3" (the 2019 form's change column)
_NUMBER_RE = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")
# a cell that marks zero without a digit: a dash or a slash, or 无 ("none", 路北区住建局 2022)
ZERO_MARKS = frozenset({"-", "--", "—", "——", "–", "/", "\\", "－", "无"})
_NO_NUMBER = ZERO_MARKS | {""}  # a cell that holds no number: blank or a zero mark
# The first character of every line _PAGE_FOOTER_RE or _MD_RULE_RE matches (or of "[..."), once canon():
# other lines skip the two patterns.
_SKIPPED_FIRST = frozenset("-—第|:[")
_UNIT_SUFFIX_RE = re.compile(r"(?:件|条|个|项|次|人次|万元|元)$")
_TRAILING_NUMBER_RE = re.compile(r"^(.*?)[:\s]*(-?\d[\d,]*(?:\.\d+)?)$")
_PAGE_FOOTER_RE = re.compile(r"^[-—]\s*\d{1,3}\s*[-—]$|^第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?$")
_MD_RULE_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


def bare_pipe_lines(lines: list[str]) -> list[bool]:
    """Per line: whether it belongs to a Markdown table written without outer pipes (a run of pipe lines
    whose delimiter row reads `---|---`), where a pipe at either end of a row bounds a blank cell. The
    run is the unit: a table's first row comes before its delimiter row."""
    flags = [False] * len(lines)
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and "|" in lines[j]:
            j += 1
        if any((t := line.strip())[:1] in "-:" and _MD_RULE_RE.match(t) for line in lines[i:j]):
            flags[i:j] = [True] * (j - i)
        i = j
    return flags


@lru_cache(maxsize=65536)
def canon(s: str) -> str:
    """No whitespace (the text is already mapped to ASCII digits and brackets). Cached: the same cells and
    labels recur in every report."""
    return _WS_RE.sub("", s)


@lru_cache(maxsize=65536)
def _strip_parens(s: str) -> str:
    prev = None
    while prev != s:
        prev, s = s, _PARENS_RE.sub("", s)
    return s


@lru_cache(maxsize=65536)
def core(s: str) -> str:
    """A label without instructions in brackets, enumeration prefixes and trailing punctuation."""
    return _ENUM_RE.sub("", _strip_parens(canon(s))).strip(":,.;、。 ")


def _number(token: str) -> int | float | None:
    t = canon(token)
    if not _NUMBER_RE.fullmatch(t):
        return None
    t = t.replace(",", "")
    value = float(t)
    return int(value) if value.is_integer() and "." not in t else value


def _named(names: Sequence[tuple[re.Pattern[str], str | None]], text: str, *, whole: bool = False) -> str | None:
    """The key of the first of `names` whose pattern is found in `text` (is all of it, when `whole`)."""
    for pattern, key in names:
        if (pattern.fullmatch if whole else pattern.search)(text):
            return key
    return None


@lru_cache(maxsize=4096)
def _cell_value(cell: str) -> tuple[bool, int | float | None]:
    """(value_like, value). Blank and dash cells are 0; text gives (False, None)."""
    t = canon(cell)
    if t in _NO_NUMBER:
        return True, 0
    t = _UNIT_SUFFIX_RE.sub("", t)
    value = _number(t)
    return (value is not None), value


# ---------------------------------------------------------------------------------------------- rows

@dataclass
class _Row:
    start: int
    end: int
    text: str
    piped: bool
    label_cells: list[str]  # leading text cells (pipe) or [label] (flattened)
    values: list[str]  # raw value cells / number tokens, in order
    cells: list[str] = field(default_factory=list)  # all cells of a pipe row
    _evidence: str | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return "".join(self.label_cells)

    def evidence(self, text: str) -> str:
        """The row's text as it stands in `text` (cut once per row, however many facts it gives)."""
        if self._evidence is None:
            self._evidence = text[self.start:self.end]
        return self._evidence

    def has_numbers(self) -> bool:
        return any(canon(v) not in _NO_NUMBER for v in self.values)


def pipe_cells(line: str, base: int = 0, bare: bool = False) -> list[tuple[str, int]]:
    """The cells of a pipe row with their offsets (base + position in `line`), unstripped: "| a | b |" →
    [(" a ", ·), (" b ", ·)]. The text before the first pipe and after the last is no cell when blank; with
    `bare` (a Markdown table written without outer pipes, `a | b`) it is one, so " | 3 |  | 3" is four cells,
    the first blank. The one rule for both readers of tables (this module's line parser and align)."""
    cells: list[tuple[str, int]] = []
    at = base
    for cell in line.split("|"):
        cells.append((cell, at))
        at += len(cell) + 1
    if bare:
        return cells
    if len(cells) > 1 and not cells[-1][0].strip():
        cells = cells[:-1]
    if len(cells) > 1 and not cells[0][0].strip() and any(c.strip() for c, _ in cells):
        cells = cells[1:]
    return cells


def _split_pipes(line: str, bare: bool = False) -> list[str]:
    return [c.strip() for c, _ in pipe_cells(line, 0, bare)]


_LABEL_TEXT = re.compile(r"[\u4e00-\u9fff]{2}")  # two hanzi: a label, not a stray mark in a value cell


def _parse_row(line: str, start: int, bare: bool = False) -> _Row:
    end = start + len(line)
    if "|" in line:
        cells = _split_pipes(line, bare)
        i = 0
        while i < len(cells) and not cells[i]:
            i += 1
        j = i
        while True:
            while j < len(cells) and not _cell_value(cells[j])[0]:
                j += 1
            # blank cells between two label cells are an empty column of the grid (a PDF's rebuilt table
            # puts one between a group's cell and its rows' labels), not the first value cells
            k = j
            while k < len(cells) and not cells[k]:
                k += 1
            if j < k < len(cells) and not _cell_value(cells[k])[0] and _LABEL_TEXT.search(cells[k]):
                j = k
                continue
            break
        return _Row(start, end, line, True, [c for c in cells[i:j] if c], cells[j:], cells)
    tokens = line.split()
    k = len(tokens)
    while k > 0 and (_number(tokens[k - 1]) is not None or tokens[k - 1] in ZERO_MARKS):
        k -= 1
    if k == len(tokens):
        return _Row(start, end, line, False, [line.strip()], [])
    # The label is the text before the first trailing number token.
    label = line.split(None, k)[:k]
    label_text = " ".join(label)
    return _Row(start, end, line, False, [label_text] if label_text else [], tokens[k:])


def _label_parts(row: _Row) -> list[str]:
    """The pieces a label can be cut between: its cells (pipe row) or its words (flattened)."""
    return row.label_cells if row.piped or not row.label_cells else row.label_cells[0].split()


def _cut_label(row: _Row, k: int) -> _Row:
    """The row read as if its label ended after k pieces: the pieces after it hold text where the first
    numbers belong ("| 行政规范性文件 | 见附件 | 1 | 20 |"), so they move to the value cells."""
    parts = _label_parts(row)
    label = parts[:k] if row.piped else [" ".join(parts[:k])]
    return replace(row, label_cells=label, values=parts[k:] + row.values)


def _shorter_labels(row: _Row) -> Iterator[_Row]:
    """The row, then the row with ever fewer label pieces (see `_cut_label`), at least one kept."""
    yield row
    for k in range(len(_label_parts(row)) - 1, 0, -1):
        yield _cut_label(row, k)


# ---------------------------------------------------------------------------------------------- table 二

_T2_ROWS = [
    (re.compile(r"规章"), "regulations"),
    (re.compile(r"(?:行政)?规范性(?:文件|档案)"), "normative_docs"),
    (re.compile(r"行政许可"), "licensing"),
    (re.compile(r"其他对外管理服务事项"), "other_services"),
    (re.compile(r"行政处罚"), "penalty"),
    (re.compile(r"行政强制"), "coercion"),
    (re.compile(r"行政事业性收费"), "fees"),
    (re.compile(r"政府集中采购"), "procurement"),
]
_DOC_ROWS = {"regulations", "normative_docs"}
_DECISION_ROWS = {"licensing", "other_services", "penalty", "coercion"}
# Column names of table 二 (2021 and 2019 forms); None = a column without a metric key.
_T2_COLS = [
    (re.compile(r"本年制发件数|制发件数"), "issued"),
    (re.compile(r"本年新制作数量|新制作数量"), "issued"),
    (re.compile(r"本年废止件数|废止件数"), "repealed"),
    (re.compile(r"现行有效件数|现行有效"), "in_force"),
    (re.compile(r"对外公开总数量"), "in_force"),
    (re.compile(r"本年新公开数量|新公开数量"), "published"),
    (re.compile(r"处理决定数量|办件量"), "decisions"),
    (re.compile(r"收费金额"), "amount"),
    (re.compile(r"采购项目数量|项目数量\(?采购"), "projects"),
    (re.compile(r"采购总金额"), "amount"),
    (re.compile(r"上一年项目数量|本年增/?减|增减"), None),
]
_T2_COL_ANY = re.compile("|".join(p.pattern for p, _ in _T2_COLS))
# every column name holds one of these characters (tests/test_fast_paths.py): a text holding none of them
# (most lines of prose) names no column, found by a few one-character tests instead of a scan
_T2_COL_CHARS = "数效量额增"


def _may_name_t2_col(text: str) -> bool:
    return any(char in text for char in _T2_COL_CHARS)


# Column names only one of the two national forms has (table 二 headers): strong marks decide, weak ones
# (local variants reuse them) only when no strong mark is present.
_MARKS = [
    (re.compile(r"本年制发件数|本年废止件数|现行有效件数"), "2021", 0),
    (re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量"), "2019", 1),
    (re.compile(r"本年处理决定数量|本年收费金额"), "2021", 2),
    (re.compile(r"上一年项目数量|采购项目数量"), "2019", 3),
]


_ANY_MARK = re.compile("|".join(pattern.pattern for pattern, _, _ in _MARKS))  # one scan for most lines


def marked_template(text: str) -> str | None:
    """The national form whose own table 二 column names (the strong marks) the text prints, if any."""
    return next((template for pattern, template, rank in _MARKS if rank < 2 and pattern.search(text)), None)


@dataclass(frozen=True)
class _Col:
    kind: str | None
    factor: float = 1.0  # multiplier to the metric's unit (元 → 万元: 1e-4)


def _unit_factor(text: str) -> float:
    t = canon(text)
    if "万元" in t:
        return 1.0
    if re.search(r"(?:单位:|\()元|元\)|^元$|金额元", t):
        return 1e-4
    return 1.0


@lru_cache(maxsize=4096)
def _t2_col(cell: str) -> _Col | None:
    """The column a header cell names, or None when it names no table 二 column."""
    t = _strip_parens(canon(cell)) or canon(cell)
    if not _T2_COL_ANY.search(t):
        return None
    return _Col(_named(_T2_COLS, t), _unit_factor(cell))


def _t2_header(row: _Row) -> list[_Col] | None:
    if row.piped:
        cols = [_t2_col(c) for c in row.cells]
        if not any(cols):
            return None
        first = next(i for i, c in enumerate(cols) if c is not None)
        return [c if c is not None else _Col(None) for c in cols[first:]]
    t = canon(row.text)
    if not _may_name_t2_col(t):  # _strip_parens only removes text: it cannot add one of the characters
        return None
    found = [m for m in _T2_COL_ANY.finditer(_strip_parens(t))]
    if not found:
        return None
    factor = _unit_factor(row.text)
    return [_Col(_t2_col(m.group()).kind, factor) for m in found]


@lru_cache(maxsize=65536)
def _t2_kind(label: str) -> str | None:
    return _named(_T2_ROWS, core(label), whole=True)


def _t2_row_kind(row: _Row) -> str | None:
    if not row.label_cells:
        return None
    return _t2_kind(row.label_cells[-1]) or _t2_kind(row.label)


def _t2_row(row: _Row) -> tuple[_Row, str] | None:
    """The table 二 row kind and the row read with the label that names it. A row name must match whole,
    so text after it can only be a value cell holding text."""
    for candidate in _shorter_labels(row):
        if (kind := _t2_row_kind(candidate)) is not None:
            return candidate, kind
    return None


def _t2_metric(kind: str, col: str) -> str | None:
    if kind in _DOC_ROWS and col in ("issued", "repealed", "in_force", "published"):
        return f"{kind}_{col}"
    if kind in _DECISION_ROWS and col == "decisions":
        return f"{kind}_decisions"
    if kind == "fees" and col == "amount":
        return "fees_amount_wan_yuan"
    if kind == "procurement" and col == "projects":
        return "procurement_projects"
    if kind == "procurement" and col == "amount":
        return "procurement_amount_wan_yuan"
    return None


def _t2_default_cols(kind: str, n: int, is_2019: bool) -> list[_Col]:
    if kind in _DOC_ROWS and n >= 3:
        return [_Col("issued"), _Col("published" if is_2019 else "repealed"), _Col("in_force")]
    if kind in _DECISION_ROWS:
        if n == 1:
            return [_Col("decisions")]
        return [_Col(None), _Col(None), _Col("decisions")] if n == 3 else []  # 2019: 上一年/增减/处理决定
    if kind == "fees":
        return [_Col("amount")] if n == 1 else []
    if kind == "procurement" and n == 2:
        return [_Col("projects"), _Col("amount")]
    return []


# ---------------------------------------------------------------------------------------------- table 三

APPLICANTS = list(forms().applicants)
_APPLICANT_CELL = [
    (re.compile(r"自然人$"), "natural_person"),
    (re.compile(r"商业企业$"), "commercial_enterprise"),
    (re.compile(r"科研机构$"), "research_institution"),
    (re.compile(r"社会公益(?:组织)?$"), "public_interest_org"),
    (re.compile(r"法律服务(?:机构)?$"), "legal_service_org"),
    (re.compile(r"^(?:其他|其他组织)$|[:]其他$"), "other_org"),
    (re.compile(r"法人或其他组织$"), "organization"),
    (re.compile(r"(?:总计|合计)$"), "total"),
]
# Row labels of table 三 from the form description (forms.yaml), in form order.
_T3_SEARCH = [(pattern, row.key) for row in forms().table3 for pattern in row.patterns]
_T3_EXACT = {label: row.key for row in forms().table3 for label in row.exact}


@lru_cache(maxsize=65536)
def _t3_search(text: str, latest: bool = False) -> str | None:
    """The row a table 三 label names: the first reason in `_T3_SEARCH` found or, with `latest`, the one
    found furthest on (a label wrapped over lines that began with another row's words)."""
    t = _strip_parens(canon(text))
    if not latest:
        return _named(_T3_SEARCH, t)
    found = [(m.start(), key) for pattern, key in _T3_SEARCH if (m := pattern.search(t))]
    return max(found, key=lambda hit: hit[0])[1] if found else None


def _t3_key(row: _Row, pending: list[str]) -> str | None:
    own = None
    if row.label_cells:
        for text in (row.label_cells[-1], row.label):
            if own := _t3_search(text) or _T3_EXACT.get(core(text)):
                break
    if row.piped or not pending or own not in (None, "other_total"):
        return own
    # Flattened text layer: the label wrapped onto the lines before the numbers. A bare "（六）其他处理"
    # beside the numbers is the group label of the first reason when the reason's text came before.
    wrapped = _t3_search("".join(pending) + row.label, latest=True)
    if own == "other_total":
        return wrapped if wrapped and wrapped.startswith("other_") else own
    return wrapped


@lru_cache(maxsize=4096)
def _applicant_of(cell: str) -> str | None:
    """The applicant column a header cell names."""
    t = _strip_parens(canon(cell))
    return _named(_APPLICANT_CELL, t) if t else None


def _t3_header(row: _Row) -> list[str] | None:
    if not row.piped or row.has_numbers():
        return None
    order = [key for cell in row.cells if (key := _applicant_of(cell))]
    if len(order) != len(set(order)) or "natural_person" not in order or "total" not in order:
        return None
    if not (set(forms().organisations) <= set(order) or "organization" in order):
        return None
    return order


def _t3_organisations(row: _Row) -> list[str] | None:
    """The kinds of 法人或其他组织 a header line names, every one of them and nothing else, in its order."""
    if not row.piped or row.has_numbers():
        return None
    order = [key for cell in row.cells if (key := _applicant_of(cell))]
    return order if sorted(order) == sorted(forms().organisations) else None


# ---------------------------------------------------------------------------------------------- table 四

_T4_BLOCKS = list(forms().table4_blocks)
_T4_KINDS = list(forms().table4_outcomes)
_T4_CELL = [
    (re.compile(r"维持"), "upheld"),
    (re.compile(r"纠正|纠错"), "corrected"),
    (re.compile(r"其他"), "other"),
    (re.compile(r"尚未审结|未审结|审结"), "pending"),
    (re.compile(r"总计|合计"), "total"),
]


def _t4_context(text: str) -> str | None:
    t = canon(text)
    if "复议后" in t:
        return "litigation_after_reconsideration"
    if "未经复议" in t or "直接起诉" in t:
        return "litigation_direct"
    if "行政诉讼" in t and "行政复议" not in t:
        return "litigation"
    if "行政复议" in t and "行政诉讼" not in t:
        return "reconsideration"
    return None


def _t4_kind(text: str) -> str | None:
    return _named(_T4_CELL, canon(text))


def _t4_values(row: _Row) -> tuple[list[tuple[str | None, str]], str]:
    """[(kind named in the cell, value token)] and the row's own text outside the values."""
    if not row.piped:
        return [(None, v) for v in row.values], row.label
    out: list[tuple[str | None, str]] = []
    label: list[str] = []
    for cell in row.cells:
        if _cell_value(cell)[0]:
            out.append((None, cell))
        elif m := _TRAILING_NUMBER_RE.match(canon(cell)):
            out.append((_t4_kind(m.group(1)), m.group(2)))
            label.append(m.group(1))
        elif not out:
            label.append(cell)
        else:
            out.append((None, cell))  # text where a number belongs: reported as a bad cell
    while len(out) > 5 and len(out) % 5 and canon(out[-1][1]) == "":
        out.pop()
    return out, "".join(label)


# ---------------------------------------------------------------------------------------------- sections

@lru_cache(maxsize=65536)
def _section_of(line: str) -> str | None:
    """"2", "3", "4" or "end" for a section heading line, None for any other line.

    A pipe row whose cells all hold one text is a heading spanning the table (sites that put the section
    title in the table's first row): it is read as that text."""
    if "|" in line:
        texts = {canon(c) for c in _split_pipes(line)} - {""}
        if len(texts) == 1:
            line = texts.pop()
    t = canon(line).lstrip("#*").rstrip("*")
    if len(t) > 40 or "|" in t:
        return None
    if "行政复议" in t and "行政诉讼" in t and ("情况" in t or t.startswith("四")):
        return "4"
    if "收到和处理政府信息公开申请" in t:
        return "3"
    if "主动公开政府信息情况" in t or t.startswith("二、主动公开"):
        return "2"
    if re.match(r"^[五六七]、", t) or "存在的主要问题" in t or "其他需要报告的事项" in t:
        return "end"
    return None


# ---------------------------------------------------------------------------------------------- parser

@dataclass
class TableResult:
    facts: list[Fact]
    template: str | None  # "2021" | "2019" | None
    warnings: list[str]
    issues: list[Issue]


@dataclass
class _State:
    text: str
    section: str | None = None
    t2_cols: list[_Col] | None = None
    t3_order: list[str] | None = None
    t4_order: list[str] | None = None
    t4_context: str | None = None
    t4_filled: set[str] = field(default_factory=set)
    pending: list[str] = field(default_factory=list)
    marks: dict[int, str] = field(default_factory=dict)  # rank of the template evidence → template
    facts: dict[tuple[str, str], Fact] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def template(self) -> str | None:
        return self.marks[min(self.marks)] if self.marks else None

    def emit(self, metric: str, applicant: str, value: int | float, row: _Row) -> None:
        key = (metric, applicant)
        if key in self.facts:
            if self.facts[key].value != value:
                self.warnings.append(f"table: {metric}@{applicant} read twice ({self.facts[key].value} and "
                                     f"{value}); kept the first")
            return
        self.facts[key] = Fact(metric, value, applicant, "table", row.evidence(self.text), row.start, row.end)

    def bad_cell(self, row: _Row, cell: str, what: str) -> None:
        message = f"{what}: cell {cell!r} is not a number (row {row.text[:60]!r})"
        self.issues.append(Issue("bad_cell", message))


def _value(state: _State, row: _Row, cell: str, table: str, metric: str, applicant: str = "") -> int | float | None:
    ok, value = _cell_value(cell)
    if not ok:  # the cell's name written only here: most cells are numbers
        state.bad_cell(row, cell, f"table {table} {metric}" + (f"@{applicant}" if applicant else ""))
        return None
    return value


def _do_t2(state: _State, row: _Row, kind: str) -> bool:
    values = list(row.values)
    cols = state.t2_cols
    if cols is not None and any(c.kind for c in cols) and not any(
            c.kind and _t2_metric(kind, c.kind) for c in cols):
        cols = None  # the header in force belongs to another sub-table
    if cols is None:
        n = len([v for v in values if canon(v)]) if not row.piped else len(values)
        while row.piped and n > 1 and not canon(values[n - 1]):
            n -= 1
        cols = _t2_default_cols(kind, n, state.template() == "2019")
        if not cols:
            state.warnings.append(f"table 二: no column header for {row.text[:60]!r}; row skipped")
            return False
    if not row.piped and len(values) != len(cols):
        if len(set(c.kind for c in cols)) != 1 or len(values) != 1:
            state.warnings.append(f"table 二: {len(values)} numbers for {len(cols)} columns in "
                                  f"{row.text[:60]!r}; row skipped")
            return False
    label_factor = _unit_factor(row.label) if "元" in row.label else None
    done: set[str] = set()
    for col, cell in zip(cols, values, strict=False):
        if col.kind is None or col.kind in done:
            continue
        metric = _t2_metric(kind, col.kind)
        if metric is None:
            continue
        done.add(col.kind)
        value = _value(state, row, cell, "二", metric)
        if value is None:
            continue
        factor = label_factor if label_factor is not None else col.factor
        if (cell_unit := re.search(r"(万元|千元|元)\s*$", canon(cell))) is not None:
            factor = {"万元": 1.0, "千元": 0.1, "元": 1e-4}[cell_unit.group(1)]  # the cell's own unit wins
        if metric.endswith("_wan_yuan") and factor != 1.0:
            value = round(value * factor, 6)
        state.emit(f"publications.{metric}", "total", value, row)
    return True


def _t3_mapping(state: _State, row: _Row) -> tuple[list[str], list[str]] | None:
    values = list(row.values)
    order = state.t3_order or APPLICANTS
    if not row.piped:
        if len(values) < len(order):
            state.warnings.append(f"table 三: {len(values)} numbers for {len(order)} columns in "
                                  f"{row.text[:60]!r}; row skipped")
            return None
        return order, values[-len(order):]
    while len(values) > len(order) and not canon(values[-1]):
        values.pop()
    while len(values) > len(order) and not canon(values[0]):
        values.pop(0)
    if len(values) < 3 and state.t3_order is None:
        # Not a standard table 三 row (its grid has seven value cells, blanks included): a local
        # two-column table such as "| 予以公开 | 30 |" states a total, not a natural-person count.
        state.warnings.append(f"table 三: {len(values)} value cells in {row.text[:60]!r}; row skipped")
        return None
    if state.t3_order is None and len([v for v in values if canon(v)]) == 3 == len(values):
        nums = [_cell_value(v)[1] for v in values]
        if None not in nums and nums[0] + nums[1] == nums[2]:
            return ["natural_person", "organization", "total"], values
    return order, values[: len(order)]


def _t3_widen(state: _State, row: _Row, key: str) -> _Row:
    """A pipe row with fewer value cells than the grid has applicant columns whose last label cell names
    no row: that cell is text in the first value column. Cut off, the label must still name the same row."""
    width = len(state.t3_order or APPLICANTS)
    while row.piped and len(row.values) < width and len(row.label_cells) > 1:
        last = row.label_cells[-1]
        if _t3_search(last) or core(last) in _T3_EXACT:
            break
        shorter = _cut_label(row, len(row.label_cells) - 1)
        if _t3_key(shorter, []) != key:
            break
        row = shorter
    return row


def _do_t3(state: _State, row: _Row, key: str) -> None:
    row = _t3_widen(state, row, key)
    mapping = _t3_mapping(state, row)
    if mapping is None:
        return
    order, values = mapping
    metric = f"requests.{key}"
    got: dict[str, int | float] = {}
    cells = dict(zip(order, values, strict=False))
    for applicant, cell in cells.items():
        value = _value(state, row, cell, "三", key, applicant)
        if value is not None:
            got[applicant] = value
    _drop_blank_total(state, f"table 三: {key}", cells, got)
    for applicant, value in got.items():
        state.emit(metric, applicant, value, row)
    parts = [got[a] for a in order if a != "total" and a in got]
    if "total" in got and len(parts) == len(order) - 1 and sum(parts) != got["total"]:
        state.warnings.append(f"table 三: {key} columns sum to {sum(parts)}, 总计 says {got['total']}")
    if key.startswith("other_"):
        # （六）其他处理 split into three reasons is the 2021 form; one row is the 2019 form.
        state.marks.setdefault(0 if key != "other_total" else 3, "2021" if key != "other_total" else "2019")


def blank_total(cell: str, parts: list[int | float]) -> bool:
    """A 总计 cell left blank while the cells it totals are not all zero: a total not filled in, not a zero (a
    blank cell of the form means zero only where nothing contradicts it)."""
    return canon(cell) in _NO_NUMBER and any(parts)


def _drop_blank_total(state: _State, where: str, cells: dict[str, str], got: dict[str, int | float]) -> None:
    """Take a blank_total out of `got` (the values read from `cells`, by column; 总计 is "total"), with a warning."""
    parts = [value for column, value in got.items() if column != "total"]
    if "total" in got and blank_total(cells["total"], parts):
        del got["total"]
        state.warnings.append(f"{where} 总计 left blank, its columns sum to {sum(parts)}: no total read")


def _do_t4(state: _State, row: _Row) -> None:
    values, label = _t4_values(row)
    if not values:
        return
    n = len(values)
    if n not in (5, 10, 15):
        state.warnings.append(f"table 四: {n} values in {row.text[:60]!r}; row skipped")
        return
    if n == 15:
        blocks = list(_T4_BLOCKS)
    elif n == 10:
        context = _t4_context(label) or state.t4_context
        if "reconsideration" not in state.t4_filled and context not in (
                "litigation", "litigation_direct", "litigation_after_reconsideration"):
            state.warnings.append(f"table 四: 10 values, unclear which blocks, in {row.text[:60]!r}")
            return
        blocks = _T4_BLOCKS[1:]
    else:
        context = _t4_context(label) or state.t4_context
        allowed = {"litigation": _T4_BLOCKS[1:], None: _T4_BLOCKS}.get(context, [context])
        free = [b for b in allowed if b not in state.t4_filled] or \
            [b for b in _T4_BLOCKS if b not in state.t4_filled]
        if not free:
            state.warnings.append(f"table 四: more rows than blocks at {row.text[:60]!r}; row skipped")
            return
        blocks = free[:1]
    kinds_named = [k for k, _ in values[:5]]
    if all(kinds_named) and len(set(kinds_named)) == 5:
        order = kinds_named
    else:
        order = state.t4_order or _T4_KINDS
    for b_index, block in enumerate(blocks):
        state.t4_filled.add(block)
        cells = {kind: values[b_index * 5 + k_index][1] for k_index, kind in enumerate(order)}
        got = {}
        for kind, cell in cells.items():
            value = _value(state, row, cell, "四", f"{block}_{kind}")
            if value is not None:
                got[kind] = value
        _drop_blank_total(state, f"table 四: {block}", cells, got)
        for kind, value in got.items():
            state.emit(f"appeals.{block}_{kind}", "total", value, row)


def _t4_header(row: _Row) -> list[str] | None:
    if not row.piped or row.has_numbers() or any(_TRAILING_NUMBER_RE.match(canon(c)) for c in row.cells):
        return None
    kinds = [k for k in (_t4_kind(c) for c in row.cells) if k]
    first = kinds[:5]
    return first if len(set(first)) == 5 else None


def _lines(text: str):
    """(stripped line, offset, in a Markdown table without outer pipes) of each non-blank line."""
    raw_lines = text.split("\n")
    bare = bare_pipe_lines(raw_lines) if "|" in text else None
    pos = 0
    for i, raw in enumerate(raw_lines):
        stripped = raw.strip()
        if stripped:
            yield stripped, pos + (len(raw) - len(raw.lstrip())), bare is not None and bare[i]
        pos += len(raw) + 1


def table_facts(text: str) -> TableResult:
    """Facts of the standard tables 二, 三 and 四 found in normalised report text."""
    state = _State(text)
    for line, start, bare in _lines(ascii_twins(text)):
        c = canon(line)
        if c[:1] in _SKIPPED_FIRST and (_PAGE_FOOTER_RE.match(c) or _MD_RULE_RE.match(c) or c.startswith("[...")):
            continue
        if len(c) > 60 and "|" not in c and not c[-1].isdigit():
            state.pending.clear()  # prose: no row, no heading, no part of a wrapped label
            continue
        section = _section_of(line)
        if section is not None:
            state.section = None if section == "end" else section
            state.pending.clear()
            if section == "4":
                state.t4_context = None
            continue
        # every mark holds 数 or 金额 (tests/test_fast_paths.py): two substring tests clear most lines
        if ("数" in c or "金额" in c) and _ANY_MARK.search(c):
            for pattern, template, rank in _MARKS:
                if rank not in state.marks and pattern.search(c):
                    state.marks[rank] = template
        row = _parse_row(line, start, bare)
        if state.section == "4":
            _line_t4(state, row)
            continue
        if not row.has_numbers():
            _line_without_numbers(state, row)
            continue
        if (t2 := _t2_row(row)) is not None:
            _do_t2(state, *t2)
        elif (key := _t3_key(row, state.pending)) is not None:
            _do_t3(state, row, key)
        state.pending.clear()
    return TableResult(list(state.facts.values()), state.template(), state.warnings, state.issues)


def _line_without_numbers(state: _State, row: _Row) -> None:
    header = _t2_header(row)
    if header is not None:
        state.t2_cols = header
        state.pending.clear()
        return
    if (order := _t3_header(row)) is not None:
        state.t3_order = order
        state.pending.clear()
        return
    if state.t3_order and "organization" in state.t3_order and (kinds := _t3_organisations(row)):
        # the header's second line, its spans lost: "自然人 | 法人或其他组织 | 总计" over "商业企业 | … | 其他"
        at = state.t3_order.index("organization")
        state.t3_order = state.t3_order[:at] + kinds + state.t3_order[at + 1:]
        state.pending.clear()
        return
    if row.piped:
        # Pipe rows carry complete labels; a row of blanks/text only is a header or a spacer.
        state.pending.clear()
        if row.label_cells and row.values and (t2 := _t2_row(row)) is not None:
            _do_t2(state, *t2)  # a table 二 row whose cells are all blank (or text)
        elif row.label_cells and row.values and not any(canon(v) for v in row.values):
            if (key := _t3_key(row, [])) is not None:
                _do_t3(state, row, key)
        return
    if len(canon(row.text)) > 50:
        state.pending.clear()  # prose: not part of a wrapped table label
        return
    state.pending.append(row.text)
    del state.pending[:-6]


def _line_t4(state: _State, row: _Row) -> None:
    if row.piped and (order := _t4_header(row)) is not None:
        state.t4_order = order
        if (context := _t4_context(row.text)) is not None:
            state.t4_context = context
        return
    values, label = _t4_values(row)
    numeric = [v for _, v in values if _number(v) is not None]
    if not numeric:
        if (context := _t4_context(row.text)) is not None:
            state.t4_context = context
        return
    _do_t4(state, row)
