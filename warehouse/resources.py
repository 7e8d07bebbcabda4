"""Where the project's non-Python parts are, in a checkout and in an installed wheel alike.

`dbt_project/` ships in the wheel as a data-only package beside `warehouse` (pyproject package-data): it is
found through the import system, so a worker that installed the wheel builds the marts from the same
models as a checkout. A missing project is an error, never an empty model set (an empty set once made the
build fingerprint ignore model changes silently).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from warehouse.layout import REPO_ROOT


def dbt_project_dir() -> Path:
    spec = importlib.util.find_spec("dbt_project")
    candidates = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    candidates.append(REPO_ROOT / "dbt_project")  # a checkout run without installing the package
    for folder in candidates:
        if (folder / "dbt_project.yml").is_file():
            return folder
    raise FileNotFoundError("dbt_project/ not found: install the ogi-warehouse package (it ships inside the "
                            f"wheel) or run from a checkout; looked in {', '.join(map(str, candidates))}")
