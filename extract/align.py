"""Standard tables read by aligning a stream of labels and numbers onto the form (forms.yaml).

The line parser (tables.py) reads tables whose rows arrive as rows. Crawled and converted reports often
lose that shape: one cell per line with "|" fillers, cells glued with no separator ("640020470"),
irregular spaces ("20 0 0 0 02"), a whole report on one line, rows whose labels were lost. Here the
region of each table is cut into a sequence of items — label text, number runs, blank cells — and
walked against the form: a label names the next row (pattern or similarity, in form order), the
numbers after it are its cells, and a group of numbers with no label at all takes the next row of the
form. How many cells a row has is known from the form, so a run of digits splits with certainty only
when its tokens or its digits are exactly that many; any other split would be a guess, and a wrong
number is worse than a missing one: such a row gives no facts, only a warning that names the run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from extract import checks, tables
from extract.forms import Table2Row, Table3Row, coverage, forms
from extract.record import Fact

_NUM_RUN_PLAIN = r"[-+]?\d[\d ,]*(?:\.\d+)?"  # a sign: 本年增/减 "+88", "-3"
# _NUM_RUN_PLAIN opening with a class: "-" or a digit, then a digit after a "-" (the same matches). A
# pattern opening with an optional "-" has nothing the engine can scan for and is tried at every
# position; one opening with a class is scanned for it.
_NUM_RUN = re.compile(r"[\d+-](?:(?<=[-+])\d|(?<![-+]))[\d ,]*(?:\.\d+)?")
# A digit and "." or "、" before a CJK character starts an enumerated label ("2.其他法律…"): when it is
# glued to the numbers before it ("00000002.其他…") it is the label's, not the run's.
_ENUMERATOR = re.compile(r"(\d)[.、](?=[\u3400-\u9fff\"“(])")
_UNIT = re.compile(r"^([-+]?[\d.,]+)\s*(万元|千元|元|件|条|个|项|次)?$")
_NOTE = re.compile(r"^([-+]?[\d.,]+)\s*(?:件|条|个)?\s*\((.*)\)$")
_NUMBER_START = frozenset("-+.,0123456789")  # the first character of every _UNIT or _NOTE match
_DATE_AFTER = re.compile(r"\s*(?:年|月|日)")
_SIMILAR = 0.72


@dataclass(slots=True)
class Item:
    kind: str  # "label" | "num" | "blank"
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Aligned:
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    positional: set[str] = field(default_factory=set)  # metrics of rows placed by position alone


# ---------------------------------------------------------------------------------------------- items

def _split_text(text: str, start: int) -> list[Item]:
    """A text cell → label and number items, peeling an enumerator glued to the numbers before it."""
    items: list[Item] = []
    pos = 0
    for m in _NUM_RUN.finditer(text):
        a, b = m.start(), m.end()
        run = m.group()
        after = text[b:b + 2]
        if after[:1] in (".", "、") and len(after) > 1 and re.match(r"[\u3400-\u9fff\"“(]", after[1:]):
            # the run's last one or two digits are the label's enumerator
            enum = _ENUMERATOR.search(text, max(a, b - 2), b + 2)
            if enum is None or enum.start() < a:
                continue
            b = enum.start()
            run = text[a:b]
        if not run.strip() or not any(ch.isdigit() for ch in run):
            continue
        if a > 0 and text[a - 1] in "第(":  # "第2项", "(1)": part of a label
            continue
        if _DATE_AFTER.match(text, b) and re.fullmatch(r"\s*\d{1,4}\s*", run):
            continue  # "2025年", "12月": a date in the text after the table, not a cell
        if text.startswith("年", b) and re.fullmatch(r"\d{5,}", run) and re.fullmatch(r"(?:19|20)\d\d", run[-4:]):
            # "行政事业性收费02025年,我局…": the last cell, then the year opening the paragraph glued to it
            b -= 4
            run = run[:-4]
        if a > pos:
            items.append(Item("label", text[pos:a], start + pos, start + a))
        items.append(Item("num", run.strip(), start + a, start + b))
        pos = b
    if pos < len(text):
        items.append(Item("label", text[pos:], start + pos, start + len(text)))
    return [i for i in items if i.kind != "label" or tables.canon(i.text)]


def _cell_item(cell: str, start: int) -> list[Item]:
    t = cell.strip()
    if not t:
        return [Item("blank", "", start, start)]
    if t in tables.ZERO_MARKS:
        return [Item("num", "0", start, start + len(cell))]
    if t.isdigit() and t.isascii():  # most cells: one number (the _UNIT case below, without its regex)
        return [Item("num", t, start, start + len(cell))]
    if t[0] in _NUMBER_START and (_UNIT.match(t.replace(" ", "")) or _NOTE.match(t)):
        return [Item("num", t, start, start + len(cell))]
    return _split_text(cell, start)


@lru_cache(maxsize=4)  # one text is read for tables 二, 三 and 四 in turn: computed once per document
def _bare_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where the text's Markdown tables written without outer pipes are (tables.bare_pipe_lines): read over
    the whole text, since a table's delimiter row may lie above the region a table is read from."""
    spans: list[tuple[int, int]] = []
    pos = 0
    lines = text.split("\n")
    for line, bare in zip(lines, tables.bare_pipe_lines(lines), strict=True):
        if bare:
            if spans and spans[-1][1] == pos:
                spans[-1] = (spans[-1][0], pos + len(line) + 1)
            else:
                spans.append((pos, pos + len(line) + 1))
        pos += len(line) + 1
    return tuple(spans)


