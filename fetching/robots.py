"""robots.txt: read once per host and run, with the catalogue's user agent (RFC 9309 reading).

- 2xx: the rules apply (Python's `urllib.robotparser`; at most `MAX_BYTES` of the file are read);
- 4xx (no file, forbidden): everything is allowed;
- 5xx, 429 after retries, a timeout or a connection error: the site cannot say, so nothing is fetched
  from it in this run (RFC 9309 2.3.1.4: assume complete disallow), and every URL refused says why.
A `Crawl-delay` for our agent slows the host's request rate (bounded by `MAX_CRAWL_DELAY_S`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

MAX_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB must be parsed; more may be ignored
MAX_CRAWL_DELAY_S = 30.0


@dataclass(frozen=True)
class Rules:
    parser: RobotFileParser | None = None  # None: no rules (everything allowed unless `refusal`)
    refusal: str | None = None  # set when nothing may be fetched, with the reason

    def allows(self, agent: str, url: str) -> bool:
        if self.refusal is not None:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        try:
            delay = self.parser.crawl_delay(agent)
        except (TypeError, ValueError):
            return None
        return min(float(delay), MAX_CRAWL_DELAY_S) if delay else None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def rules_from(status: int | None, body: bytes | None, error: str | None) -> Rules:
    """The rules a robots.txt answer sets (status None: no answer, `error` says why)."""
    if status is not None and 200 <= status < 300 and body is not None:
        parser = RobotFileParser()
        parser.parse(body[:MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return Rules(parser=parser)
    if status is not None and 400 <= status < 500 and status != 429:
        return Rules()
    return Rules(refusal=f"robots.txt unreachable ({error or f'HTTP {status}'}), so nothing is fetched "
                         "from this host in this run")


class RobotsCache:
    """Rules per (run, origin), fetched once even when several threads ask at the same moment."""

    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], Rules] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._lock = threading.Lock()

    def rules(self, run_id: str, site: str, fetch: Callable[[], Rules]) -> Rules:
        key = (run_id, site)
        with self._lock:
            if key in self._rules:
                return self._rules[key]
            if len(self._rules) > 1000:  # a long-lived process: forget earlier runs
                self._rules.clear()
                self._locks.clear()
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._rules:
                    return self._rules[key]
            rules = fetch()
            with self._lock:
                self._rules[key] = rules
            return rules


CACHE = RobotsCache()  # one per process: every source of a run shares a host's rules
