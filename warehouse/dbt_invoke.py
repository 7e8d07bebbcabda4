"""`python -m warehouse.dbt_invoke RESULTS_JSON DBT_ARGS…`: one dbt command through dbt's Python API
(dbtRunner), its node results written to RESULTS_JSON: {"success", "error", "results": [{"unique_id",
"status", "message"}]}. Exit code 0 only when dbt succeeded.

Run in a process of its own (warehouse/build.py), as the `dbt` command would be, so dbt's logging set-up and
its DuckDB connection never live in a task's process. Through the API, the results come back as objects, and
dbt need not write its JSON artifacts (`--no-write-json`): it writes the 1.4 MB manifest.json twice a
command (after parsing, and again with run_results.json at the end), ~1.8 s of a 9 s build at 1k documents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from warehouse import gcsettings


def _status(result: Any) -> str:
    status = result.status
    return str(getattr(status, "value", status))


def main(argv: list[str]) -> int:
    from dbt.cli.main import dbtRunner

    out, args = Path(argv[0]), argv[1:]
    gcsettings.collect_less()
    outcome = dbtRunner().invoke(args)
    results = getattr(outcome.result, "results", None) or []
    out.write_text(json.dumps({
        "success": bool(outcome.success),
        "error": None if outcome.exception is None else f"{type(outcome.exception).__name__}: {outcome.exception}",
        "results": [{"unique_id": r.node.unique_id, "status": _status(r), "message": r.message} for r in results],
    }), encoding="utf-8")
    gcsettings.before_exit()
    return 0 if outcome.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
