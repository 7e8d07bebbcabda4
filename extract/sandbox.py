"""Extraction of untrusted documents in worker processes, each document under a wall-clock and a memory limit.

A document is hostile input: a PDF whose page contents refer to themselves, a DOCX that inflates to
gigabytes, a table spanning 100,000 columns. A parser caught in one must cost that document only, so the
extractor runs in a small pool of worker processes supervised by the calling process:

- a document still running after `Limits.seconds` has its worker killed (SIGKILL) and replaced; it gets
  a `timeout` issue;
- a worker whose resident memory passes `Limits.memory_mb` while on a document is killed likewise, and a
  MemoryError inside the worker (its address space is also capped, as a backstop for allocations faster
  than the sampling) ends that document only; both give `too_large`;
- a worker that dies any other way gives `internal_error` naming the signal.

Why not `concurrent.futures.ProcessPoolExecutor`: it cannot kill one stuck worker (a timeout on a future
leaves the worker running and a dead worker breaks the whole pool). `pebble` can kill a worker on timeout
but has no memory limit, and the supervisor below, which needs both, is small. Workers are forked from a
forkserver that has imported the extractor once: starting or replacing one costs milliseconds, and it is
never forked from a process running other threads (an Airflow task), which could leave a lock held.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from extract.record import Extraction, Issue

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL_S = 0.02  # how often busy workers are checked against the limits


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0  # wall-clock per document
    memory_mb: int = 768  # resident memory of a worker while it reads one document
    workers: int = 2
    tasks_per_worker: int = 500  # a worker is replaced after this many documents (parsers leak)

    @classmethod
    def from_env(cls, **overrides: Any) -> Limits:
        """Defaults, overridden by OGI_EXTRACT_SECONDS / OGI_EXTRACT_MEMORY_MB / OGI_EXTRACT_WORKERS."""
        env = {"seconds": ("OGI_EXTRACT_SECONDS", float), "memory_mb": ("OGI_EXTRACT_MEMORY_MB", int),
               "workers": ("OGI_EXTRACT_WORKERS", int)}
        values: dict[str, Any] = {}
        for name, (var, kind) in env.items():
            if os.environ.get(var):
                values[name] = kind(os.environ[var])
        return cls(**(values | overrides))


@dataclass(frozen=True)
class Job:
    """One document to extract: its bytes, or the path of a file holding them (read by the worker, so
    the supervisor never holds every document of a batch in memory)."""

    key: str
    source: str
    data: bytes | None = None
    path: str | None = None
    filename: str = ""
    media_type: str | None = None
    charset: str | None = None
    runner: str | None = None  # "module:function" taking the Job, returning the record: tests' stand-ins


@dataclass(frozen=True)
class Outcome:
    key: str
    extraction: dict[str, Any]  # Extraction.to_json()
    seconds: float
    peak_rss_mb: float  # highest resident memory sampled on the worker while it read this document
    killed: str | None = None  # "timeout" | "too_large" | "crashed" when the supervisor ended the document


def failed(source: str, code: str, message: str) -> dict[str, Any]:
    """The extraction record of a document the supervisor had to stop."""
    return Extraction(source=source, issues=[Issue(code, message, "error")]).to_json()


# --- worker side ---------------------------------------------------------------------------------------

def _cap_address_space(memory_mb: int) -> None:
    """A backstop for allocations faster than the supervisor's sampling: the worker's address space may
    grow by twice its resident limit (mapped libraries and thread stacks count here, not in RSS)."""
    try:
        with open("/proc/self/statm") as handle:
            size = int(handle.read().split()[0]) * _PAGE
        cap = size + 2 * memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):  # not Linux: the supervisor's RSS check still applies
        pass


def _extract(job: Job) -> dict[str, Any]:
    from extract import extract_bytes

    if job.runner:
        import importlib

        module, _, name = job.runner.partition(":")
        return getattr(importlib.import_module(module), name)(job)

    data = job.data
    if data is None:
        with open(job.path or "", "rb") as handle:
            data = handle.read()
    return extract_bytes(data, job.source, filename=job.filename, media_type=job.media_type,
                         charset=job.charset).to_json()


def _out_of_memory(extraction: dict[str, Any]) -> bool:
    return any(i["code"] == "internal_error" and "MemoryError" in (i.get("message") or "")
               for i in extraction.get("issues") or [])


def _worker(conn: Connection, memory_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    _cap_address_space(memory_mb)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the supervisor is gone
            return
        if job is None:
            return
        started = time.perf_counter()
        try:
            extraction = _extract(job)
        except MemoryError:
            extraction = {"issues": [{"code": "internal_error", "message": "MemoryError"}]}
        except Exception as exc:  # noqa: BLE001 — reading the job's file failed: that document only
            extraction = failed(job.source, "unreadable", f"{type(exc).__name__}: {exc}"[:300])
        if _out_of_memory(extraction):
            extraction = failed(job.source, "too_large", f"reading it needed more than {memory_mb} MB of memory")
            conn.send((job.key, extraction, time.perf_counter() - started))
            return  # the heap may be left fragmented or inconsistent: a fresh worker takes over
        conn.send((job.key, extraction, time.perf_counter() - started))


# --- supervisor side -----------------------------------------------------------------------------------

def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class _Slot:
    process: Any
    conn: Connection
    done: int = 0
    job: Job | None = None
    started: float = 0.0
    peak_mb: float = 0.0


@dataclass
class ExtractionPool:
    """`with ExtractionPool(limits) as pool: for outcome in pool.run(jobs): …` — outcomes in completion
    order, exactly one per job, whatever the documents do to their workers."""

    limits: Limits = field(default_factory=Limits)
    replaced: int = 0  # workers killed or lost and replaced (for the caller's log)
    peak_rss_mb: float = 0.0  # highest resident memory sampled on any worker

    def __post_init__(self) -> None:
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["extract.extractor", "extract.sandbox"])
        self._slots: list[_Slot] = []

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        mine, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker, args=(theirs, self.limits.memory_mb), daemon=True)
        process.start()
        theirs.close()
        return _Slot(process, mine)

    def _stop(self, slot: _Slot, *, kill: bool) -> None:
        if kill:
            try:
                os.kill(slot.process.pid, signal.SIGKILL)
            except (ProcessLookupError, TypeError):
                pass
        else:
            try:
                slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        slot.process.join(5)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        slot.conn.close()

    def _finish(self, slot: _Slot, extraction: dict[str, Any], killed: str | None = None) -> Outcome:
        assert slot.job is not None
        outcome = Outcome(slot.job.key, extraction, time.perf_counter() - slot.started, slot.peak_mb, killed)
        slot.job, slot.peak_mb = None, 0.0
        return outcome

    def _replace(self, slot: _Slot, *, kill: bool) -> None:
        self._stop(slot, kill=kill)
        self._slots[self._slots.index(slot)] = self._start()
        self.replaced += kill

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        pending = iter(jobs)
        while not self._slots:
            self._slots = [self._start() for _ in range(max(1, self.limits.workers))]
        exhausted = self._hand_out(pending)
        while True:
            busy = [s for s in self._slots if s.job is not None]
            if not busy:
                return
            ready = set(wait([s.conn for s in busy], timeout=_POLL_S))
            # a slot is freed only by ending its document, so only then is there work to hand out
            ended = [outcome for slot in busy if (outcome := self._check(slot, slot.conn in ready)) is not None]
            # The freed workers get their next documents before the caller sees these outcomes: what the caller
            # does with one (checking, writing it out) then overlaps the workers' extraction instead of idling
            # them (with one worker per task, as on a deployment, that was a fifth of an extract task's time).
            if ended and not exhausted:
                exhausted = self._hand_out(pending)
            yield from ended

    def _hand_out(self, pending: Iterator[Job]) -> bool:
        """Give each idle worker its next job; True when there are no more jobs."""
        for slot in self._slots:
            if slot.job is None:
                job = next(pending, None)
                if job is None:
                    return True
                slot.job, slot.started = job, time.perf_counter()
                try:
                    slot.conn.send(job)
                except OSError:  # the worker died between documents: _check finds it lost
                    pass
        return False

    def _check(self, slot: _Slot, ready: bool) -> Outcome | None:
        """The outcome of the slot's document if it ended (or had to be ended), else None."""
        job = slot.job
        assert job is not None
        if ready:
            try:
                key, extraction, _seconds = slot.conn.recv()
            except (EOFError, OSError):
                return self._lost(slot)
            outcome = self._finish(slot, extraction)
            slot.done += 1
            if not slot.process.is_alive() or _out_of_memory_result(extraction):
                self._replace(slot, kill=False)
            elif slot.done >= self.limits.tasks_per_worker:
                self._replace(slot, kill=False)
            return outcome
        rss = _rss_mb(slot.process.pid)
        slot.peak_mb = max(slot.peak_mb, rss)
        self.peak_rss_mb = max(self.peak_rss_mb, rss)
        elapsed = time.perf_counter() - slot.started
        if rss > self.limits.memory_mb:
            outcome = self._finish(slot, failed(job.source, "too_large", f"reading it needed more than "
                                                f"{self.limits.memory_mb} MB of memory; stopped"), "too_large")
            self._replace(slot, kill=True)
            return outcome
        if elapsed > self.limits.seconds:
            outcome = self._finish(slot, failed(job.source, "timeout", f"reading it took longer than "
                                                f"{self.limits.seconds:g} s; stopped"), "timeout")
            self._replace(slot, kill=True)
            return outcome
        if not slot.process.is_alive():
            return self._lost(slot)
        return None

    def _lost(self, slot: _Slot) -> Outcome:
        """The worker died without answering: out of memory (its address-space cap) or a parser crash."""
        job = slot.job
        assert job is not None
        slot.process.join(1)
        code = slot.process.exitcode
        if slot.peak_mb > 0.8 * self.limits.memory_mb:
            outcome = self._finish(slot, failed(job.source, "too_large", f"reading it needed more than "
                                                f"{self.limits.memory_mb} MB of memory"), "too_large")
        else:
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            outcome = self._finish(slot, failed(job.source, "internal_error",
                                                f"the extractor's worker process died ({how})"), "crashed")
        self._replace(slot, kill=True)
        return outcome

    def close(self) -> None:
        for slot in self._slots:
            self._stop(slot, kill=slot.job is not None)
        self._slots = []


def _out_of_memory_result(extraction: dict[str, Any]) -> bool:
    return any(i["code"] == "too_large" and "memory" in (i.get("message") or "")
               for i in extraction.get("issues") or [])


def extract_jobs(jobs: Iterable[Job], limits: Limits | None = None) -> Iterator[Outcome]:
    """Extract `jobs` in a fresh pool (closed at the end)."""
    with ExtractionPool(limits or Limits.from_env()) as pool:
        yield from pool.run(jobs)