def _lines(text: str, region: tuple[int, int]) -> list[tuple[str, int, bool]]:
    """The region's lines with their offsets in the text and whether they belong to a Markdown table
    written without outer pipes."""
    spans = _bare_spans(text) if "|" in text else ()
    out: list[tuple[str, int, bool]] = []
    at = region[0]
    for line in text[region[0]:region[1]].split("\n"):
        out.append((line, at, any(start <= at < end for start, end in spans)))
        at += len(line) + 1
    return out


def _drop_padding(rows: list[list[tuple[str, int]] | None]) -> None:
    """Among consecutive grid rows of one width, a column blank in every row is padding (an empty
    column a converter inserted), not a column of the form: removed in place."""
    i = 0
    while i < len(rows):
        width = len(rows[i]) if rows[i] is not None else 0
        j = i
        while j < len(rows) and rows[j] is not None and len(rows[j]) == width and width > 2:
            j += 1
        if j - i >= 2:
            blank = [c for c in range(width) if all(not rows[k][c][0].strip() for k in range(i, j))]
            if blank and len(blank) < width:
                for k in range(i, j):
                    rows[k] = [cell for c, cell in enumerate(rows[k]) if c not in blank]
        i = max(j, i + 1)
    # a row of figures under a header row of its width: a column blank in both is padding too
    for k in range(1, len(rows)):
        row, above = rows[k], rows[k - 1]
        if row is None or above is None or len(row) != len(above) or len(row) <= 2:
            continue
        if not any(_NUM_RUN.fullmatch(c.strip()) for c, _ in row):
            continue
        blank = {c for c in range(len(row)) if not row[c][0].strip() and not above[c][0].strip()}
        if blank and len(blank) < len(row):
            rows[k] = [cell for c, cell in enumerate(row) if c not in blank]


def items_of(text: str, region: tuple[int, int]) -> tuple[list[Item], bool]:
    """The region's items and whether it is a grid of cells ("|" present): there an empty cell is a
    blank cell, elsewhere blanks leave no trace."""
    piped = "|" in text[region[0]:region[1]]
    lines = _lines(text, region)
    grid: list[list[tuple[str, int]] | None] = [
        tables.pipe_cells(line, base, bare) if "|" in line and line.strip().strip("|") else None
        for line, base, bare in lines
    ]
    _drop_padding(grid)
    items: list[Item] = []
    for (line, base, _), cells in zip(lines, grid, strict=True):
        if not line.strip():
            continue
        if "|" not in line:
            items += _split_text(line, base)
            continue
        if cells is None:
            if line.count("|") > 1:
                items.append(Item("break", "", base, base))  # "||": the end of a row, not two blank cells
            else:
                items.append(Item("blank", "", base, base))  # "|": one blank cell on its own line
            continue
        for cell, at in cells:
            items += _cell_item(cell, at)
        if len(cells) > 2:
            items.append(Item("break", "", base + len(line), base + len(line)))  # a whole row on one line
    return items, piped


