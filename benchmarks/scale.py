"""The refresh at scale: 1k and 10k generated documents (benchmarks/scale_corpus.py), three ways.

- steps: the pipeline's step functions called in this process (what the DAG's tasks call, without Airflow):
  per-step times (fetch, extraction docs/s, load, dbt, GX, publish), peak memory, warehouse size, and the
  no-change refresh.
- in-process: `ogi refresh` as `make run` does it (Airflow dag.test in one process): full and no-change.
- standing: a standing LocalExecutor (warehouse/standing.py: scheduler + dag-processor + api-server) with
  parallelism 1 and 2, one extraction worker per task (OGI_EXTRACT_WORKERS=1), triggered through the REST
  API: full refresh time and the speedup 1 → 2. Parallelism is not the only concurrency: at parallelism 1 a
  task still uses both cores where it can (DuckDB's and dbt's threads in build and validate, an extract
  task's supervisor writing while its worker reads), so parallelism 1 is also run with the whole deployment
  on one core ("p=1 1 core"): the speedup from that to p=2 is what the second core brings. The VM's speed
  drifts by up to 2× between runs, so p=1, in-process and p=2 run in rounds, one after the other (--rounds, 2 by
  default), and each counts by its fastest run; each round's ratios are printed too.

Prints one table per corpus size and writes the figures as JSON (--json).

    python benchmarks/scale.py --docs 1000 10000 [--modes steps in-process standing] [--rounds 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from cpu_use import CpuMeter  # noqa: E402
from peak_memory import PeakMemory, children_tree  # noqa: E402
from scale_corpus import write_corpus  # noqa: E402

from warehouse.layout import Layout  # noqa: E402


@dataclass
class Figures:
    docs: int
    mode: str
    full_s: float = 0.0
    unchanged_s: float | None = None
    steps_s: dict[str, float] = field(default_factory=dict)
    unchanged_steps_s: dict[str, float] = field(default_factory=dict)
    extraction_docs_per_s: float | None = None
    peak_rss_mb: float | None = None
    warehouse_mb: float | None = None
    documents_extracted: int | None = None
    cores_busy: float | None = None  # the machine's cores busy on average during the full refresh
    steal_pct: float | None = None  # CPU time the hypervisor stole during it (the VM's slow spells)
    round: int = 1  # standing legs run in alternating rounds (--rounds): the VM's speed drifts between runs


def _extracted(warehouse: Path) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT documents_extracted FROM meta.runs WHERE status = 'published' "
                           "ORDER BY finished_at LIMIT 1").fetchone()[0]
    finally:
        con.close()


def _cpu(figures: Figures, meter: CpuMeter) -> None:
    if meter.use is not None:
        figures.cores_busy, figures.steal_pct = meter.use.cores_busy, 100 * meter.use.steal_share


# --- steps --------------------------------------------------------------------------------------------------

def steps(catalogue: Path, root: Path, docs: int) -> Figures:
    from warehouse import pipeline

    layout = Layout.at(root / "steps" / "ogi.duckdb")
    layout.root.mkdir(parents=True)
    sources, warehouse = str(catalogue), str(layout.warehouse)

    def once(run_id: str) -> dict[str, float]:
        times: dict[str, float] = {}

        def timed(name: str, fn, *args):
            started = time.perf_counter()
            value = fn(*args)
            times[name] = times.get(name, 0.0) + time.perf_counter() - started
            return value

        names = timed("discover", pipeline.discover, sources, warehouse, run_id)
        manifests = timed("fetch", pipeline.fetch_sources, sources, warehouse, run_id, names)
        batches = timed("plan", pipeline.plan_extraction, warehouse, run_id, manifests)
        extracted = [timed("extract", pipeline.extract_batch, warehouse, run_id, b) for b in batches]
        loaded = timed("load", pipeline.load, sources, warehouse, run_id, manifests, extracted)
        built = timed("dbt", pipeline.build, warehouse, run_id, loaded)
        timed("validate (GX + dbt over its results)", pipeline.validate, warehouse, run_id, built)
        timed("publish", pipeline.publish, warehouse, run_id)
        return times

    # this process and its children, sampled like every other leg: the kernel's peak RSS of this process and of
    # its children counts earlier legs (a 1k run before the 10k one, a standing leg's scheduler)
    with PeakMemory() as memory, CpuMeter() as cpu:
        full = once("scale_full")
    figures = Figures(docs, "steps", full_s=sum(full.values()), steps_s=full)
    _cpu(figures, cpu)
    figures.peak_rss_mb = memory.peak_mb
    figures.documents_extracted = _extracted(layout.warehouse)
    figures.extraction_docs_per_s = figures.documents_extracted / full["extract"] if full.get("extract") else None
    figures.warehouse_mb = layout.warehouse.stat().st_size / 2**20
    figures.unchanged_steps_s = once("scale_unchanged")
    figures.unchanged_s = sum(figures.unchanged_steps_s.values())
    return figures


# --- in-process (dag.test) ------------------------------------------------------------------------------------

IN_PROCESS = "in-process"


def in_process(catalogue: Path, root: Path, docs: int, unchanged: bool = True, round_: int = 1) -> Figures:
    from warehouse.orchestrate import airflow_env, ensure_metadata_db, run_refresh

    layout = Layout.at(root / ("in_process" + (f"_r{round_}" if round_ > 1 else "")) / "ogi.duckdb")
    layout.root.mkdir(parents=True)
    ensure_metadata_db(layout, airflow_env(layout))  # Airflow's one-time set-up is not a refresh's cost

    def once() -> float:
        started = time.perf_counter()
        if not run_refresh(catalogue, layout).published:
            raise SystemExit(f"in-process refresh failed; see {layout.root / 'logs' / 'refresh.log'}")
        return time.perf_counter() - started

    # sampled, not the children's peak RSS the kernel keeps: that is the largest child this process ever
    # waited for, a standing leg's scheduler included once one has run
    with PeakMemory(children_tree) as memory, CpuMeter() as cpu:
        figures = Figures(docs, IN_PROCESS, full_s=once(), round=round_)
    _cpu(figures, cpu)
    figures.peak_rss_mb = memory.peak_mb
    figures.documents_extracted = _extracted(layout.warehouse)
    figures.warehouse_mb = layout.warehouse.stat().st_size / 2**20
    if unchanged:
        figures.unchanged_s = once()
    return figures


# --- standing LocalExecutor -----------------------------------------------------------------------------------

# The DAG's tasks in run order; all but the mapped fetch and extract run one after another whatever the
# parallelism, so their share of the p=1 run bounds the p=2 speedup (Amdahl's law).
TASK_ORDER = ("discover", "fetch", "plan", "extract", "load", "build", "validate", "publish")
PARALLEL_TASKS = {"fetch", "extract"}


def standing_mode(parallelism: int, one_core: bool = False) -> str:
    """A standing leg's name in the figures, which the report looks its legs up by."""
    return f"standing p={parallelism}" + (" 1 core" if one_core else "")


