"""The extractor: document bytes → one `Extraction` (the `ogi extract` output contract).

Pipeline: formats.render (bytes → text, tables as pipe rows) → normalise (Simplified, NFKC, chrome and
repeats removed) → classify → metadata → tables.table_facts + narrative.text_facts → merge.

Merge: table facts come first. A text fact equal to a table fact of the same metric/applicant is
dropped; a text fact that disagrees is kept next to it with a warning naming the conflict. A work plan
or an unrelated document gives no facts. `extract_bytes` never raises: an exception anywhere becomes
an Issue("internal_error", severity="error") on an otherwise empty Extraction.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from extract import align, checks, classify, formats, metadata, narrative, normalise
from extract.record import DocumentMeta, Extraction, Fact, Issue

# Bump on any change that can change the output: the warehouse re-extracts documents when it changes.
EXTRACTOR_VERSION = "2026.12.04-9"

_FACT_KINDS = ("annual_report", "work_summary")


def extract_bytes(
    data: bytes,
    source: str,
    *,
    filename: str = "",
    media_type: str | None = None,
    charset: str | None = None,
) -> Extraction:
    """Extract one document. Never raises."""
    try:
        return _extract(data, source, filename=filename, media_type=media_type, charset=charset)
    except Exception as exc:  # noqa: BLE001 — the extractor is a boundary: report, never raise
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return Extraction(source=source, issues=[Issue("internal_error", detail[:500], "error")])


def extract_path(path: str | Path) -> Extraction:
    """Extract a file; the source is its path. Never raises."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        return Extraction(source=str(p), issues=[Issue("unreadable", f"cannot read file: {exc}", "error")])
    return extract_bytes(data, str(p), filename=p.name)


def _extract(data: bytes, source: str, *, filename: str, media_type: str | None, charset: str | None) -> Extraction:
    rendered = formats.render(data, filename=filename or source, media_type=media_type, charset=charset)
    norm = normalise.normalise(rendered.text)
    text = norm.text
    out = Extraction(source=source, encoding=rendered.encoding, media_type=rendered.media_type, text=text)
    out.issues.extend(rendered.issues)
    out.issues.extend(norm.issues)
    out.warnings.extend(norm.warnings)
    if not text.strip():
        if not any(i.severity == "error" for i in out.issues):
            out.issues.append(Issue("empty", "the document has no text", "error"))
        out.document = DocumentMeta(script=norm.script)
        return out

    title = classify.find_title(text)
    kind = classify.classify(text, title)
    meta = metadata.extract_metadata(text, title=title, source=source)
    doc = DocumentMeta(
        kind=kind,
        agency=meta.agency,
        year=meta.year,
        published=meta.published,
        index_no=meta.index_no,
        script=norm.script,
        partial_period=meta.partial_period,
    )
    out.document = doc
    if kind not in _FACT_KINDS:
        return out

    from extract import tables  # imported here so a failure in it is an internal_error, not an import crash

    table = tables.table_facts(text)
    out.warnings.extend(table.warnings)
    out.issues.extend(table.issues)
    # The same tables read a second way, by alignment onto the form; the arithmetic picks per table.
    table_read, align_warnings = align.choose(
        table.facts, align.align(text, table.template, align.unfinished(table.facts)))
    out.warnings.extend(align_warnings)
    text_warnings: list[str] = []
    prose = narrative.text_facts(text, year=meta.year, warnings=text_warnings)
    out.warnings.extend(text_warnings)
    facts, conflicts = merge(table_read, prose)
    out.facts, out.checks = checks.with_confidence(facts)
    # the prose's own identities (stated outcomes = closed, a channel total = its breakdown); prose facts
    # are passed whole because merge drops those that repeat a table fact
    known = {c.name for c in out.checks}
    prose_checks = [c for c in narrative.text_checks(prose, text) if c.name not in known]
    out.checks.extend(prose_checks)
    out.facts = narrative.with_confidence(out.facts, prose_checks)
    out.warnings.extend(conflicts)
    out.warnings.extend(checks.failed_summary(c) for c in out.checks if not c.ok)
    read_as_table = [f for f in table_read if f.method == "table"]
    if table.template:
        doc.template = table.template
    elif read_as_table and (marked := tables.marked_template(text)) is not None:
        doc.template = marked
    elif read_as_table and meta.year is not None and meta.year >= 2019:
        # standard-table facts without a recognisable template (only part of a table): the national
        # format in force for the report year — 2019 for 2019-2020, 2021 from 2021 on
        doc.template = "2021" if meta.year >= 2021 else "2019"
    elif narrative.uses_statistics_2014_wording(text):
        doc.template = "statistics_2014"
    else:
        doc.template = "narrative"
    if not facts and kind == "annual_report":
        out.issues.append(Issue("no_facts", "no statistic recognised in the report"))
    return out