# ---------------------------------------------------------------------------------------------- cells

@lru_cache(maxsize=4096)
def _value(token: str) -> tuple[float | int | None, float]:
    """A number and the factor its unit asks to reach 万元 (元 → 1e-4); notes in brackets dropped."""
    t = token.replace(" ", "").replace(",", "")
    if m := _NOTE.match(t):
        t = m.group(1)
    factor = 1.0
    if m := _UNIT.match(t):
        t, unit = m.group(1), m.group(2)
        factor = {"元": 1e-4, "千元": 0.1}.get(unit or "", 1.0)
    if re.fullmatch(r"[-+]?0\d+", t):
        return None, 1.0  # "02025": no figure is printed with a leading zero; digits of several cells
    try:
        value = float(t)
    except ValueError:
        return None, 1.0
    if abs(value) > 1e15:
        return None, 1.0
    return (int(value) if value.is_integer() and "." not in t else value), factor


def split_cells(runs: list[str], n: int, piped: bool) -> tuple[list[str], str] | None:
    """The n cell texts of a row from its number runs and how they were split ("cells", "tokens" or
    "digits"), or None when only a guess could split them.

    Separate runs are separate cells (in a grid, a blank is a cell). One run splits on its spaces when
    it holds exactly n tokens, or digit by digit when it holds exactly n digits and no decimal point —
    a split the caller must still confirm by arithmetic where the form has an identity for the row,
    since a text layer that dropped a blank cell can leave n digits that are not n cells.
    """
    if len(runs) == n:
        return runs, "cells"
    if piped and len(runs) > n and all(not r for r in runs[n:]):
        return runs[:n], "cells"  # trailing filler cells
    if len(runs) == 1 and runs[0]:
        tokens = runs[0].split()
        if len(tokens) == n:
            return tokens, "tokens"
        digits = re.sub(r"\s", "", runs[0])
        if len(digits) == n and digits.isdigit():
            return list(digits), "digits"
    return None


_AGREEING_READINGS = 64  # the most readings of a glued row whose common cells are still read
_GLUED_BUDGET = 20000  # steps of the search below: a hostile run of digits cannot make it slow
_GLUED_MAX_DIGITS = 7  # a cell of a standard table holds at most a few million


def glued_readings(digits: str, n: int, block: int, limit: int = 2) -> list[tuple[int, ...]]:
    """The readings of a run of digits whose cells were glued together ("280000028") as n numbers without
    leading zeros, every block of `block` cells ending with the sum of the others (a row of table 三: six
    applicant columns and their total; table 四: three blocks of four outcomes and their total). Up to
    `limit` readings (one is a certain split); empty when none holds or the search would take too long."""
    found: list[tuple[int, ...]] = []
    steps = 0

    def walk(pos: int, cells: list[int]) -> bool:
        nonlocal steps
        steps += 1
        if steps > _GLUED_BUDGET:
            return False
        left = n - len(cells)
        if left == 0:
            if pos == len(digits):
                found.append(tuple(cells))
            return len(found) < limit
        if len(digits) - pos < left:
            return True
        if len(cells) % block == block - 1:  # the block's total: fixed by the cells before it
            total = str(sum(cells[-(block - 1):]))
            return not digits.startswith(total, pos) or walk(pos + len(total), [*cells, int(total)])
        longest = 1 if digits[pos] == "0" else min(_GLUED_MAX_DIGITS, len(digits) - pos - (left - 1))
        for width in range(1, longest + 1):
            if not walk(pos + width, [*cells, int(digits[pos:pos + width])]):
                return False
        return True

    if not digits.isdigit():
        return []
    walk(0, [])
    return [] if steps > _GLUED_BUDGET else found


def _glued(run: str) -> bool:
    """A run of digits whose cells were glued: no space, or one ("640020 470"), or spaces that cannot be the
    cells' bounds, a number with a leading zero among them ("23 0 00 0 023"). Numbers spaced apart as cells
    are ("139 3 14 7 11 174") are a row that lost its blank cells, which no split can place."""
    tokens = run.split()
    return "".join(tokens).isdigit() and (len(tokens) <= 2 or any(len(t) > 1 and t[0] == "0" for t in tokens))