P1, P2, P1_ONE_CORE = standing_mode(1), standing_mode(2), standing_mode(1, one_core=True)


def standing(catalogue: Path, root: Path, docs: int, parallelism: int, unchanged: bool,
             one_core: bool = False, round_: int = 1) -> Figures:
    from warehouse.remote import Client
    from warehouse.standing import Stack, tagged_processes

    name = f"p{parallelism}" + ("_1core" if one_core else "") + (f"_r{round_}" if round_ > 1 else "")
    warehouse = root / f"standing_{name}" / "ogi.duckdb"
    stack = Stack(home=root / f"airflow_{name}", parallelism=parallelism,
                  extra_env={"OGI_EXTRACT_WORKERS": "1"})
    cores = os.sched_getaffinity(0)
    try:
        if one_core:  # the whole deployment (it inherits this process's CPUs) on one core: a 1-core machine
            os.sched_setaffinity(0, {min(cores)})
        stack.start()
        client = Client(stack.url, "ogi", stack.password)
        client.wait_for_dag()
        conf = {"sources": str(catalogue), "warehouse": str(warehouse), "storage": "", "lock_owner": ""}

        task_s: dict[str, float] = {}

        def once() -> float:
            started = time.perf_counter()
            run = client.follow(client.trigger(conf), poll=1)
            if not run.succeeded:
                raise SystemExit(f"standing refresh failed ({run.failed_tasks}); see {stack.home}")
            took = time.perf_counter() - started
            task_s.clear()
            for ti in client.task_states(run.run_id):  # Airflow's own time per task (summed over mapped ones)
                task_s[ti["task_id"]] = task_s.get(ti["task_id"], 0.0) + (ti.get("duration") or 0.0)
            return took

        with PeakMemory(lambda: tagged_processes(stack.tag)) as memory, CpuMeter() as cpu:
            figures = Figures(docs, standing_mode(parallelism, one_core), full_s=once(), round=round_)
        _cpu(figures, cpu)
        figures.steps_s = {name: task_s[name] for name in TASK_ORDER if name in task_s}
        figures.peak_rss_mb = memory.peak_mb
        figures.documents_extracted = _extracted(warehouse)
        figures.warehouse_mb = warehouse.stat().st_size / 2**20
        if unchanged:
            figures.unchanged_s = once()
        return figures
    finally:
        stack.stop()
        os.sched_setaffinity(0, cores)


