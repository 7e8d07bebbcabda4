"""The arithmetic identities of the forms (forms.yaml) tested on a document's facts.

A report's own figures must agree with each other: per applicant column 新收 + 上年结转 = 办结 + 结转下年
and the outcome rows sum to （七）总计; per row the applicant columns sum to 总计; in table 四 each block's
outcomes sum to its 总计. `run_checks` tests every identity whose figures are all present, separately
for the table and for the prose (two readings of a report are not mixed), and `with_confidence` marks
each fact `verified` (an identity involving it holds), `conflict` (one fails) or `unverified`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from extract.forms import Forms, Identity, forms
from extract.record import Check, Fact

_TOLERANCE = 1e-6

# Identity members: the (metric, applicant) keys a check involves.
Key = tuple[str, str]


@lru_cache(maxsize=64)
def _expand(terms: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    form = forms()
    out: list[str] = []
    for term in terms:
        if term == "{outcomes}":
            out += [f"requests.{k}" for k in form.outcomes]
        elif term == "{other}":
            out += [f"requests.{k}" for k in other]
        else:
            out.append(term if "." in term else f"requests.{term}")
    return tuple(out)


def _short(metric: str) -> str:
    return metric.split(".", 1)[1]


def _test(name: str, lhs: list[Key], rhs: list[Key], values: dict[Key, float]) -> tuple[Check, list[Key]] | None:
    members = lhs + rhs
    if not all(k in values for k in members):
        return None
    left = sum(values[k] for k in lhs)
    right = sum(values[k] for k in rhs)
    own = name.rpartition("@")[2]
    figures = {(_short(m) if a == "total" or a == own else f"{_short(m)}@{a}"): values[(m, a)] for m, a in members}
    return Check(name, abs(left - right) < _TOLERANCE, figures), members


def _other_rows(values: dict[Key, float], applicant: str, form: Forms) -> tuple[str, ...]:
    """（六）其他处理 as this report prints it: three reasons (2021) or one row (2019)."""
    if all((f"requests.{k}", applicant) in values for k in form.other_outcomes["2021"]):
        return form.other_outcomes["2021"]
    return form.other_outcomes["2019"]


def _identity_checks(identity: Identity, values: dict[Key, float], form: Forms) -> list[tuple[Check, list[Key]]]:
    out: list[tuple[Check, list[Key]]] = []
    if identity.per_row:
        metrics = sorted({m for m, _ in values if m.startswith("requests.")})
        for metric in metrics:
            parts = [(metric, a) for a in form.organisations]
            if (metric, "natural_person") not in values:
                continue
            if not all(p in values for p in parts) and (metric, "organization") in values:
                parts = [(metric, "organization")]
            if (tested := _test(f"{identity.name}@{_short(metric)}", [(metric, "natural_person"), *parts],
                                [(metric, "total")], values)) is not None:
                out.append(tested)
        return out
    if identity.per_applicant:
        applicants = sorted({a for m, a in values if m.startswith("requests.")})
        for applicant in applicants:
            other = _other_rows(values, applicant, form)
            lhs = [(m, applicant) for m in _expand(identity.lhs, other)]
            rhs = [(m, applicant) for m in _expand(identity.rhs, other)]
            if (tested := _test(f"{identity.name}@{applicant}", lhs, rhs, values)) is not None:
                out.append(tested)
        return out
    lhs = [(m, "total") for m in _expand(identity.lhs, ())]
    rhs = [(m, "total") for m in _expand(identity.rhs, ())]
    tested = _test(identity.name, lhs, rhs, values)
    return [tested] if tested is not None else []


def run_checks(facts: Iterable[Fact]) -> tuple[list[Check], dict[Key, str]]:
    """Every identity whose figures the facts hold, per method; and each fact key's confidence."""
    form = forms()
    checks: list[Check] = []
    confidence: dict[tuple[str, str, str], str] = {}
    by_method: dict[str, dict[Key, float]] = {}
    for f in facts:
        by_method.setdefault(f.method, {}).setdefault((f.metric, f.applicant), f.value)
    for method, values in by_method.items():
        for identity in form.identities:
            for check, members in _identity_checks(identity, values, form):
                checks.append(check if method == "table" else replace(check, name=f"{method}:{check.name}"))
                for key in members:
                    k3 = (method, *key)
                    if not check.ok:
                        confidence[k3] = "conflict"
                    elif confidence.get(k3) != "conflict":
                        confidence[k3] = "verified"
    return checks, confidence  # type: ignore[return-value]


def with_confidence(facts: Sequence[Fact]) -> tuple[list[Fact], list[Check]]:
    """The facts with their `confidence` set from the identities, and the checks run."""
    checks, confidence = run_checks(facts)
    # the constructor, not dataclasses.replace: this runs for every fact of every document
    out = [Fact(f.metric, f.value, f.applicant, f.method, f.evidence, f.start, f.end,
                confidence.get((f.method, f.metric, f.applicant), "unverified"))  # type: ignore[arg-type]
           for f in facts]
    return out, checks


def failed_summary(check: Check) -> str:
    """A failed check in the form's words with its figures, for warnings and reports:
    'requests.balance@total does not add up: new_received=813, carried_over=36, … (新收+上年结转 = 办结+结转下年)'."""
    bare = check.name.split(":")[-1]
    identity = next((i for i in forms().identities if bare.split("@")[0] == i.name), None)
    figures = ", ".join(f"{k}={v:g}" for k, v in check.figures.items())
    says = f" ({identity.says})" if identity and identity.says else ""
    return f"{check.name} does not add up: {figures}{says}"
