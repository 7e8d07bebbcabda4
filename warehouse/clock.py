"""The time as the warehouse records it: UTC, without a zone, to the second (the raw tables' TIMESTAMP)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
