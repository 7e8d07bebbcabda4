"""What code running inside an Airflow task process must take care of.

A task process on a standing deployment is forked from the executor, whose `__main__` is the `airflow`
command's script. Python's `multiprocessing` (spawn and forkserver) starts every child by re-running the
parent's `__main__` from its path: each extraction worker (extract/sandbox.py) then imported Airflow with the
task's masked database URL and died ("Could not parse SQLAlchemy URL"), and every document came out as
`crashed`. `dag.test` never showed it: there `__main__` is `warehouse.dagrun`, imported by name.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def children_without_main() -> Iterator[None]:
    """While inside, children started by multiprocessing do not re-run the parent's `__main__` script (they
    import what they run by module name, as the extraction pool's workers do)."""
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
