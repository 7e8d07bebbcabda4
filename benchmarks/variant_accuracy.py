"""Accuracy of the extractor on random combinations of the generated report variants (tests/variants.py).

The tests run fixed, hand-picked combinations of rendering flags and damage; this draws N seeded random
ones (form, script, encoding, zero marks, digits, header styles, blank totals, Markdown without outer
pipes, labels torn out of the rows by a PDF converter, … and each kind of crawled damage) and prints,
per flag, how many reports had a figure missing or wrong. A failing seed is printed with its flags so it
can be replayed and turned into a test.

    .venv/bin/python benchmarks/variant_accuracy.py --cases 1000 [--damaged 600] [--pdf 100] [--seed 20000]

Measured 2026-12-02: 1,000 rendered and 600 damaged cases, 0 failures, ~18 s; 2,000 + 1,200 from seed 50000,
0 failures; 100 printed to PDF, 1 failure, ~110 s. The classes it found on the way
are in the README's table of figures.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from variants import (  # noqa: E402
    DAMAGES,
    Report,
    Variant,
    _single_other,
    make_report,
    render,
    score,
)

from extract import extract_bytes  # noqa: E402


def rendered_case(seed: int) -> tuple[Report, Variant]:
    """One report rendered with a random combination of the flags the generator knows."""
    rng = random.Random(seed)
    fmt = rng.choice(["2019", "2021", "2021"])
    form = rng.choice(["html", "word", "markdown", "prose", "plain"])
    v = Variant(
        seed=seed, form=form, traditional=rng.random() < .3, gbk=rng.random() < .3,
        fullwidth=rng.random() < .6, numbering=rng.random() < .8, blank_zero=rng.random() < .3,
        fee_yuan=fmt == "2021" and rng.random() < .3, chinese_numerals=form == "prose" and rng.random() < .5,
        zero_mark=rng.choice(["", "—", "/", "-", "0", "无"]), digits=rng.choice(["ascii", "fullwidth", "grouped"]),
        cell_breaks=rng.random() < .4, prose_style=rng.randrange(5), layout_table=rng.random() < .3,
        chrome=rng.random() < .5, title_style=rng.randrange(4), short_headers=rng.random() < .3,
        heading_in_table=rng.random() < .3, flat_header=rng.random() < .3, bare_pipes=rng.random() < .3,
        no_item_rows=rng.random() < .3, torn_labels=form == "markdown" and rng.random() < .3,
        # a text layer has no blank cell to keep: the generator's plain form would print the blank total as 0
        blank_totals=form not in ("prose", "plain") and rng.random() < .2,
    )
    return make_report(seed, fmt), v


def damaged_case(seed: int) -> tuple[Report, Variant]:
    """One report crawled with one kind of damage, the kinds taken in turn."""
    rng = random.Random(seed)
    damage = DAMAGES[seed % len(DAMAGES)]
    fmt = "2021" if damage in ("cell_notes", "single_other", "glued") or rng.random() < .6 else "2019"
    v = Variant(seed=seed, form="crawled", damage=damage, fullwidth=rng.random() < .5, title_style=rng.randrange(4),
                prose_style=rng.randrange(4), blank_zero=damage == "cell_per_line" and rng.random() < .5, zero_mark="")
    report = make_report(seed, fmt)
    return (_single_other(report) if damage == "single_other" else report), v


def printed_case(seed: int) -> tuple[Report, Variant]:
    """One report rendered as a web page with random flags, to be printed to PDF by Chromium (`--pdf`)."""
    rng = random.Random(seed)
    fmt = rng.choice(["2019", "2021", "2021"])
    v = Variant(seed=seed, form=rng.choice(["html", "word"]), blank_zero=rng.random() < .3,
                zero_mark=rng.choice(["", "0", "—"]), cell_breaks=rng.random() < .4, fullwidth=rng.random() < .6,
                numbering=rng.random() < .8, short_headers=rng.random() < .3, flat_header=rng.random() < .3,
                fee_yuan=fmt == "2021" and rng.random() < .3)
    return make_report(seed, fmt), v


def _print_to_pdf(page: bytes, folder: Path) -> bytes:
    """The page as Chromium prints it (a real PDF: CJK fonts, ruled tables, wrapped cells, page breaks)."""
    html, pdf = folder / "page.html", folder / "page.pdf"
    html.write_bytes(page)
    subprocess.run([shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=60)
    return pdf.read_bytes()


def problems(report: Report, v: Variant, pdf_folder: Path | None = None) -> dict[str, object]:
    """What the extractor got wrong on one generated report: empty when every figure is right. With
    `pdf_folder`, the rendered page is printed to PDF first and the PDF is what is read."""
    data, filename, media_type = render(report, v)
    if pdf_folder is not None:
        data, filename, media_type = _print_to_pdf(data, pdf_folder), "report.pdf", "application/pdf"
    e = extract_bytes(data, f"variant-{v.seed}", filename=filename, media_type=media_type)
    out: dict[str, object] = {}
    if v.form != "crawled" and (e.document.agency, e.document.year) != (report.agency, report.year):
        out["document"] = (e.document.agency, e.document.year)
    missing, wrong = score(report, v, e.facts)
    if missing:
        out["missing"] = sorted(missing.items())[:4]
    if wrong:
        out["wrong"] = sorted(wrong.items())[:4]
    return out


def _flags(v: Variant) -> list[str]:
    default = Variant(v.seed)
    return [f"{k}={val}" for k, val in asdict(v).items() if k not in ("seed", "tags") and val != getattr(default, k)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="rendered variants (random flags)")
    parser.add_argument("--damaged", type=int, default=600, help="crawled variants (each kind of damage in turn)")
    parser.add_argument("--pdf", type=int, default=0,
                        help="reports printed to PDF by Chromium (needs chromium and a CJK font; ~1.5 s each)")
    parser.add_argument("--seed", type=int, default=20000, help="first seed; seeds are consecutive")
    args = parser.parse_args()
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="ogi-variants-"))
    for name, make, n, first in (("rendered", rendered_case, args.cases, args.seed),
                                 ("damaged", damaged_case, args.damaged, args.seed + 10_000),
                                 ("printed to PDF", printed_case, args.pdf, args.seed + 20_000)):
        if not n:
            continue
        failed: Counter[str] = Counter()
        seen: Counter[str] = Counter()
        failures = 0
        for i, seed in enumerate(range(first, first + n), 1):
            report, v = make(seed)
            flags = _flags(v) + [f"template={report.fmt}"]
            seen.update(flags)
            try:
                found = problems(report, v, folder if make is printed_case else None)
            except Exception as error:  # noqa: BLE001 - a crash is one more failure to report, not the end
                found = {"crash": repr(error)}
            if found:
                failures += 1
                failed.update(flags)
                print(f"FAIL seed {seed}: {' '.join(flags)}\n    {json.dumps(found, ensure_ascii=False, default=str)}")
            if i % 200 == 0:
                print(f"  {name}: {i}/{n} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print(f"\n{name}: {n} cases, {failures} with a figure missing or wrong")
        for flag, count in sorted(failed.items(), key=lambda kv: -kv[1] / seen[kv[0]]):
            print(f"  {flag:40s} {count:5d} of {seen[flag]:5d} cases with it failed")
    shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
