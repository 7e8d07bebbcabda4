"""Extraction workers started from a task process must not re-run the parent's `__main__` script (on a
standing Airflow that script is `airflow`, and every extraction worker died importing it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, multiprocessing, sys
if __name__ != "__main__":
    raise SystemExit(3)  # the child re-ran this script as __mp_main__
sys.path.insert(0, {repo!r})
from warehouse.taskproc import children_without_main
ctx = multiprocessing.get_context("forkserver")
guard = children_without_main() if sys.argv[1] == "guarded" else __import__("contextlib").nullcontext()
with guard:
    child = ctx.Process(target=json.dumps, args=([1],))
    child.start()
    child.join()
print(child.exitcode)
"""


@pytest.mark.parametrize(("mode", "child_ok"), [("guarded", True), ("bare", False)])
def test_children_do_not_rerun_the_parent_script(tmp_path, mode, child_ok):
    script = tmp_path / "airflow"  # a script run by path, as the `airflow` command is
    script.write_text(SCRIPT.format(repo=str(REPO)))
    out = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True, timeout=120)
    assert (out.stdout.strip() == "0") is child_ok, out.stderr[-2000:]


CELERY_POOL_SCRIPT = """
import contextlib, json, multiprocessing, sys
sys.path.insert(0, {repo!r})
import billiard
from warehouse.taskproc import children_without_main

def task(guarded, results):
    try:
        with children_without_main() if guarded else contextlib.nullcontext():
            child = multiprocessing.get_context("forkserver").Process(target=json.dumps, args=([1],))
            child.start()
            child.join()
        results.put(child.exitcode)
    except AssertionError as exc:  # "daemonic processes are not allowed to have children"
        results.put(str(exc))

if __name__ == "__main__":
    context = billiard.get_context("fork")
    results = context.Queue()
    pool_process = context.Process(target=task, args=(sys.argv[1] == "guarded", results), daemon=True)
    pool_process.start()
    print(results.get(timeout=60))
    pool_process.join(60)
"""


@pytest.mark.parametrize(("mode", "expected"), [("guarded", "0"),
                                                ("bare", "daemonic processes are not allowed to have children")])
def test_a_task_forked_from_a_celery_pool_process_may_start_children(tmp_path, mode, expected):
    """A Celery prefork worker's pool processes (billiard's) are daemonic, and so is a task process forked from
    one; its authkey is billiard's type, which the stdlib refuses to hand a child. In a fresh interpreter: a
    forkserver this test process started would not be the pool process's child."""
    pytest.importorskip("billiard")  # Celery's multiprocessing fork (the `celery` extra, in `dev`)
    script = tmp_path / "pool.py"
    script.write_text(CELERY_POOL_SCRIPT.format(repo=str(REPO)))
    out = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == expected, out.stderr[-2000:]
