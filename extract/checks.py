"""The arithmetic identities of the forms (forms.yaml) tested on a document's facts.

A report's own figures must agree with each other: per applicant column 新收 + 上年结转 = 办结 + 结转下年
and the outcome rows sum to （七）总计; per row the applicant columns sum to 总计; in table 四 each block's
outcomes sum to its 总计. `run_checks` tests every identity whose figures are all present, separately
for the table and for the prose (two readings of a report are not mixed), and `with_confidence` marks
each fact `verified` (an identity involving it holds), `conflict` (one fails) or `unverified`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

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


@cache
def _figure_name(metric: str, applicant: str, own: str) -> str:
    """A figure's name in a check: the bare row, with its column unless that is the check's own."""
    return _short(metric) if applicant in ("total", own) else f"{_short(metric)}@{applicant}"


@dataclass(frozen=True, slots=True)
class Tested:
    """One identity tested on one method's figures; its `Check` (with the figures) is built only when
    asked for, since choosing between readings needs only whether it held."""

    name: str
    ok: bool
    members: tuple[Key, ...]
    nonzero: bool  # a row of zeros satisfies every identity and so says nothing

    def check(self, values: dict[Key, float], method: str) -> Check:
        # the names come from the identity alone (cached: every document tests the same identities), the
        # figures are looked up in C; a later member of the same name wins, as in a dict display
        figures = dict(zip(_figure_names(self.name, self.members), map(values.__getitem__, self.members),
                           strict=True))
        return Check(self.name if method == "table" else f"{method}:{self.name}", self.ok, figures)


@lru_cache(maxsize=1024)
def _figure_names(name: str, members: tuple[Key, ...]) -> tuple[str, ...]:
    """The name in a check of each member of the identity `name`."""
    own = name.rpartition("@")[2]
    return tuple(_figure_name(m, a, own) for m, a in members)


def _test(name: str, lhs: list[Key], rhs: list[Key], values: dict[Key, float]) -> Tested | None:
    try:
        left = [values[k] for k in lhs]
        right = [values[k] for k in rhs]
    except KeyError:
        return None
    return Tested(name, abs(sum(left) - sum(right)) < _TOLERANCE, (*lhs, *rhs), any(left) or any(right))


def _other_rows(values: dict[Key, float], applicant: str, form: Forms) -> tuple[str, ...]:
    """（六）其他处理 as this report prints it: three reasons (2021) or one row (2019)."""
    if all((f"requests.{k}", applicant) in values for k in form.other_outcomes["2021"]):
        return form.other_outcomes["2021"]
    return form.other_outcomes["2019"]


def _identity_checks(identity: Identity, values: dict[Key, float], form: Forms,
                     rows: list[str], applicants: list[str]) -> list[Tested]:
    out: list[Tested] = []
    if identity.per_row:
        for metric in rows:
            if (metric, "natural_person") not in values:
                continue
            parts = [(metric, a) for a in form.organisations]
            if (metric, "organization") in values and not all(p in values for p in parts):
                parts = [(metric, "organization")]
            if (tested := _test(f"{identity.name}@{_short(metric)}", [(metric, "natural_person"), *parts],
                                [(metric, "total")], values)) is not None:
                out.append(tested)
        return out
    if identity.per_applicant:
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


def _values_by_method(facts: Iterable[Fact]) -> dict[str, dict[Key, float]]:
    by_method: dict[str, dict[Key, float]] = {}
    for f in facts:
        if (values := by_method.get(f.method)) is None:  # not setdefault: it would make a dict per fact
            by_method[f.method] = values = {}
        values.setdefault((f.metric, f.applicant), f.value)
    return by_method


@lru_cache(maxsize=32)
def _tested(values: frozenset[tuple[Key, float]]) -> tuple[Tested, ...]:
    """Every identity whose figures `values` hold. Cached: choosing between two readings of a table and
    then marking the facts test the same figures several times."""
    form = forms()
    by_key = dict(values)
    requests = [(m, a) for m, a in by_key if m.startswith("requests.")]
    rows = sorted({m for m, _ in requests})
    applicants = sorted({a for _, a in requests})
    return tuple(tested for identity in form.identities
                 for tested in _identity_checks(identity, by_key, form, rows, applicants))


def _tested_by_method(facts: Iterable[Fact]) -> list[tuple[str, dict[Key, float], tuple[Tested, ...]]]:
    return [(method, values, _tested(frozenset(values.items())))
            for method, values in _values_by_method(facts).items()]


def tested_identities(facts: Iterable[Fact]) -> list[tuple[str, Tested]]:
    """(method, tested identity) for every identity whose figures the facts hold, per method."""
    return [(method, tested) for method, _, all_tested in _tested_by_method(facts) for tested in all_tested]


def evidence(facts: Iterable[Fact]) -> tuple[int, int]:
    """(identities that failed, identities that held on figures not all zero)."""
    tested = tested_identities(facts)
    return sum(not t.ok for _, t in tested), sum(t.ok and t.nonzero for _, t in tested)


def run_checks(facts: Iterable[Fact]) -> tuple[list[Check], dict[Key, str]]:
    """Every identity whose figures the facts hold, per method; and each fact key's confidence."""
    checks: list[Check] = []
    confidence: dict[tuple[str, str, str], str] = {}
    for method, values, all_tested in _tested_by_method(facts):
        checks += [tested.check(values, method) for tested in all_tested]
        # a key in an identity that fails is in conflict, whatever else holds
        confidence.update(dict.fromkeys(
            [(method, *key) for tested in all_tested if tested.ok for key in tested.members], "verified"))
        confidence.update(dict.fromkeys(
            [(method, *key) for tested in all_tested if not tested.ok for key in tested.members], "conflict"))
    return checks, confidence  # type: ignore[return-value]


def with_confidence(facts: Sequence[Fact]) -> tuple[list[Fact], list[Check]]:
    """The facts with their `confidence` set from the identities, and the checks run."""
    checks, confidence = run_checks(facts)
    out = [f.with_confidence(confidence.get((f.method, f.metric, f.applicant), "unverified"))  # type: ignore[arg-type]
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
