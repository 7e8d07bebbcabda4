"""Cost of a refresh in which nothing changed, against a full refresh of the same corpus.

Generates a corpus of synthetic reports (the extract_speed generator: HTML with the standard tables,
Traditional-script HTML, narrative text, markdown; ~20 KB each), spreads it over sources as local
folders, and runs `ogi refresh` twice through Airflow into a fresh warehouse: the first run extracts,
builds and validates everything; the second finds every document unchanged, extracts nothing and
skips the rebuild. Prints both times, the ratio, and what each run did (from meta.runs).

    python benchmarks/incremental_refresh.py [--docs 1000] [--sources 20]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_speed import generate  # noqa: E402 — the benchmarks share one corpus generator

from warehouse.layout import Layout  # noqa: E402
from warehouse.orchestrate import run_refresh  # noqa: E402


def write_corpus(root: Path, docs: int, sources: int) -> Path:
    entries = []
    for i, (_, data, name) in enumerate(generate(docs)):
        folder = root / "corpus" / f"source_{i % sources:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    for s in range(sources):
        entries.append({"name": f"source_{s:03d}", "agency": "杭州市城乡建设委员会",
                        "paths": [f"corpus/source_{s:03d}"]})
    catalogue = root / "sources.yaml"
    catalogue.write_text(yaml.safe_dump({"settings": {"years": [2008, 2026]}, "sources": entries},
                                        allow_unicode=True), encoding="utf-8")
    return catalogue


def timed_refresh(catalogue: Path, layout: Layout) -> float:
    started = time.perf_counter()
    if not run_refresh(catalogue, layout):
        raise SystemExit(f"refresh failed; see {layout.root / 'logs' / 'refresh.log'}")
    return time.perf_counter() - started


def direct_refresh(catalogue: Path, layout: Layout, run_id: str) -> float:
    """The same step functions the DAG's tasks call, in one process without the scheduler: the
    pipeline's own work, without Airflow's start-up and per-task overhead."""
    from warehouse import pipeline

    started = time.perf_counter()
    sources, warehouse = str(catalogue), str(layout.warehouse)
    manifests = [pipeline.fetch(sources, warehouse, run_id, name)
                 for name in pipeline.discover(sources, warehouse, run_id)]
    extracted = [pipeline.extract_batch(warehouse, run_id, batch)
                 for batch in pipeline.plan_extraction(warehouse, run_id, manifests)]
    loaded = pipeline.load(sources, warehouse, run_id, manifests, extracted)
    built = pipeline.build(warehouse, run_id, loaded)
    pipeline.validate(warehouse, run_id, built)
    pipeline.publish(warehouse, run_id)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and warehouse folder")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    try:
        catalogue = write_corpus(root, args.docs, args.sources)
        layout = Layout.at(root / "wh" / "ogi.duckdb")
        layout.root.mkdir(parents=True)
        print(f"corpus: {args.docs} documents in {args.sources} sources; warehouse {layout.warehouse}")
        # Airflow's one-time metadata database set-up is not part of a refresh's cost.
        from warehouse.orchestrate import airflow_env, ensure_metadata_db

        ensure_metadata_db(layout, airflow_env(layout))
        full = timed_refresh(catalogue, layout)
        unchanged = timed_refresh(catalogue, layout)
        con = duckdb.connect(str(layout.warehouse), read_only=True)
        runs = con.execute("""SELECT documents_seen, documents_extracted FROM meta.runs
                              WHERE status = 'published' ORDER BY started_at""").fetchall()
        con.close()
        direct = Layout.at(root / "direct" / "ogi.duckdb")
        direct_full = direct_refresh(catalogue, direct, "bench_full")
        direct_unchanged = direct_refresh(catalogue, direct, "bench_unchanged")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print(f"{'refresh':12} {'seconds':>8} {'documents seen':>15} {'extracted':>10}")
    print(f"{'full':12} {full:8.1f} {runs[0][0]:15d} {runs[0][1]:10d}")
    print(f"{'unchanged':12} {unchanged:8.1f} {runs[1][0]:15d} {runs[1][1]:10d}")
    ratio = unchanged / full
    print(f"through Airflow (dag.test): unchanged / full = {ratio:.1%} "
          f"(target < 10%: {'met' if ratio < 0.10 else 'NOT met'})")
    direct_ratio = direct_unchanged / direct_full
    print(f"pipeline steps without the scheduler: full {direct_full:.1f} s, unchanged {direct_unchanged:.1f} s, "
          f"unchanged / full = {direct_ratio:.1%} (target < 10%: {'met' if direct_ratio < 0.10 else 'NOT met'})")


if __name__ == "__main__":
    main()
