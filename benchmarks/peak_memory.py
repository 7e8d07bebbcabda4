"""Peak resident memory of a group of processes, sampled in a thread while a benchmark runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import psutil


def this_process_tree() -> list[int]:
    """This process and its children (an extraction pool's workers, for one)."""
    me = psutil.Process()
    return [me.pid, *(child.pid for child in me.children(recursive=True))]


class PeakMemory:
    """The peak total RSS, in MB (`peak_mb`), of the processes `pids` names at each sample: by default
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
                    total += psutil.Process(pid).memory_info().rss
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
