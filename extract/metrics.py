"""The metric vocabulary (metrics.yaml): the one list of fact keys used by the extractor, the marts,
the quality suites and the evaluation."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

GROUPS = ("requests", "appeals", "publications")


@cache
def vocabulary() -> dict[str, dict[str, str]]:
    """{"applicants": {...}, "requests": {...}, "appeals": {...}, "publications": {...}}."""
    # Its labels hold unquoted ": " (e.g. "(narrative: 纠错, …)"), which strict YAML rejects, so the
    # file is read as what it is: top-level group lines and indented "key: label" lines.
    text = files("extract").joinpath("metrics.yaml").read_text(encoding="utf-8")
    groups: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if top := re.match(r"^(\w+):", line):
            current = groups.setdefault(top.group(1), {})
        elif (item := re.match(r"^\s+(\w+):\s*(.*?)\s*(?:#.*)?$", line)) and current is not None:
            current[item.group(1)] = item.group(2)
    return groups


def keys(group: str) -> list[str]:
    """Metric keys of one group, in the order of metrics.yaml (which is the mart column order)."""
    return list(vocabulary()[group])


def applicants() -> list[str]:
    return list(vocabulary()["applicants"])


def all_metrics() -> list[str]:
    """Every "<group>.<key>"."""
    return [f"{g}.{k}" for g in GROUPS for k in keys(g)]