def _sums_hold(values: list[float | int], block: int) -> bool:
    """Every block of `block` cells ends with the sum of the others (a row of table 三, a block of 四)."""
    return all(abs(sum(values[i:i + block - 1]) - values[i + block - 1]) < 1e-9
               for i in range(0, len(values), block))


# ---------------------------------------------------------------------------------------------- rows

_ENUM_PUNCT = re.compile(r"[\d.、:,;\s]")


@lru_cache(maxsize=8)
def _exact_ends() -> tuple[re.Pattern[str] | None, ...]:
    """Per table 三 row: a label that ENDS with one of the row's exact words after an enumerator."""
    return tuple(re.compile(rf"(?:^|[)、.\d:])(?:{'|'.join(map(re.escape, row.exact))})$") if row.exact else None
                 for row in forms().table3)


@lru_cache(maxsize=8)
def _printed_labels() -> tuple[tuple[str, Counter[str]], ...]:
    """Per table 三 row: its own printed words (last part of its label, no enumeration) and their counts."""
    out = []
    for row in forms().table3:
        printed = _ENUM_PUNCT.sub("", tables.core(row.label.split(" ")[-1]))
        out.append((printed, Counter(printed)))
    return tuple(out)


def _begins_label(label: str, index: int) -> bool:
    """The label is the start of row `index`'s printed label, cut where a page break or a wrap cut it
    ("4.无正当理" | "由大量反复申请"): three characters or more of it, the row being the form's next."""
    bare = _ENUM_PUNCT.sub("", tables.core(label))
    return len(bare) >= 3 and _printed_labels()[index][0].startswith(bare)


@lru_cache(maxsize=16384)
def _t3_row(label: str, after: int, similar: bool = True) -> Table3Row | None:
    """The table 三 row a label names: the pattern found furthest into the label (a wrapped label ends
    with its own row's words); else the most similar printed label. Cached: reports reuse the form's
    labels, so most labels are seen before."""
    whole = tables.canon(label)
    t = tables._strip_parens(whole)  # noqa: SLF001 — one canonical form for both readers
    c = tables.core(label)
    rows = forms().table3
    best: tuple[int, int, Table3Row] | None = None
    for index, (row, ends) in enumerate(zip(rows, _exact_ends(), strict=True)):
        if c in row.exact or (ends is not None and ends.search(whole)):
            hit = (len(t) + 1, index, row)  # the label ends with the row's own words
        else:
            positions = [m.end() for p in row.patterns if (m := p.search(t))]
            if not positions:
                continue
            hit = (max(positions), index, row)
        if best is None or hit[:2] > best[:2]:
            best = hit
    if best is not None or not similar:
        return best[2] if best else None
    # no pattern: the printed label the text covers best, in order, if clearly one (exact-only rows such
    # as 其他 or 总计 are too short to tell by resemblance)
    bare = _ENUM_PUNCT.sub("", c)
    if not bare or len(bare) > 80:
        return None  # prose, not a row label
    counts = Counter(bare)
    scored = []
    for index, (row, (printed, wanted)) in enumerate(zip(rows, _printed_labels(), strict=True)):
        if index < after or row.exact:
            continue
        # the shared characters bound the in-order match from above: skip the exact measure when even
        # that bound is too low
        if sum((counts & wanted).values()) < _SIMILAR * len(printed):
            scored.append((0.0, index, row))
            continue
        scored.append((coverage(bare, printed), index, row))
    scored.sort(key=lambda s: -s[0])
    if scored and scored[0][0] >= _SIMILAR and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.2):
        return scored[0][2]
    return None


def _t2_row(label: str) -> Table2Row | None:
    c = tables.core(label)
    for row in forms().table2:
        for pattern in row.patterns:
            bare = pattern.pattern.strip("^$")
            if re.search(f"(?:{bare})$", c):
                return row
    return None


# ---------------------------------------------------------------------------------------------- tables

