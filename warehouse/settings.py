"""A run's settings, resolved when a task runs — never when the DAG file is parsed.

A DAG file is parsed by the dag-processor and again by every worker, each in its own environment: a
`Param` default taken from the parser's `OGI_WAREHOUSE` once sent a worker without that variable to publish
into its own default folder. So the DAG's params default to "" and each task resolves every setting, in
this order:

1. the run's conf (`ogi refresh` and `ogi refresh --remote` always pass all of them);
2. the Airflow Variable `ogi_<name>` (one place for a whole deployment: `airflow variables set ogi_sources …`);
3. the environment of the process running the task (`OGI_SOURCES`, `OGI_WAREHOUSE`, `OGI_STORAGE`).

A setting found nowhere fails the task with a one-line error; there is no silent default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

REQUIRED = ("sources", "warehouse")
OPTIONAL = ("storage",)  # unset: the warehouse's own folder (warehouse/storage.py)


class SettingMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class RunSettings:
    sources: str
    warehouse: str
    storage: str | None


def _airflow_variable(name: str) -> str | None:
    try:
        from airflow.sdk import Variable

        value = Variable.get(name, default=None)
    except Exception:  # noqa: BLE001 — outside a task (a test, the CLI) there is no Variable to read
        return None
    return str(value) if value not in (None, "") else None


def resolve(params: Mapping[str, Any], variable: Callable[[str], str | None] = _airflow_variable,
            environ: Mapping[str, str] | None = None) -> RunSettings:
    environ = os.environ if environ is None else environ
    found: dict[str, str | None] = {}
    for name in REQUIRED + OPTIONAL:
        value = params.get(name) or variable(f"ogi_{name}") or environ.get(f"OGI_{name.upper()}") or None
        if value is None and name in REQUIRED:
            raise SettingMissing(f"no {name} for this run: pass it in the run's conf, or set the Airflow Variable "
                                 f"ogi_{name}, or OGI_{name.upper()} on the workers")
        found[name] = str(value) if value is not None else None
    return RunSettings(sources=found["sources"] or "", warehouse=found["warehouse"] or "", storage=found["storage"])
