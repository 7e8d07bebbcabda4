"""The refresh run step by step in this process (no Airflow): what the DAG's tasks call, in order."""

from __future__ import annotations

from typing import Any

from warehouse import pipeline


def refresh(sources: str, warehouse: str, run_id: str) -> dict[str, Any]:
    """One refresh; on failure the run's final state is written (as the DAG's record_failure does)."""
    try:
        names = pipeline.discover(sources, warehouse, run_id)
        manifests = [pipeline.fetch(sources, warehouse, run_id, name) for name in names]
        batches = pipeline.plan_extraction(warehouse, run_id, manifests)
        extracted = [pipeline.extract_batch(warehouse, run_id, batch) for batch in batches]
        loaded = pipeline.load(sources, warehouse, run_id, manifests, extracted)
        built = pipeline.build(warehouse, run_id, loaded)
        pipeline.validate(warehouse, run_id, built)
        return pipeline.publish(warehouse, run_id)
    except Exception:
        return pipeline.record_failure(warehouse, run_id)


def load_only(sources: str, warehouse: str, run_id: str) -> dict[str, Any]:
    """discover → fetch → plan → extract → load: the building database of the run (not published)."""
    names = pipeline.discover(sources, warehouse, run_id)
    manifests = [pipeline.fetch(sources, warehouse, run_id, name) for name in names]
    batches = pipeline.plan_extraction(warehouse, run_id, manifests)
    extracted = [pipeline.extract_batch(warehouse, run_id, batch) for batch in batches]
    return pipeline.load(sources, warehouse, run_id, manifests, extracted)
