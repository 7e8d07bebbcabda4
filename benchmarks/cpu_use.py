"""How busy the machine's cores were while a benchmark leg ran, from the kernel's counters (psutil.cpu_times).

A refresh at parallelism 1 still uses both cores in places (DuckDB's and dbt's threads, an extract task's
supervisor beside its worker). The cores it keeps busy on average bound what parallelism 2 can add: p=2 can be
at most (cores / cores busy at p=1) times faster. Steal is the time the hypervisor gave our vCPUs to someone
else: the VM's slow spells, measured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import psutil

_BUSY = ("user", "nice", "system", "irq", "softirq")  # guest time is counted in user by Linux


@dataclass(frozen=True)
class CpuUse:
    cores_busy: float  # average number of cores busy over the leg (every process on the machine)
    steal_share: float  # the share of all CPU time the hypervisor stole


class CpuMeter:
    """`with CpuMeter() as meter: …` then `meter.use`: the machine's CPU use over the block."""

    use: CpuUse | None = None

    def __enter__(self) -> CpuMeter:
        self._start, self._wall = psutil.cpu_times(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        end, wall = psutil.cpu_times(), time.perf_counter() - self._wall
        delta = {name: getattr(end, name) - getattr(self._start, name) for name in end._fields}
        total = sum(delta.values()) - delta.get("guest", 0) - delta.get("guest_nice", 0)  # already in user/nice
        busy = sum(delta.get(name, 0.0) for name in _BUSY)
        self.use = CpuUse(busy / wall if wall else 0.0, delta.get("steal", 0.0) / total if total else 0.0)