_LITIGATION_SPLIT = ("appeals.litigation_direct_", "appeals.litigation_after_reconsideration_")


_HANDLED = re.compile(r"受理|处理|办理")
_ORGANIZATIONS = ("commercial_enterprise", "research_institution", "public_interest_org", "legal_service_org",
                  "other_org")


def _table_value(by_key: dict[tuple[str, str], Fact], metric: str, applicant: str) -> float | int | None:
    """A table figure, the organisation columns summed for 法人或其他组织 (the prose's applicant, not the form's)."""
    if applicant == "organization":
        parts = [by_key.get((metric, a)) for a in _ORGANIZATIONS]
        return sum(p.value for p in parts if p) if all(parts) else None
    fact = by_key.get((metric, applicant))
    return fact.value if fact else None


def _handled_not_received(f: Fact, new: float | int | None, carried: float | int | None) -> bool:
    """"全县全年共受理政府信息公开申请749件" where table 三 has 713 new and 36 carried over: what the prose says was
    受理 (handled) is the table's new + carried, not the intake. (A figure the prose says was 收到 stays: a report
    may state its intake otherwise than its table.)"""
    if f.metric != "requests.new_received" or "收到" in f.evidence or not _HANDLED.search(f.evidence):
        return False
    return new is not None and bool(carried) and f.value == new + carried


def merge(table_facts: list[Fact], text_facts: list[Fact]) -> tuple[list[Fact], list[str]]:
    """Table facts, then the text facts they do not already state. Disagreements keep both.

    The prose often states litigation for both kinds together (行政诉讼46件, 其中维持25件) where table
    四 splits it (未经复议直接起诉 / 复议后起诉): when the table has both parts, their sum is what the
    table states for the combined metric, so an equal text figure is a duplicate and a different one
    a conflict."""
    by_key: dict[tuple[str, str], Fact] = {}
    for f in table_facts:
        by_key.setdefault((f.metric, f.applicant), f)
    for outcome in ("upheld", "corrected", "other", "pending", "total"):
        parts = [by_key.get((prefix + outcome, "total")) for prefix in _LITIGATION_SPLIT]
        key = (f"appeals.litigation_{outcome}", "total")
        if all(parts) and key not in by_key:
            total = sum(p.value for p in parts if p)
            by_key[key] = Fact(key[0], total, "total", "table", "", 0, 0)
    facts = list(table_facts)
    warnings: list[str] = []
    gross = next((f for f in text_facts if f.metric == "requests.new_received" and f.applicant == "total"
                  and _handled_not_received(f, _table_value(by_key, f.metric, "total"),
                                            _table_value(by_key, "requests.carried_over", "total"))), None)
    for f in text_facts:
        t = by_key.get((f.metric, f.applicant))
        # the applicants' split of a gross figure, right after it ("…749件,其中自然人申请741件…"), goes with it
        if f is gross or (gross is not None and f.metric == gross.metric and 0 <= f.start - gross.end <= 40):
            warnings.append(f"text {f.metric}@{f.applicant} {f.value} is the table's new + carried over: dropped")
            continue
        if t is None:
            facts.append(f)
        elif t.value != f.value:
            facts.append(f)
            warnings.append(
                f"conflict: {f.metric}@{f.applicant} is {t.value} in the table but {f.value} in the text "
                f"({f.evidence!r})"
            )
    return facts, warnings
