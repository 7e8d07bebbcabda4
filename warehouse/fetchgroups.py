"""Which sources one fetch task fetches.

One task per source made a standing scheduler slower than the in-process run: every task pays a process
start, a DAG parse and the imports (seconds each), and 40 sources meant 40 of them for a few seconds of
work. And the per-host rate limit lives inside one fetch task (fetching/fetch.py), so two tasks fetching
from one host at once would each keep it and together break it.

So sources are grouped: sources that share a host (their listing and report URLs, `allow_hosts`) always
land in the same group — the per-host limit then holds across parallel fetch tasks — and the groups are
balanced by their number of sources: two per task slot of the deployment (warehouse/slots.py), at most
MAX_GROUPS. Local-path sources have no host and spread freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from warehouse.slots import task_count

MAX_GROUPS = 8  # fetch tasks per run at most, so one slow site does not hold the others up


def _components(hosts_by_source: dict[str, frozenset[str]]) -> list[list[str]]:
    """Sources linked by a shared host (transitively), in catalogue order."""
    parent = {name: name for name in hosts_by_source}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    first_with_host: dict[str, str] = {}
    for name, hosts in hosts_by_source.items():
        for host in hosts:
            if host in first_with_host:
                parent[root(name)] = root(first_with_host[host])
            else:
                first_with_host[host] = name
    groups: dict[str, list[str]] = {}
    for name in hosts_by_source:
        groups.setdefault(root(name), []).append(name)
    return list(groups.values())


def group(hosts_by_source: dict[str, frozenset[str]], max_groups: int = MAX_GROUPS) -> list[list[str]]:
    """At most `max_groups` groups of source names; sources sharing a host are in one group."""
    components = sorted(_components(hosts_by_source), key=len, reverse=True)
    bins: list[list[str]] = [[] for _ in range(max(1, min(max_groups, len(components))))]
    for component in components:  # largest first into the emptiest group
        min(bins, key=len).extend(component)
    order = {name: i for i, name in enumerate(hosts_by_source)}
    return [sorted(b, key=order.__getitem__) for b in bins if b]


def group_sources(catalogue_file: str | Path, names: Iterable[str], slots: int | None = None) -> list[list[str]]:
    """The named sources of the catalogue in groups, one fetch task each, for a deployment running `slots`
    tasks at once (unknown: MAX_GROUPS groups)."""
    from fetching.catalogue import load_catalogue

    wanted = list(names)
    hosts = {s.name: s.hosts for s in load_catalogue(Path(catalogue_file)).sources}
    return group({name: hosts.get(name, frozenset()) for name in wanted}, task_count(slots, MAX_GROUPS))
