"""The sample-corpus warehouse, refreshed once per test session by the pipeline's steps in order (no
Airflow: the DAG calls the same functions), for the tests that read it as an analyst would."""

from __future__ import annotations

import shutil
from pathlib import Path

from warehouse import pipeline

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "samples" / "sources.yaml"
# The bundled corpus as catalogued there: the one place the tests that count it read the counts from
SAMPLE_DOCUMENTS = 232
SAMPLE_SOURCES = 227
_BUILT: dict[str, Path] = {}


def refresh(warehouse: Path, run_id: str, sources: Path = SOURCES) -> dict:
    """discover → fetch → plan → extract → load → build → validate → publish, as the DAG runs them."""
    w, s = str(warehouse), str(sources)
    names = pipeline.discover(s, w, run_id)
    manifests = [pipeline.fetch(s, w, run_id, name) for name in names]
    extracted = [pipeline.extract_batch(w, run_id, batch) for batch in pipeline.plan_extraction(w, run_id, manifests)]
    loaded = pipeline.load(s, w, run_id, manifests, extracted)
    pipeline.validate(w, run_id, pipeline.build(w, run_id, loaded))
    return pipeline.publish(w, run_id)


def sample_warehouse(tmp_path_factory) -> Path:
    """The published warehouse of the sample corpus (built on first use); treat it as read-only."""
    if "path" not in _BUILT:
        path = tmp_path_factory.mktemp("sample") / "ogi.duckdb"
        refresh(path, "manual__sample_1")
        _BUILT["path"] = path
    return _BUILT["path"]


def copy_of_sample_warehouse(tmp_path_factory) -> Path:
    """A copy of the sample warehouse's whole folder (file, raw store, runs), free to refresh."""
    source = sample_warehouse(tmp_path_factory).parent
    target = tmp_path_factory.mktemp("sample_copy") / "wh"
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".refresh.lock*"))
    return target / "ogi.duckdb"
