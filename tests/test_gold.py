"""Pins the hand-checked gold: every sample document, every gold fact, and the overall targets."""

import json
from functools import cache
from pathlib import Path

import pytest
from gold_known import KNOWN_MISSES

from extract import extract_bytes
from extract.evaluate import _source_for, evaluate, fact_key, format_report

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "samples" / "corpus"
GOLD = ROOT / "samples" / "gold"
DOCUMENTS = sorted(p for p in CORPUS.rglob("*") if p.is_file() and (GOLD / f"{p.name}.json").exists())


@cache
def report():
    return evaluate(CORPUS, GOLD)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_matches_gold(path):
    gold = json.loads((GOLD / f"{path.name}.json").read_text(encoding="utf-8"))
    e = extract_bytes(path.read_bytes(), _source_for(path, gold), filename=path.name)
    doc = e.document
    known = KNOWN_MISSES.get(path.name, {})
    agency, year = known.get("agency", gold["agency"]), known.get("year", gold["year"])
    assert (doc.kind, doc.agency, doc.year) == (gold["kind"], agency, year)
    for field in ("published", "script", "partial_period", "template"):
        if field in gold:
            assert getattr(doc, field) == known.get(field, gold[field]), field
    found: dict[str, list] = {}
    for f in e.facts:
        found.setdefault(fact_key(f), []).append(f.value)
        assert e.text[f.start : f.end] == f.evidence
    missing = {k: v for k, v in gold["facts"].items() if not any(abs(x - v) < 1e-6 for x in found.get(k, []))}
    assert set(missing) == known.get("facts", set())


def test_overall_targets():
    r = report()
    table, text = r.total("table"), r.total("text")
    summary = format_report(r)
    assert table.precision >= 0.995, summary
    assert table.recall >= 0.99, summary
    assert text.precision >= 0.97, summary
    assert text.recall >= 0.90, summary
    assert r.accuracy("kind") == 1.0, summary
    for field in ("agency", "year"):
        misses = sum(field in known for known in KNOWN_MISSES.values())
        assert r.accuracy(field) == pytest.approx(1 - misses / len(DOCUMENTS)), (field, summary)
