"""`dbt build` of the marts on the database a run is building."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from warehouse.progress import say
from warehouse.resources import dbt_project_dir

DBT_PROJECT = dbt_project_dir()  # in the installed package (wheel) or the checkout
_RESULT_LINE = re.compile(r"\b(\d+) of (\d+) (OK|PASS|ERROR|FAIL|WARN|SKIP)\b(.*)")
_DOTS = re.compile(r"\s*\.*\s*\[.*$")


class BuildFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class BuildResult:
    models: int
    tests: int


PARTIAL_PARSE = "partial_parse.msgpack"
# The name dbt opens the database by, a link to the run's building file in the work folder: dbt parses the
# whole project afresh (2–3 s) whenever its connection settings change, and the building file's own path
# changes every run. Through a link of one name, one run reuses the last run's parse.
DATABASE_LINK = "warehouse.duckdb"


def dbt_build(database: Path, work_dir: Path, *, select: str | None = None,
              exclude: str | None = None, parse_cache: Path | None = None) -> BuildResult:
    """Run `dbt build` (seeds, models and their tests) against `database`; raise BuildFailed with the
    failing nodes when anything fails, since a mart that fails its dbt tests is structurally broken.
    `parse_cache`: a folder that keeps dbt's parse of the project from one build to the next (dbt checks it
    against the project's files and reparses what changed)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    if parse_cache is not None and (parse_cache / PARTIAL_PARSE).is_file():
        (work_dir / "target").mkdir(exist_ok=True)
        shutil.copyfile(parse_cache / PARTIAL_PARSE, work_dir / "target" / PARTIAL_PARSE)
    link = work_dir / DATABASE_LINK
    for leftover in (link, work_dir / f"{DATABASE_LINK}.wal"):  # a killed try's: its build is redone whole
        leftover.unlink(missing_ok=True)
    try:
        os.link(database, link)  # a hard link: DuckDB's lock and writes are the building file's own
        opened = DATABASE_LINK  # relative to dbt's working folder, so the setting is the same every run
    except OSError:  # a file system without hard links: the full path (and a full parse)
        opened = str(database)
    try:
        return _run_dbt(opened, work_dir, select=select, exclude=exclude)
    finally:
        link.unlink(missing_ok=True)
        if parse_cache is not None and (work_dir / "target" / PARTIAL_PARSE).is_file():  # also after a failure
            parse_cache.mkdir(parents=True, exist_ok=True)
            temporary = parse_cache / f".{PARTIAL_PARSE}.{os.getpid()}"
            shutil.copyfile(work_dir / "target" / PARTIAL_PARSE, temporary)
            os.replace(temporary, parse_cache / PARTIAL_PARSE)


def _run_dbt(database: str, work_dir: Path, *, select: str | None, exclude: str | None) -> BuildResult:
    results_file = work_dir / "results.json"
    results_file.unlink(missing_ok=True)
    cmd = [
        sys.executable, "-m", "warehouse.dbt_invoke", str(results_file), "build",
        "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
        # dbt's debug-level file log cost ~15% of a build; its info lines are in dbt.log here as well
        "--log-level-file", "info", "--no-write-json", "--no-use-colors",
    ]
    if select:
        cmd += ["--select", select]
    if exclude:
        cmd += ["--exclude", exclude]
    env = {**os.environ, "OGI_DBT_DATABASE": database, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with open(work_dir / "dbt.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=work_dir, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            if match := _RESULT_LINE.search(line):
                done, total, status, rest = match.groups()
                if status not in {"OK", "PASS"} or done == total or int(done) % 10 == 0:
                    say(f"dbt: {done}/{total} {status} {_DOTS.sub('', rest).strip()}")
        code = proc.wait()
    outcome = json.loads(results_file.read_text()) if results_file.exists() else {"results": [], "error": None}
    failures = [
        f"{r['unique_id']}: {r['status']} {(r.get('message') or '').strip()}"
        for r in outcome["results"]
        if r["status"] in {"error", "fail", "runtime error"}
    ]
    if code != 0 or failures:
        detail = "; ".join(failures[:5]) or outcome.get("error") or f"dbt exited {code}"
        raise BuildFailed(f"dbt build failed: {detail}; see {work_dir / 'dbt.log'}")
    kinds = [r["unique_id"].split(".")[0] for r in outcome["results"]]
    return BuildResult(models=kinds.count("model"), tests=kinds.count("test"))
