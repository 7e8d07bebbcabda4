"""Peak memory of a group of processes, sampled in a thread while a benchmark runs.

Each process counts by its proportional set size (PSS: its private pages, and its share of the pages it
shares), so processes forked from one parent — an Airflow scheduler's workers and their tasks, an extraction
pool's workers — are not counted once per process for the pages they share. Where the kernel does not give
PSS, resident size (RSS)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import psutil


def _pss_bytes(pid: int) -> int:
    # smaps_rollup, not psutil's memory_full_info(): that parses the whole smaps, one line per mapping, which
    # for a process holding Airflow, pandas and GX is milliseconds per sample, taken from the run it measures
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return psutil.Process(pid).memory_info().rss


def children_tree() -> list[int]:
    """This process's children and theirs (a subprocess the benchmark runs), not this process."""
    return [child.pid for child in psutil.Process().children(recursive=True)]


def this_process_tree() -> list[int]:
    """This process and its children (an extraction pool's workers, for one)."""
    return [psutil.Process().pid, *children_tree()]


class PeakMemory:
    """The peak total PSS, in MB (`peak_mb`), of the processes `pids` names at each sample: by default
    this process and its children; a standing deployment passes its own tagged processes."""

    def __init__(self, pids: Callable[[], Iterable[int]] = this_process_tree, every_s: float = 0.5) -> None:
        self.peak_mb = 0.0
        self._pids, self._every_s, self._stop = pids, every_s, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._pids():
                try:
                    total += _pss_bytes(pid)
                except psutil.Error:
                    pass  # ended between listing and reading
            self.peak_mb = max(self.peak_mb, total / 2**20)
            self._stop.wait(self._every_s)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
