"""`python -m warehouse.dagrun CONF_JSON`: one run of ogi_refresh through Airflow's dag.test().
Exit code 0 only when the DAG run succeeded."""

from __future__ import annotations

import json
import sys

from warehouse import gcsettings


def main(argv: list[str]) -> int:
    from airflow.dag_processing.dagbag import DagBag

    from warehouse.layout import REPO_ROOT

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags" / "ogi_refresh.py"))
    if bag.import_errors:
        print(f"DAG import errors: {bag.import_errors}", file=sys.stderr)
        return 2
    dag = bag.dags["ogi_refresh"]
    gcsettings.collect_less()  # every task runs in this process, on top of Airflow and the parsed DAG
    run = dag.test(run_conf=json.loads(argv[0]) if argv else None)
    state = str(getattr(run, "state", "unknown"))
    print(f"DAG run {getattr(run, 'run_id', '?')} ended {state}", flush=True)
    gcsettings.before_exit()
    return 0 if state.endswith("success") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