def _groups(items: list[Item]) -> list[tuple[list[str], list[Item]]]:
    """(label pieces, value items) in order: the label text gathered since the last values."""
    out: list[tuple[list[str], list[Item]]] = []
    label: list[str] = []
    values: list[Item] = []
    for item in items:
        if item.kind == "break":
            if values:
                out.append((label, values))
                label, values = [], []
        elif item.kind == "label":
            if values:
                out.append((label, values))
                label, values = [], []
            label.append(item.text)
        else:
            values.append(item)
    if values or label:
        out.append((label, values))  # a last label without numbers: a text layer may print them before it
    return out


def _row_groups(text: str, region: tuple[int, int]) -> list[tuple[list[str], list[Item]]]:
    """(label cells, value cells) of each whole pipe row, its label being only its own cells: the reading
    for a grid whose label cells a converter tore out into text lines between pieces of the table (PDF to
    Markdown). Those lines are left out; a row they named takes its place in the form by position."""
    out: list[tuple[list[str], list[Item]]] = []
    for line, base, bare in _lines(text, region):
        if line.count("|") < 2 or len(cells := tables.pipe_cells(line, base, bare)) < 3:
            continue
        items = [item for cell, at in cells for item in _cell_item(cell, at)]
        # label cells, after the blank cells a spanned label leaves, then the value cells (blank ones too);
        # a row without a label cell is values only, blank first cells included
        k = 0
        if any(item.kind == "label" for item in items):
            while k < len(items) and items[k].kind == "blank":
                k += 1
            while k < len(items) and items[k].kind == "label":
                k += 1
        values = items[k:]
        if values and all(item.kind != "label" for item in values):
            out.append(([item.text for item in items[:k] if item.kind == "label"], values))
    return out


def _evidence(text: str, items: list[Item]) -> tuple[str, int, int]:
    start, end = items[0].start, max(i.end for i in items)
    return text[start:end], start, end


def _numbers_first(groups: list[tuple[list[str], list[Item]]]) -> list[tuple[list[str], list[Item]]]:
    """The same items paired the other way: each group of numbers with the label that FOLLOWS it (text
    layers of some PDFs print a row's numbers before its label)."""
    out: list[tuple[list[str], list[Item]]] = []
    for i, (_, values) in enumerate(groups):
        label = groups[i + 1][0] if i + 1 < len(groups) else []
        out.append((label, values))
    return out


