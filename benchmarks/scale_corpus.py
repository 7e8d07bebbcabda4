"""N realistic annual reports, each different, for the scale benchmark (benchmarks/scale.py).

Built on the test suite's seeded report generator (tests/variants.py: the 2019 and 2021 national formats, as
HTML with the standard rowspan/colspan tables, Word-exported HTML, Markdown pipe tables, copied text layers
and prose only; Traditional script, GBK bytes, full-width digits, blank zeros, page chrome …). Each
document gets its own seed (its own figures and rendering flags) and its own agency: a real place from the
gazetteer (extract/gazetteer.csv) with one of the usual reporting departments, so N documents make close
to N agency-years — the marts grow with the corpus, as they would on a real crawl.

    python benchmarks/scale_corpus.py OUT_DIR --docs 1000 [--sources 40]
"""

from __future__ import annotations

import argparse
import csv
import functools
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import opencc
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import variants  # noqa: E402 — the test suite's report generator, used as it is

# variants.render builds an OpenCC converter per call; one per conversion is enough here (10k documents).
variants.opencc = type("CachedOpenCC", (), {"OpenCC": staticmethod(functools.lru_cache(maxsize=None)(opencc.OpenCC))})

DEPARTMENTS = [("人民政府办公室", "政府办公室"), ("发展和改革委员会", "发改委"), ("生态环境局", "生态环境局"),
               ("自然资源和规划局", "自然资源和规划局"), ("住房和城乡建设局", "住建局"), ("教育局", "教育局"),
               ("财政局", "财政局"), ("卫生健康委员会", "卫健委"), ("交通运输局", "交通运输局"),
               ("市场监督管理局", "市场监管局"), ("人民政府", "人民政府"), ("司法局", "司法局")]
FORMS = ["html", "word", "markdown", "prose", "plain", "html", "word"]


@dataclass(frozen=True)
class Document:
    agency: str
    filename: str
    data: bytes


@functools.cache
def places() -> list[str]:
    with open(ROOT / "extract" / "gazetteer.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["level"] in ("city", "county") and r["last_year"] >= "2024"]
    return sorted({r["name"] for r in rows})


def _variant(i: int, rng: random.Random) -> variants.Variant:
    form = FORMS[i % len(FORMS)]
    return variants.Variant(
        seed=500_000 + i, form=form, traditional=rng.random() < 0.15, gbk=rng.random() < 0.2,
        fullwidth=rng.random() < 0.6, numbering=rng.random() < 0.85, blank_zero=rng.random() < 0.3,
        zero_mark=rng.choice(["", "—", "/", "-", "0"]), digits=rng.choice(["ascii", "fullwidth", "grouped"]),
        cell_breaks=rng.random() < 0.4, prose_style=rng.randint(0, 4), layout_table=rng.random() < 0.25,
        chrome=rng.random() < 0.7, title_style=rng.randint(0, 3), short_headers=rng.random() < 0.2,
        heading_in_table=rng.random() < 0.3, flat_header=rng.random() < 0.25, bare_pipes=rng.random() < 0.25,
        no_item_rows=rng.random() < 0.2, chinese_numerals=form == "prose" and rng.random() < 0.5)


def documents(n: int, seed: int = 0) -> Iterator[Document]:
    names = places()
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        fmt = "2019" if rng.random() < 0.25 else "2021"
        variant = _variant(i, rng)
        report = variants.make_report(variant.seed + seed, fmt)
        place = names[(i * 7919 + seed) % len(names)]
        full, short = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
        report = replace(report, agency=place + full, short=short)
        data, name, _ = variants.render(report, variant)
        stem, _, suffix = name.rpartition(".")
        yield Document(report.agency, f"{i:06d}_{report.year}.{suffix}", data)


def write_corpus(root: Path, docs: int, sources: int, seed: int = 0) -> Path:
    """The corpus as `sources` local folders and a catalogue naming them; returns the catalogue."""
    for i, doc in enumerate(documents(docs, seed)):
        folder = root / "corpus" / f"source_{i % sources:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / doc.filename).write_bytes(doc.data)
    entries = [{"name": f"source_{s:03d}", "agency": "综合门户", "allow_other_agencies": True,
                "paths": [f"corpus/source_{s:03d}"]} for s in range(min(sources, docs))]
    catalogue = root / "sources.yaml"
    catalogue.write_text(yaml.safe_dump({"settings": {"years": [2008, 2026]}, "sources": entries},
                                        allow_unicode=True), encoding="utf-8")
    return catalogue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=40)
    args = parser.parse_args()
    print(write_corpus(args.out, args.docs, args.sources))


if __name__ == "__main__":
    main()
