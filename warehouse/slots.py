"""How many mapped tasks a step makes (fetch groups, extract batches): two per task slot of the deployment.

A mapped task costs its process, a DAG parse and the imports (about a second on a deployment) whatever its
share of the work. Two per slot keep every slot busy until close to the step's end (a slow group or batch
does not leave the other slot idle for long) while start-ups stay a small part of the step; `most` bounds
the count whatever the slots (the scheduler's own cost per mapped task). Slots unknown: `most`.
"""

from __future__ import annotations

TASKS_PER_SLOT = 2


def task_count(slots: int | None, most: int) -> int:
    """The number of mapped tasks for a deployment running `slots` tasks at once (its core.parallelism)."""
    return most if not slots else max(1, min(most, TASKS_PER_SLOT * slots))