def _read_table3(text: str, groups: list[tuple[list[str], list[Item]]], piped: bool, template: str | None,
                 unnamed_by_position: bool = False) -> Aligned:
    """Table 三 from (label, values) groups. A row without a label takes the form's next row (of the
    report's form, when known); with `unnamed_by_position`, so does a row whose label names no row of the
    form (a fragment of a torn label)."""
    form = forms()
    n = len(form.applicants)
    rows = form.table3
    # the rows a row placed by position can take: a form's own rows are not the other form's
    placeable = [template is None or template in row.forms for row in rows]
    row_index = {row.key: i for i, row in enumerate(rows)}
    out = Aligned()
    last = -1
    seen: set[str] = set()
    for parts, values in groups:
        label = "".join(parts)
        while piped and len(values) > n and len(values) % n and values[0].kind == "blank":
            values = values[1:]  # the empty label cells of a row whose label was lost
        # in a grid, a group holds several rows' cells when labels were lost: cut it every n cells
        chunks = [values[i:i + n] for i in range(0, len(values), n)] if piped else [values]
        for k, chunk in enumerate(chunks):
            runs = [v.text for v in chunk]
            named = None
            if k == 0 and tables.canon(label):
                # a grid repeats group labels in spanned cells: the last cell names the row
                named = (_t3_row(parts[-1], last + 1, similar=False) if piped and len(parts) > 1 else None) \
                    or _t3_row(label, last + 1, similar=False) \
                    or (_t3_row(parts[-1], last + 1) if piped and len(parts) > 1 else None) \
                    or _t3_row(label, last + 1)
            positional = False
            if named is None:
                nxt = next((i for i in range(last + 1, len(rows)) if placeable[i]), None)
                if tables.canon(label) and k == 0 and not unnamed_by_position and not (
                        nxt is not None and _begins_label(label, nxt)):
                    continue  # a header or a group label with numbers in it: not a row
                # blank cells are filler, except a whole row of them in a grid read row by row (zeros)
                if nxt is None or not (any(runs) or (unnamed_by_position and len(runs) == n)):
                    continue
                named = rows[nxt]
                positional = True
            index = row_index[named.key]
            split = split_cells(runs, n, piped)
            numbers = [(_value(c)[0] if c else 0) for c in split[0]] if split else []
            if split and split[1] == "digits" and not _sums_hold([x or 0 for x in numbers], n):
                split = None  # n digits, but not n cells: the applicant columns would not add up
            if split is None and len(runs) == 1 and _glued(runs[0]):
                # cells glued with no separator ("280000028"): certain when one reading adds up; of several
                # ("110000011": 11|0|…|11 or 1|10|0|…|11), the cells every reading agrees on (总计 11 here)
                readings = glued_readings(re.sub(r"\s", "", runs[0]), n, n, limit=_AGREEING_READINGS)
                if 0 < len(readings) < _AGREEING_READINGS:
                    numbers = [r[0] if len(set(r)) == 1 else None for r in zip(*readings, strict=True)]
                    if any(x is not None for x in numbers):
                        split = [str(x) if x is not None else "" for x in numbers], "glued"
            agreed_only = split is not None and split[1] == "glued" and None in numbers
            if agreed_only:
                out.warnings.append(f"table 三: the cells {' | '.join(runs)!r} of {named.key} split several ways "
                                    f"that add up; only the cells all of them agree on are read")
            if split is None or (None in numbers and not agreed_only):
                if any(runs):
                    out.warnings.append(f"table 三: the cells {' | '.join(runs)!r} of {named.key} cannot be "
                                        f"split into {n} columns with certainty; row not read")
                    last = max(last, index)
                # a label with no figure at all (the header's "其他" column) tells nothing of the place in the form
                continue
            if named.key in seen:
                continue
            seen.add(named.key)
            last = max(last, index)
            evidence, start, end = _evidence(text, chunk)
            for applicant, value, cell in zip(form.applicants, numbers, split[0], strict=True):
                if value is None:
                    continue  # a glued cell the readings disagree on
                if applicant == "total" and tables.blank_total(cell, numbers[:-1]):
                    continue  # 总计 not filled in: no total, as the line parser reads it
                out.facts.append(Fact(f"requests.{named.key}", value, applicant, "table", evidence, start, end))
            if positional:
                out.positional.add(f"requests.{named.key}")
    return out


def align_table3(text: str, region: tuple[int, int], template: str | None, out: Aligned) -> None:
    """Table 三 read with labels before their numbers and, in a text layer, after them, and in a grid with
    each row's own label cells alone; the reading the arithmetic favours wins (a tie keeps labels first)."""
    items, piped = items_of(text, region)
    groups = _groups(items)
    best = _read_table3(text, groups, piped, template)
    if not piped and len(groups) > 1:
        other = _read_table3(text, _numbers_first(groups), piped, template)
        if _better(other.facts, best.facts):
            best = other
    if piped:
        rows = _row_groups(text, region)
        other = _read_table3(text, rows, piped, template, unnamed_by_position=True)
        if _better(other.facts, best.facts):
            best = other
    out.facts += best.facts
    out.warnings += best.warnings
    out.positional |= best.positional


def align_table2(text: str, region: tuple[int, int], template: str, out: Aligned) -> None:
    items, piped = items_of(text, region)
    region_text = tables.canon(text[region[0]:region[1]])
    yuan = bool(re.search(r"单位:元|\(元\)", region_text))
    for parts, values in _groups(items):
        row = _t2_row("".join(parts))
        if row is None or not values:
            continue
        keys = row.cells.get(template) or next(iter(row.cells.values()))
        runs = [v.text for v in values]
        split = split_cells(runs, len(keys), piped)
        cells = split[0] if split else None
        if cells is None:
            out.warnings.append(f"table 二: the cells {' | '.join(runs)!r} of {row.label} cannot be split into "
                                f"{len(keys)} columns with certainty; row not read")
            continue
        evidence, start, end = _evidence(text, values[:len(keys)])
        for key, cell in zip(keys, cells, strict=True):
            if key is None:
                continue
            value, factor = _value(cell) if cell else (0, 1.0)
            if value is None:
                continue
            if key.endswith("_wan_yuan"):
                if factor == 1.0 and yuan:
                    factor = 1e-4
                value = round(value * factor, 6)
            out.facts.append(Fact(f"publications.{key}", value, "total", "table", evidence, start, end))