def report(rows: list[Figures]) -> None:
    print(f"\n{'docs':>6} {'mode':20} {'full s':>8} {'no-change s':>11} {'ratio':>6} {'extract/s':>9} "
          f"{'peak MB':>8} {'wh MB':>7} {'cores':>5} {'steal':>5}")
    for f in rows:
        ratio = f"{f.unchanged_s / f.full_s:6.1%}" if f.unchanged_s else "     -"
        mode = f.mode + (f" (round {f.round})" if f.round > 1 else "")
        print(f"{f.docs:6d} {mode:20} {f.full_s:8.1f} {f.unchanged_s or 0:11.1f} {ratio} "
              f"{f.extraction_docs_per_s or 0:9.1f} {f.peak_rss_mb or 0:8.0f} {f.warehouse_mb or 0:7.1f} "
              f"{f.cores_busy or 0:5.2f} {f.steal_pct or 0:4.1f}%")
        if f.steps_s:
            print("       steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in f.steps_s.items()))
        if f.unchanged_steps_s:
            print("       no-change steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in f.unchanged_steps_s.items()))
    by_docs: dict[int, dict[str, Figures]] = {}
    for f in rows:  # a mode run in several rounds counts by its fastest: the run the VM slowed least
        best = by_docs.setdefault(f.docs, {}).get(f.mode)
        if best is None or f.full_s < best.full_s:
            by_docs[f.docs][f.mode] = f
    rounds: dict[tuple[int, int], dict[str, float]] = {}
    for f in rows:
        rounds.setdefault((f.docs, f.round), {})[f.mode] = f.full_s
    for (docs, round_), modes_s in sorted(rounds.items()):
        if P1 in modes_s and P2 in modes_s and len({r for d, r in rounds if d == docs}) > 1:
            print(f"{docs} documents, round {round_}: p=1 {modes_s[P1]:.1f} s, p=2 {modes_s[P2]:.1f} s: "
                  f"{modes_s[P1] / modes_s[P2]:.2f}×")
        if IN_PROCESS in modes_s and P2 in modes_s:
            print(f"{docs} documents, round {round_}: in-process {modes_s[IN_PROCESS]:.1f} s, standing p=2 "
                  f"{modes_s[P2]:.1f} s: p=2 / in-process = {modes_s[P2] / modes_s[IN_PROCESS]:.2f}")
    for docs, modes in by_docs.items():
        one, two, single = modes.get(P1), modes.get(P2), modes.get(P1_ONE_CORE)
        if one and two:
            print(f"{docs} documents: standing LocalExecutor speedup p=1 → p=2: {one.full_s / two.full_s:.2f}× "
                  "(fastest of each; target ≥ 1.7×)")
        if single and two:
            print(f"{docs} documents: standing LocalExecutor speedup 1 core (p=1) → 2 cores (p=2): "
                  f"{single.full_s / two.full_s:.2f}×")
        if one and one.cores_busy:
            print(f"{docs} documents: the p=1 run kept {one.cores_busy:.2f} of {os.cpu_count()} cores busy on average, "
                  f"so p=2 can be at most {os.cpu_count() / one.cores_busy:.2f}× faster"
                  + (f" (p=2 kept {two.cores_busy:.2f} busy)" if two and two.cores_busy else ""))
        if one and one.steps_s:
            tasks = sum(s for name, s in one.steps_s.items() if name not in PARALLEL_TASKS)
            serial = one.full_s - sum(s for name, s in one.steps_s.items() if name in PARALLEL_TASKS)
            share = serial / one.full_s
            print(f"{docs} documents: in the p=1 run {serial:.1f} s ({share:.0%}) is not fetch or extract — "
                  f"the serial tasks {tasks:.1f} s, the rest Airflow's start-up and gaps between tasks — "
                  f"which caps p=2 at {1 / (share + (1 - share) / 2):.2f}× (Amdahl)")
        inproc = modes.get(IN_PROCESS)
        if inproc and two:
            print(f"{docs} documents: standing p=2 / in-process = {two.full_s / inproc.full_s:.2f} (fastest of each)")
    extrapolate(by_docs, EXTRAPOLATE_TO)


EXTRAPOLATE_TO = 100_000


def extrapolate(by_docs: dict[int, dict[str, Figures]], docs: int) -> None:
    """Each mode's full refresh at `docs` documents on the line through its two largest measured sizes (the
    issue's "else extrapolated from the measured slope"), and the p=1 → p=2 speedup that follows."""
    sizes = sorted(by_docs)
    if len(sizes) < 2:
        return
    small, large = sizes[-2], sizes[-1]
    at: dict[str, float] = {}
    for mode in by_docs[large]:
        if mode in by_docs[small]:
            a, b = by_docs[small][mode].full_s, by_docs[large][mode].full_s
            slope = (b - a) / (large - small)
            at[mode] = b + slope * (docs - large)
            print(f"{mode}: {slope * 1000:.1f} s per 1k documents → ~{at[mode] / 60:.0f} min at {docs:,} "
                  "(extrapolated)")
    if P1 in at and P2 in at:
        print(f"standing LocalExecutor speedup p=1 → p=2 at {docs:,} documents (extrapolated): "
              f"{at[P1] / at[P2]:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--sources", type=int, default=40)
    parser.add_argument("--modes", nargs="+", default=["steps", "in-process", "standing"],
                        choices=["steps", "in-process", "standing"])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--rounds", type=int, default=2,
                        help="standing p=1, in-process and standing p=2 run this many times, in turn (the VM's "
                             "speed drifts)")
    args = parser.parse_args()
    rows: list[Figures] = []
    for docs in args.docs:
        root = Path(tempfile.mkdtemp(prefix=f"ogi-scale-{docs}-"))
        try:
            started = time.perf_counter()
            catalogue = write_corpus(root, docs, args.sources)
            print(f"{docs} documents generated in {time.perf_counter() - started:.0f} s ({root})", flush=True)
            if "steps" in args.modes:
                rows.append(steps(catalogue, root, docs))
                report(rows[-1:])
            # Each round runs p=1, in-process, p=2 back to back, so that the two comparisons (p=1 → p=2, and
            # p=2 against in-process) are between runs minutes apart, at the VM's speed of the moment.
            legs: list[tuple[str, int, bool, int]] = []
            if "standing" in args.modes:
                legs.append(("standing", 1, True, 1))
            for round_ in range(1, args.rounds + 1):
                legs += [(mode, p, False, round_) for mode, p in (("standing", 1), (IN_PROCESS, 0), ("standing", 2))
                         if mode in args.modes]
            for mode, parallelism, one_core, round_ in legs:
                if mode == IN_PROCESS:
                    rows.append(in_process(catalogue, root, docs, unchanged=round_ == 1, round_=round_))
                else:
                    rows.append(standing(catalogue, root, docs, parallelism,
                                         unchanged=parallelism == 2 and round_ == 1, one_core=one_core, round_=round_))
                report(rows[-1:])
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
            if args.json:
                args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    report(rows)


if __name__ == "__main__":
    main()
