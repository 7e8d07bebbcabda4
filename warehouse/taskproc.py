"""What code running inside an Airflow task process must take care of before starting processes of its own.

A task process on a standing deployment is forked from the executor, whose `__main__` is the `airflow`
command's script. Python's `multiprocessing` (spawn and forkserver) starts every child by re-running the
parent's `__main__` from its path: each extraction worker (extract/sandbox.py) then imported Airflow with the
task's masked database URL and died ("Could not parse SQLAlchemy URL"), and every document came out as
`crashed`. `dag.test` never showed it: there `__main__` is `warehouse.dagrun`, imported by name.

On a Celery worker (prefork pool, the default) the task process is forked from one of Celery's pool
processes, which are daemonic, and inherits that flag: `multiprocessing` then refuses to start any child
("daemonic processes are not allowed to have children") and every extract task failed; its authkey is
Celery's (billiard's) type, which the stdlib will not hand a child. The flag exists so
that a pool process's children are not orphaned when the pool ends it; the task process is a process of its
own (the Task SDK's supervisor waits for it), and the extraction pool ends its workers itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
from collections.abc import Iterator
from multiprocessing.process import AuthenticationString


@contextlib.contextmanager
def children_without_main() -> Iterator[None]:
    """While inside, children started by multiprocessing do not re-run the parent's `__main__` script (they
    import what they run by module name, as the extraction pool's workers do), and may be started even when
    this process was forked from a daemonic one (a Celery prefork worker)."""
    with _not_daemonic(), _main_not_rerun():
        yield


@contextlib.contextmanager
def _main_not_rerun() -> Iterator[None]:
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    if main is None or path is None or spec is not None:  # run by module name (python -m): nothing re-run
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


@contextlib.contextmanager
def _not_daemonic() -> Iterator[None]:
    # `_config["daemon"]` is what multiprocessing's start() checks; the public `daemon` setter refuses a running
    # process. Restored afterwards, so the rest of the task process is as Celery made it.
    # Celery's pool (billiard) also leaves its own AuthenticationString as the process's authkey, which the
    # stdlib refuses to pickle when it sends a new child its Process object ("Pickling an AuthenticationString
    # object is disallowed"): the same key, as the stdlib's type, for the duration.
    config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    saved = dict(config)
    authkey = config.get("authkey")
    if not config.get("daemon") and (authkey is None or type(authkey) is AuthenticationString):
        yield
        return
    config["daemon"] = False
    if authkey is not None:
        config["authkey"] = AuthenticationString(bytes(authkey))
    try:
        yield
    finally:
        config.clear()
        config.update(saved)
