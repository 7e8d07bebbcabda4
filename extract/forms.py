"""The national report forms (forms.yaml) as typed records: rows, cells, applicant columns, identities.

Everything that needs to know what table 二, 三 or 四 holds reads it from here: the table parser, the
alignment of damaged layouts, the arithmetic checks, the evaluation and the quality suites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

FORMS = ("2021", "2019")


@dataclass(frozen=True, slots=True)
class Table3Row:
    key: str  # requests.<key>
    label: str  # the canonical label printed on the form
    patterns: tuple[re.Pattern[str], ...]
    exact: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table2Row:
    key: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    cells: dict[str, tuple[str | None, ...]]  # form → publications keys left to right (None: no metric)


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    says: str  # the identity in the form's own words
    lhs: tuple[str, ...] = ()
    rhs: tuple[str, ...] = ()
    per_applicant: bool = False
    per_row: bool = False


@dataclass(frozen=True, slots=True)
class Forms:
    applicants: tuple[str, ...]
    organisations: tuple[str, ...]
    table3: tuple[Table3Row, ...]
    outcomes: tuple[str, ...]
    other_outcomes: dict[str, tuple[str, ...]]
    table2: tuple[Table2Row, ...]
    table4_blocks: tuple[str, ...]
    table4_outcomes: tuple[str, ...]
    identities: tuple[Identity, ...]

    def table4_cells(self) -> list[str]:
        """The fifteen appeals keys of table 四, left to right."""
        return [f"{block}_{outcome}" for block in self.table4_blocks for outcome in self.table4_outcomes]

    def table3_keys(self, form: str | None = None) -> list[str]:
        return [r.key for r in self.table3 if form is None or form in r.forms]


@cache
def forms() -> Forms:
    data = yaml.safe_load(files("extract").joinpath("forms.yaml").read_text(encoding="utf-8"))
    t3 = tuple(
        Table3Row(
            key=r["key"], label=r["label"],
            patterns=tuple(re.compile(p) for p in r.get("patterns", [])),
            exact=tuple(r.get("exact", [])),
            forms=tuple(r.get("forms", FORMS)),
        )
        for r in data["table3"]["rows"]
    )
    t2 = tuple(
        Table2Row(
            key=r["key"], label=r["label"],
            patterns=tuple(re.compile(p) for p in r["patterns"]),
            cells={form: tuple(cells) for form, cells in r["cells"].items()},
        )
        for r in data["table2"]["rows"]
    )
    identities = tuple(
        Identity(name=i["name"], says=i.get("says", ""), lhs=tuple(i.get("lhs", [])), rhs=tuple(i.get("rhs", [])),
                 per_applicant=bool(i.get("per_applicant")), per_row=bool(i.get("per_row")))
        for i in data["identities"]
    )
    return Forms(
        applicants=tuple(data["applicants"]["order"]),
        organisations=tuple(data["applicants"]["organisations"]),
        table3=t3,
        outcomes=tuple(data["table3"]["outcomes"]),
        other_outcomes={k: tuple(v) for k, v in data["table3"]["other_outcomes"].items()},
        table2=t2,
        table4_blocks=tuple(data["table4"]["blocks"]),
        table4_outcomes=tuple(data["table4"]["outcomes"]),
        identities=identities,
    )


def coverage(label: str, printed: str) -> float:
    """How much of the printed label `printed` the label holds, in order (longest common subsequence over
    the printed label's length): robust to a dropped or mistyped character ("其他法律行政止公开") and to
    characters of a neighbouring vertical group label glued in ("理结2.其他…")."""
    if not label or not printed:
        return 0.0
    previous = [0] * (len(printed) + 1)
    for ch in label:
        current = [0]
        for j, pc in enumerate(printed):
            current.append(previous[j] + 1 if ch == pc else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / len(printed)
