"""Where a warehouse keeps its files. Everything lives beside the published DuckDB file, so a
warehouse is one folder that can be moved, backed up or deleted as a whole."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WAREHOUSE = Path("warehouse_data/ogi.duckdb")
REPO_ROOT = Path(__file__).resolve().parents[1]


def default_warehouse() -> Path:
    return Path(os.environ.get("OGI_WAREHOUSE", DEFAULT_WAREHOUSE)).resolve()


@dataclass(frozen=True)
class Layout:
    warehouse: Path  # the published database file readers open

    @classmethod
    def at(cls, warehouse: str | os.PathLike[str] | None) -> Layout:
        return cls(Path(warehouse).resolve() if warehouse else default_warehouse())

    @property
    def root(self) -> Path:
        return self.warehouse.parent

    @property
    def store(self) -> Path:
        """Content-addressed raw bytes of every fetched document."""
        return self.root / "store"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    def run_dir(self, run_id: str) -> Path:
        return self.runs / run_id.replace(":", "-").replace("+", "_")

    def building(self, run_id: str) -> Path:
        """The database a run builds; it becomes the warehouse only by an atomic rename."""
        return self.root / f".{self.warehouse.name}.{self.run_dir(run_id).name}.building"

    @property
    def data_docs(self) -> Path:
        """GX Data Docs of the published warehouse: a link to the folder of the run that built it,
        switched at publish time together with the database."""
        return self.root / "data_docs"

    def run_data_docs(self, run_id: str) -> Path:
        return self.run_dir(run_id) / "data_docs"

    @property
    def report(self) -> Path:
        """The charts and quality report of the published warehouse: like data_docs, a link to the folder
        of the run that built its marts, switched at publish time."""
        return self.root / "report"

    def run_report(self, run_id: str) -> Path:
        return self.run_dir(run_id) / "report"

    @property
    def dbt_parse(self) -> Path:
        """dbt's parse of the project, kept from one build to the next (warehouse/build.py)."""
        return self.root / ".dbt_parse"

    @property
    def airflow_home(self) -> Path:
        return self.root / "airflow"

    @property
    def lock(self) -> Path:
        return self.root / ".refresh.lock"
