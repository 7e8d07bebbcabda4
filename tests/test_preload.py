"""The pipeline's modules imported before an executor forks its task processes (warehouse/preload.py), by the
LocalExecutor (warehouse/local_executor.py) and by Celery workers (warehouse/celery_config.py): what is imported
covers what the tasks import, starts no thread (task processes are forked after it), and a module that cannot
be imported is left to its task instead of stopping the scheduler or the worker."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

from warehouse.local_executor import LocalExecutor
from warehouse.preload import TASK_MODULES, preload
from warehouse.standing import Stack

ROOT = Path(__file__).resolve().parents[1]


def _fresh(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _lazy_imports(path: Path) -> set[str]:
    """The modules of this project a file imports inside its functions (when a task runs, not when parsed)."""
    found = set()
    for func in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found |= {n for n in names if n.split(".")[0] in {"warehouse", "fetching", "extract"}}
    return found


def test_preloading_covers_every_module_the_tasks_import_when_they_run():
    lazy = _lazy_imports(ROOT / "dags" / "ogi_refresh.py") | _lazy_imports(ROOT / "warehouse" / "pipeline.py")
    assert {"warehouse.pipeline", "warehouse.validate", "fetching.fetch"} <= lazy  # the scan finds them
    loaded = _fresh(
        "import json, sys\nfrom warehouse.preload import preload\nfailed = preload()\n"
        f"print(json.dumps({{'failed': failed, 'missing': [m for m in {sorted(lazy)!r} if m not in sys.modules "
        "and not hasattr(sys.modules.get(m.rpartition('.')[0]), m.rpartition('.')[2])]}))"
    )
    assert loaded == {"failed": [], "missing": []}


def test_preloading_starts_no_thread_so_forking_after_it_is_safe():
    threads = _fresh(
        "import json, threading\nimport airflow.executors.local_executor\nimport warehouse.celery_config\n"
        "from warehouse.preload import preload\npreload()\n"
        "print(json.dumps({'threads': [t.name for t in threading.enumerate()]}))"
    )
    assert threads == {"threads": ["MainThread"]}


def test_a_module_that_cannot_be_imported_is_left_to_its_task(caplog):
    with caplog.at_level("INFO", logger="warehouse.preload"):
        failed = preload(("json", "ogi_no_such_module"))
    assert failed == ["ogi_no_such_module"]
    assert "could not preload ogi_no_such_module (ModuleNotFoundError" in caplog.text
    assert "preloaded 1 task modules" in caplog.text


def test_the_class_keeps_airflows_name_so_the_deployment_still_reads_as_local():
    from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager
    from airflow.executors.local_executor import LocalExecutor as AirflowLocalExecutor

    assert issubclass(LocalExecutor, AirflowLocalExecutor) and LocalExecutor.is_local
    assert len(TASK_MODULES) == len(set(TASK_MODULES))
    path = f"{LocalExecutor.__module__}.{LocalExecutor.__name__}"
    # Airflow 3.3 warns loudly when a simple-auth deployment "looks like production", from the class name
    assert SimpleAuthManager._looks_like_production(sql_conn="sqlite:///x.db", api_host="127.0.0.1",
                                                    executor=path) is False


def test_celery_workers_preload_with_airflows_own_celery_configuration(tmp_path):
    from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
    from celery.signals import worker_init

    from warehouse import celery_config

    assert celery_config.CELERY_CONFIG == DEFAULT_CELERY_CONFIG
    # a Celery stack's processes name it; Airflow reads the option as a dotted path to the dict
    option = Stack(home=tmp_path, executor="CeleryExecutor").env()["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"]
    module, _, name = option.rpartition(".")
    assert getattr(importlib.import_module(module), name) is celery_config.CELERY_CONFIG
    assert "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS" not in Stack(home=tmp_path).env()
    # connected to the worker's start, which Celery signals before it forks its pool
    assert celery_config.preload_task_modules in [ref() for _, ref in worker_init.receivers]
