"""Progress lines. Tasks run inside Airflow, whose own log lines are noisy; every line of ours carries
a marker so the `ogi refresh` front end can show just these."""

from __future__ import annotations

import sys
import time

MARKER = "[ogi]"


def say(message: str) -> None:
    print(f"{MARKER} {message}", file=sys.stdout, flush=True)


class Counter:
    """Prints "step: i/n …" at most every `every` seconds and at the end."""

    def __init__(self, step: str, total: int, every: float = 2.0) -> None:
        self.step, self.total, self.every = step, total, every
        self.done = 0
        self._last = 0.0

    def tick(self, note: str = "") -> None:
        self.done += 1
        now = time.monotonic()
        if self.done == self.total or now - self._last >= self.every:
            self._last = now
            say(f"{self.step}: {self.done}/{self.total}{' ' + note if note else ''}")
