"""The metric vocabulary (metrics.yaml): the one list of fact keys used by the extractor, the marts,
the quality suites and the evaluation."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

GROUPS = ("requests", "appeals", "publications")


@cache
def vocabulary() -> dict[str, dict[str, str]]:
    """{"applicants": {...}, "requests": {...}, "appeals": {...}, "publications": {...}}."""
    text = files("extract").joinpath("metrics.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {group: {str(k): str(v) for k, v in (items or {}).items()} for group, items in data.items()}


def keys(group: str) -> list[str]:
    """Metric keys of one group, in the order of metrics.yaml (which is the mart column order)."""
    return list(vocabulary()[group])


def applicants() -> list[str]:
    return list(vocabulary()["applicants"])


def all_metrics() -> list[str]:
    """Every "<group>.<key>"."""
    return [f"{g}.{k}" for g in GROUPS for k in keys(g)]
