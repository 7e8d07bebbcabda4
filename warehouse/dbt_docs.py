"""`make docs` (python -m warehouse.dbt_docs [WAREHOUSE]): the dbt documentation site of the published
warehouse — every model, column description and the lineage graph — as one static page.

dbt reads the catalog (tables, columns, types) from the database it runs on, and always opens it for
writing: it runs on a copy of the published file, so readers and a refresh are never in its way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse.build import DBT_PROJECT
from warehouse.layout import Layout


def build_docs(layout: Layout) -> Path:
    if not layout.warehouse.exists():
        raise SystemExit(f"no warehouse at {layout.warehouse}: run `make run` first")
    out = layout.root / "dbt_docs"
    with tempfile.TemporaryDirectory(prefix="ogi-docs-") as tmp:
        copy = Path(tmp) / "ogi.duckdb"
        shutil.copyfile(layout.warehouse, copy)
        env = {**os.environ, "OGI_DBT_DATABASE": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        dbt = Path(sys.executable).with_name("dbt")
        cmd = [str(dbt), "docs", "generate", "--static", "--project-dir", str(DBT_PROJECT), "--profiles-dir",
               str(DBT_PROJECT), "--target-path", str(out), "--log-path", str(Path(tmp) / "logs"), "--no-use-colors",
               "--quiet"]
        done = subprocess.run(cmd, env=env, cwd=DBT_PROJECT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"dbt docs generate failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return out / "static_index.html"


def main(argv: list[str]) -> int:
    page = build_docs(Layout.at(argv[0] if argv else None))
    print(f"dbt docs: {page}  (one self-contained page: open it in a browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
