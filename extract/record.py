"""The records the extractor produces: the `ogi extract` output contract (see README, "Extraction").

One `Extraction` per input document. It serialises to exactly the JSON object of the contract
(`source`, `document`, `facts`, `warnings`) plus `issues`, the document-level problems that
explain why a document gave fewer facts than it should (stable `code`s, listed in ISSUE_CODES).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

Kind = Literal["annual_report", "work_summary", "work_plan", "other"]
Template = Literal["2021", "2019", "statistics_2014", "narrative"]
Method = Literal["table", "text"]
Severity = Literal["error", "warning"]
# How far the document's own arithmetic backs a fact: an identity involving it holds (verified), none
# involves it (unverified), or one that the report should satisfy fails (conflict).
Confidence = Literal["verified", "unverified", "conflict"]

# Stable codes of document-level issues. Loaders, marts and users key on these strings.
ISSUE_CODES = {
    "empty": "the document has no bytes or no text",
    "unreadable": "the bytes could not be decoded or parsed as any supported format",
    "needs_ocr": "a PDF or image without a text layer: OCR is needed",
    "not_a_pdf": "the name or media type says PDF but the bytes are not a PDF",
    "too_large": "the document exceeds the size limit and was not parsed",
    "too_deep": "markup nested deeper than the parser accepts; parsed as flat text",
    "truncated": "the markup ends early; what could be read was kept",
    "mojibake": "a passage was garbled beyond repair and skipped",
    "bad_cell": "a numeric table cell holds text; the cell was skipped",
    "no_facts": "a report with no statistic the extractor recognises",
    "internal_error": "the extractor failed on this document (a bug): see message",
    "timeout": "reading the document took longer than the time limit; stopped (extract/sandbox.py)",
}


# Not frozen, though never changed after it is made: a frozen dataclass sets each field through
# object.__setattr__, five times the cost of a plain one, and a document makes several hundred facts.
# unsafe_hash keeps facts hashable (sets of facts compare readings).
@dataclass(slots=True, unsafe_hash=True)
class Fact:
    metric: str  # "<group>.<key>", group and key from metrics.yaml
    value: float | int
    applicant: str = "total"
    method: Method = "text"
    evidence: str = ""  # exact normalised text the value was read from
    start: int = 0  # offsets of the evidence in the normalised text
    end: int = 0
    confidence: Confidence = "unverified"

    def with_confidence(self, confidence: Confidence) -> Fact:
        """This fact with that confidence: itself when it has it already (a fact is never changed once made;
        most stay unverified), else a copy by the constructor, not dataclasses.replace, whose walk over the
        fields costs several times as much (it runs for every fact of every document)."""
        if confidence == self.confidence:
            return self
        return Fact(self.metric, self.value, self.applicant, self.method, self.evidence, self.start, self.end,
                    confidence)


@dataclass(frozen=True, slots=True)
class Check:
    """One arithmetic identity the extractor tested on the document's figures."""

    name: str  # e.g. "requests.balance@total", "requests.outcomes@natural_person"
    ok: bool
    figures: dict[str, float | int] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentMeta:
    kind: Kind = "other"
    agency: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date
    index_no: str | None = None
    template: Template | None = None
    script: Literal["simplified", "traditional"] = "simplified"
    partial_period: bool = False


@dataclass(frozen=True, slots=True)
class Issue:
    code: str  # one of ISSUE_CODES
    message: str
    severity: Severity = "warning"


@dataclass(slots=True)
class Extraction:
    source: str
    document: DocumentMeta = field(default_factory=DocumentMeta)
    facts: list[Fact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    encoding: str | None = None  # how the bytes were decoded (None for PDF/DOCX)
    media_type: str | None = None  # sniffed media type, e.g. text/html, application/pdf
    text: str = ""  # the normalised text that evidence offsets point into (not serialised)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": _flat(self.document, _META_FIELDS),
            "facts": [_flat(f, _FACT_FIELDS) for f in self.facts],
            "checks": [{"name": c.name, "ok": c.ok, "figures": dict(c.figures)} for c in self.checks],
            "warnings": list(self.warnings),
            "issues": [_flat(i, _ISSUE_FIELDS) for i in self.issues],
            "encoding": self.encoding,
            "media_type": self.media_type,
        }


# dataclasses.asdict walks and deep-copies every value generically: it was a quarter of a document's
# extraction time. These records hold only scalars (a check's figures are copied above), so a dict of the
# fields, in their declared order, is the same JSON.
_FACT_FIELDS = tuple(f.name for f in fields(Fact))
_META_FIELDS = tuple(f.name for f in fields(DocumentMeta))
_ISSUE_FIELDS = tuple(f.name for f in fields(Issue))


def _flat(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}