def align_table4(text: str, region: tuple[int, int], out: Aligned) -> None:
    keys = forms().table4_cells()
    items, piped = items_of(text, region)
    values = [i for i in items if i.kind in ("num", "blank")]
    while piped and len(values) > len(keys) and values[0].kind == "blank":
        values = values[1:]  # empty label cells before the numbers
    runs = [v.text for v in values]
    split = split_cells(runs, len(keys), piped)
    if split is None and not piped and runs:
        split = split_cells([" ".join(runs)], len(keys), piped)
    if split is not None and split[1] == "digits" and not _sums_hold([int(d) for d in split[0]], 5):
        split = None  # fifteen digits, but the blocks would not add up: not fifteen cells
    if split is None and len(runs) == 1 and _glued(runs[0]):
        readings = glued_readings(re.sub(r"\s", "", runs[0]), len(keys), 5)
        # a number ending in 0 ("10") may as well be a number and a zero cell: table 四's figures are small,
        # and a table of more cells than the form's ("10000100000000000", 17 digits) would read as tens
        if len(readings) == 1 and not any(x >= 10 and x % 10 == 0 for x in readings[0]):
            split = [str(x) for x in readings[0]], "glued"
    cells = split[0] if split else None
    if cells is None:
        if any(runs):
            out.warnings.append(f"table 四: the cells {' '.join(runs)!r} cannot be split into {len(keys)} columns "
                                f"with certainty; table not read")
        return
    evidence, start, end = _evidence(text, values)
    for key, cell in zip(keys, cells, strict=True):
        value, _ = _value(cell) if cell else (0, 1.0)
        if value is not None:
            out.facts.append(Fact(f"appeals.{key}", value, "total", "table", evidence, start, end))


# ---------------------------------------------------------------------------------------------- regions

_T3_START = re.compile(r"申请人情况|(?:一、?)?本年新收政府信息公开申请数量")
_T3_END = re.compile(r"行政复议")
_T2_START = re.compile(r"第二十条第\s*\(一\)\s*项|第二十条第")
_NEXT_PART = re.compile(r"\n\s*(?:三、|四、|五、)")
_T4_END = re.compile(r"[五六]、|存在的?主要问题|其他需要报告")


def regions(text: str) -> dict[str, tuple[int, int]]:
    """Where tables 二, 三 and 四 are in the (full-width-mapped) text."""
    found: dict[str, tuple[int, int]] = {}
    m3 = _T3_START.search(text)
    if m3 is None:
        # table 二 alone (a copy that ends before table 三): up to the next part's heading or the end
        if (m2 := _T2_START.search(text)) is not None:
            end = _NEXT_PART.search(text, m2.end())
            found["2"] = (m2.start(), end.start() if end else len(text))
        return found
    t3_start = m3.start()
    e3 = _T3_END.search(text, t3_start)
    t3_end = e3.start() if e3 else len(text)
    found["3"] = (t3_start, t3_end)
    if e3 is not None:
        e4 = _T4_END.search(text, e3.end())
        t4_end = min(e4.start() if e4 else len(text), e3.start() + 3000)
        found["4"] = (e3.start(), t4_end)
    m2 = None
    for m in _T2_START.finditer(text, 0, t3_start):
        m2 = m
        break
    if m2 is not None:
        head = text.rfind("收到和处理政府信息公开申请", m2.start(), t3_start)
        found["2"] = (m2.start(), head if head > 0 else t3_start)
    return found


def align(text: str, template: str | None, tables_wanted: frozenset[str] = frozenset("234")) -> Aligned:
    """Facts of tables 二, 三 and 四 (those in `tables_wanted`) read by alignment; `template` picks table
    二's columns."""
    mapped = tables.ascii_twins(text)  # one character for one: offsets kept
    out = Aligned()
    where = regions(mapped)
    if "2" in where and "2" in tables_wanted:
        align_table2(mapped, where["2"], template or tables.marked_template(mapped[slice(*where["2"])]) or "2021", out)
    if "3" in where and "3" in tables_wanted:
        align_table3(mapped, where["3"], template, out)
    if "4" in where and "4" in tables_wanted:
        align_table4(mapped, where["4"], out)
    if mapped is not text:  # evidence is cut from the text as given
        out.facts = [_with_original_evidence(text, f) for f in out.facts]
    return out


