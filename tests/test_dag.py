"""The DAG parses without import errors and has the pipeline's shape."""

from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[1] / "dags"


@pytest.fixture(scope="module")
def dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    return bag.dags["ogi_refresh"]


def test_tasks_and_order(dag):
    assert set(dag.task_ids) == {"discover", "fetch", "plan", "extract", "load", "build", "validate",
                                 "publish", "record_failure"}
    downstream = {t: sorted(dag.get_task(t).downstream_task_ids) for t in dag.task_ids}
    assert downstream["discover"] == ["fetch"]
    assert downstream["fetch"] == ["load", "plan"]
    assert downstream["plan"] == ["extract"]
    assert downstream["extract"] == ["load"]
    assert downstream["load"] == ["build", "validate"]  # a short circuit skips both at once
    assert downstream["build"] == ["validate"]
    assert downstream["validate"] == ["publish"]
    assert downstream["publish"] == ["record_failure"]


def test_schedule_and_limits(dag):
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    # weekly, and no start_date: unpausing the DAG must not start a run for the last past Sunday at once
    assert dag.timetable.expression == "0 0 * * 0"
    assert dag.start_date is None
    fetch = dag.get_task("fetch")
    assert fetch.retries == 2 and fetch.retry_exponential_backoff
    assert dag.get_task("load").trigger_rule == "none_failed"
    assert dag.get_task("publish").trigger_rule == "none_failed"  # it publishes after a skipped build too
    assert dag.get_task("record_failure").trigger_rule == "one_failed"


def test_dag_file_imports_nothing_heavy():
    source = (DAGS / "ogi_refresh.py").read_text()
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not any(name in line for line in top_level for name in ("duckdb", "pandas", "dbt", "great_expectations",
                                                                      "extract", "warehouse"))


def test_settings_are_resolved_at_run_time_not_parse_time(dag):
    """The parsing process's OGI_* environment must not become the run's settings (issue 9)."""
    assert all(dag.params[name] == "" for name in ("sources", "warehouse", "storage"))


def test_build_steps_share_one_slot_and_publish_emits_the_asset(dag):
    assert {dag.get_task(t).pool for t in ("load", "build", "validate", "publish")} == {"ogi_build"}
    assert dag.get_task("fetch").pool == "ogi_fetch"
    assert [a.name for a in dag.get_task("publish").outlets] == ["ogi_warehouse"]


def test_the_build_steps_go_to_one_celery_queue_the_others_to_any_worker(dag):
    build = ("load", "build", "validate", "publish", "record_failure")  # record_failure removes the building file
    assert {dag.get_task(t).queue for t in build} == {"ogi_build"}
    assert {dag.get_task(t).queue for t in ("discover", "fetch", "plan", "extract")} == {"default"}
