"""Evaluation of the extractor against hand-checked gold files (`ogi eval CORPUS_DIR GOLD_DIR`).

Every file under CORPUS_DIR (recursively) that has GOLD_DIR/<file name>.json is extracted and scored.

Definitions (a fact's key is "group.metric" for applicant total, else "group.metric@applicant"):
- gold facts: the gold's "facts". They belong to the TABLE side when the gold names a standard-table
  template ("2021" or "2019"), else to the TEXT side. The gold's "text_facts" (figures the prose of a
  table report states) belong to the TEXT side.
- a predicted fact is correct when its value equals the gold value of its key in "facts" or
  "text_facts", or when it is 0 and the key is in "optional_zero" (a blank table cell). Anything else
  — a wrong value, or a key the gold does not have — is a false positive.
- precision of a side = correct predicted facts of that method ("table" / "text") / predicted facts
  of that method.
- recall of a side = gold facts of that side found with the right value by ANY method / gold facts of
  that side. optional_zero keys are not gold facts: absent is fine, 0 is correct.
- kind / agency / year: exact equality with the gold's value (null included), per document.
- "glued_cells_not_scored": cells a gold leaves out of the score because only arithmetic splits their
  glued digits, with their values for reference. A fact of such a key is neither rewarded nor penalised;
  one that disagrees with the reference is listed ("unscored"), so a wrong split still shows.
Values are equal when they differ by less than 1e-6.

The source passed to the extractor is the document's original address when the gold's "source" names
one (the first http(s) URL in it), as the fetcher passes it in production; else the file path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from extract.checks import failed_summary
from extract.extractor import extract_bytes
from extract.record import Extraction, Fact

_TABLE_TEMPLATES = ("2021", "2019")


@dataclass(slots=True)
class SideScore:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    recalled: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.gold if self.gold else None

    def add(self, other: SideScore) -> None:
        self.predicted += other.predicted
        self.correct += other.correct
        self.gold += other.gold
        self.recalled += other.recalled


@dataclass(slots=True)
class DocScore:
    name: str
    table: SideScore
    text: SideScore
    kind_ok: bool
    agency_ok: bool
    year_ok: bool
    false_positives: list[str] = field(default_factory=list)  # "key=value (method) gold=…"
    missed: list[str] = field(default_factory=list)  # "key=value"
    meta_errors: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    checks_held: int = 0
    failed_checks: list[str] = field(default_factory=list)  # the report's identities that did not add up
    unread: list[str] = field(default_factory=list)  # warnings naming cells left unread as uncertain
    unscored: int = 0  # facts of cells the gold does not score (glued_cells_not_scored)
    unscored_disagreeing: list[str] = field(default_factory=list)  # of those, values unlike the reference
    verified: int = 0  # facts an identity confirms


@dataclass(slots=True)
class EvalReport:
    docs: list[DocScore] = field(default_factory=list)
    without_gold: list[str] = field(default_factory=list)

    def total(self, side: str) -> SideScore:
        out = SideScore()
        for d in self.docs:
            out.add(getattr(d, side))
        return out

    def accuracy(self, what: str) -> float | None:
        if not self.docs:
            return None
        return sum(getattr(d, f"{what}_ok") for d in self.docs) / len(self.docs)


def fact_key(f: Fact) -> str:
    return f.metric if f.applicant == "total" else f"{f.metric}@{f.applicant}"


def _equal(a: float | int | None, b: float | int | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6


def score(extraction: Extraction, gold: dict, name: str = "") -> DocScore:
    facts: dict[str, float | int] = gold.get("facts") or {}
    text_gold: dict[str, float | int] = gold.get("text_facts") or {}
    optional_zero = set(gold.get("optional_zero") or [])
    not_scored: dict[str, float | int] = gold.get("glued_cells_not_scored") or {}
    gold_side = "table" if str(gold.get("template")) in _TABLE_TEMPLATES else "text"
    sides = {"table": SideScore(), "text": SideScore()}
    doc = extraction.document
    result = DocScore(
        name=name or extraction.source,
        table=sides["table"],
        text=sides["text"],
        kind_ok=doc.kind == gold.get("kind"),
        agency_ok=doc.agency == gold.get("agency"),
        year_ok=doc.year == gold.get("year"),
        issues=[i.code for i in extraction.issues],
        checks_held=sum(c.ok for c in extraction.checks),
        failed_checks=[failed_summary(c) for c in extraction.checks if not c.ok],
        unread=[w for w in extraction.warnings if "cannot be split" in w],
        verified=sum(f.confidence == "verified" for f in extraction.facts),
    )
    for what in ("kind", "agency", "year"):
        if not getattr(result, f"{what}_ok"):
            result.meta_errors.append(f"{what}: got {getattr(doc, what)!r}, gold {gold.get(what)!r}")

    found: dict[str, list[float | int]] = {}
    for f in extraction.facts:
        key = fact_key(f)
        found.setdefault(key, []).append(f.value)
        if key in not_scored and key not in facts and key not in text_gold:
            result.unscored += 1
            if not _equal(f.value, not_scored[key]):
                result.unscored_disagreeing.append(f"{key}={f.value} ({f.method}) reference={not_scored[key]}")
            continue
        side = sides["table" if f.method == "table" else "text"]
        side.predicted += 1
        ok = (
            _equal(f.value, facts.get(key))
            or _equal(f.value, text_gold.get(key))
            or (key in optional_zero and _equal(f.value, 0))
        )
        if ok:
            side.correct += 1
        else:
            expected = facts.get(key, text_gold.get(key))
            result.false_positives.append(f"{key}={f.value} ({f.method}) gold={expected}")

    def recall(expected: dict[str, float | int], side: SideScore) -> None:
        for key, value in expected.items():
            side.gold += 1
            if any(_equal(v, value) for v in found.get(key, [])):
                side.recalled += 1
            else:
                result.missed.append(f"{key}={value} got={found.get(key)}")

    recall(facts, sides[gold_side])
    recall(text_gold, sides["text"])
    return result


def _source_for(path: Path, gold: dict) -> str:
    m = re.search(r"https?://\S+", str(gold.get("source") or ""))
    return m.group(0).rstrip("),;") if m else str(path)


def evaluate(corpus_dir: Path, gold_dir: Path) -> EvalReport:
    report = EvalReport()
    for path in sorted(p for p in Path(corpus_dir).rglob("*") if p.is_file()):
        gold_path = Path(gold_dir) / f"{path.name}.json"
        if not gold_path.exists():
            report.without_gold.append(str(path))
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        extraction = extract_bytes(path.read_bytes(), _source_for(path, gold), filename=path.name)
        report.docs.append(score(extraction, gold, path.name))
    return report


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:6.2f}"


def format_report(report: EvalReport, *, details: bool = True) -> str:
    lines = [
        f"{'document':40} {'kind':>4} {'agcy':>4} {'year':>4} | {'table P':>7} {'R':>7} | {'text P':>7} {'R':>7}",
    ]
    for d in report.docs:
        lines.append(
            f"{d.name[:40]:40} {'ok' if d.kind_ok else 'X':>4} {'ok' if d.agency_ok else 'X':>4} "
            f"{'ok' if d.year_ok else 'X':>4} | {_pct(d.table.precision):>7} {_pct(d.table.recall):>7} | "
            f"{_pct(d.text.precision):>7} {_pct(d.text.recall):>7}"
        )
        if details:
            for e in d.meta_errors:
                lines.append(f"    meta   {e}")
            for fp in d.false_positives:
                lines.append(f"    wrong  {fp}")
            for m in d.missed:
                lines.append(f"    missed {m}")
            for u in d.unscored_disagreeing:
                lines.append(f"    unscored, unlike the gold's reference: {u}")
            if d.missed or d.false_positives:
                for c in d.failed_checks:
                    lines.append(f"    check  {c}")
                for w in d.unread:
                    lines.append(f"    unread {w}")
    table, text = report.total("table"), report.total("text")
    lines.append("")
    lines.append(
        f"table facts: precision {_pct(table.precision)}% ({table.correct}/{table.predicted}), "
        f"recall {_pct(table.recall)}% ({table.recalled}/{table.gold})"
    )
    lines.append(
        f"text facts:  precision {_pct(text.precision)}% ({text.correct}/{text.predicted}), "
        f"recall {_pct(text.recall)}% ({text.recalled}/{text.gold})"
    )
    lines.append(
        f"kind {_pct(report.accuracy('kind'))}%  agency {_pct(report.accuracy('agency'))}%  "
        f"year {_pct(report.accuracy('year'))}%  over {len(report.docs)} documents"
    )
    held = sum(d.checks_held for d in report.docs)
    failed = sum(len(d.failed_checks) for d in report.docs)
    facts = sum(d.table.predicted + d.text.predicted for d in report.docs)
    lines.append(
        f"arithmetic: {held} identities held, {failed} failed (in "
        f"{sum(bool(d.failed_checks) for d in report.docs)} documents); "
        f"{sum(d.verified for d in report.docs)} of {facts} facts verified"
    )
    unscored = sum(d.unscored for d in report.docs)
    if unscored:
        disagreeing = sum(len(d.unscored_disagreeing) for d in report.docs)
        lines.append(f"not scored (glued_cells_not_scored): {unscored} facts read, "
                     f"{unscored - disagreeing} agree with the gold's reference values")
    if report.without_gold:
        lines.append(f"({len(report.without_gold)} files without gold skipped)")
    return "\n".join(lines)