def _with_original_evidence(text: str, fact: Fact) -> Fact:
    return Fact(fact.metric, fact.value, fact.applicant, fact.method, text[fact.start:fact.end], fact.start,
                fact.end)


# ---------------------------------------------------------------------------------------------- choice

def unfinished(line_facts: list[Fact]) -> frozenset[str]:
    """The tables the line parser did not read whole: every cell of the form, its identities holding.
    Only those are read a second time (most reports' tables arrive as clean rows)."""
    form = forms()
    out: set[str] = set()
    by_group = _by_group(line_facts)
    request_facts = by_group.get("requests", [])
    requests = {(f.metric, f.applicant) for f in request_facts}
    rows = {m.split(".", 1)[1] for m, _ in requests}
    other = form.other_outcomes["2019"] if "other_total" in rows else form.other_outcomes["2021"]
    wanted = {*form.outcomes, *other, "new_received", "carried_over", "closed_total", "carried_forward"}
    complete3 = wanted <= rows and len(requests) == len(rows) * len(form.applicants)
    tested = checks.tested_identities(request_facts) if complete3 else []
    if not complete3 or not tested or not all(t.ok for _, t in tested):
        out.add("3")
    if len(by_group.get("appeals", [])) < len(form.table4_cells()):
        out.add("4")
    if len(by_group.get("publications", [])) < 10:
        out.add("2")
    return frozenset(out)


def _better(candidate: list[Fact], incumbent: list[Fact]) -> bool:
    """The candidate replaces the incumbent only when it confirms at least as many identities with figures
    that are not all zero and breaks fewer, or as many and confirms more (a report may break one of its
    own identities whichever way it is read; rows of zeros confirm nothing)."""
    cand_failed, cand_held = checks.evidence(candidate)
    inc_failed, inc_held = checks.evidence(incumbent)
    return bool(candidate) and (cand_failed, -cand_held) < (inc_failed, -inc_held) and cand_held >= inc_held


def _verified_positional(aligned: Aligned, facts: list[Fact]) -> list[Fact]:
    """Rows placed by position alone stay only when an identity that involves them holds and none fails."""
    if not aligned.positional:
        return facts
    _, confidence = checks.run_checks(facts)
    keep_metric = {
        m for m in aligned.positional
        if all(confidence.get(("table", f.metric, f.applicant)) == "verified" for f in facts if f.metric == m)
    }
    return [f for f in facts if f.metric not in aligned.positional or f.metric in keep_metric]


def _by_group(facts: list[Fact]) -> dict[str, list[Fact]]:
    """Facts by their metric's group ("requests" of "requests.granted"), in order."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        group = f.metric.partition(".")[0]
        if (members := out.get(group)) is None:  # not setdefault: it would make a list per fact
            out[group] = members = []
        members.append(f)
    return out


def choose(line_facts: list[Fact], aligned: Aligned) -> tuple[list[Fact], list[str]]:
    """Per table, the reading the arithmetic favours: the line parser's, the alignment's, or both when
    they agree on every cell they share. Returns the facts and the warnings of the readings used."""
    out: list[Fact] = []
    warnings: list[str] = []
    line_by = _by_group(line_facts)
    aligned_by = _by_group(_verified_positional(aligned, aligned.facts)) if aligned.facts else {}
    for group, table in (("publications", "二"), ("requests", "三"), ("appeals", "四")):
        a = line_by.get(group, [])
        b = aligned_by.get(group, [])
        b_warnings = [w for w in aligned.warnings if w.startswith(f"table {table}")]
        if not b:
            out += a
            if not a:
                warnings += b_warnings
            continue
        if not a:
            out += b
            warnings += b_warnings
            continue
        a_values = {(f.metric, f.applicant): f.value for f in a}
        if all(a_values.get((f.metric, f.applicant), f.value) == f.value for f in b):
            # both readings saw the same printed figures: each adds the cells only it could read
            out += a + [f for f in b if (f.metric, f.applicant) not in a_values]
            continue
        out += b if _better(b, a) else a
    return out, warnings
