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
