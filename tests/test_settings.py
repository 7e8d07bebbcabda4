"""Run settings come from the run's conf, then Airflow Variables, then the task's environment — never
from a default baked in when the DAG file was parsed (warehouse/settings.py)."""

import pytest

from warehouse.settings import SettingMissing, resolve


def no_variables(_name: str) -> None:
    return None


def test_conf_wins_over_variables_and_environment():
    got = resolve({"sources": "conf.yaml", "warehouse": "/w/ogi.duckdb", "storage": ""},
                  variable=lambda n: {"ogi_sources": "var.yaml", "ogi_storage": "s3://b/p"}.get(n),
                  environ={"OGI_SOURCES": "env.yaml", "OGI_WAREHOUSE": "/env/ogi.duckdb"})
    assert (got.sources, got.warehouse, got.storage) == ("conf.yaml", "/w/ogi.duckdb", "s3://b/p")


def test_environment_of_the_task_is_the_last_resort():
    got = resolve({"sources": "", "warehouse": ""}, variable=no_variables,
                  environ={"OGI_SOURCES": "env.yaml", "OGI_WAREHOUSE": "/env/ogi.duckdb"})
    assert (got.sources, got.warehouse, got.storage) == ("env.yaml", "/env/ogi.duckdb", None)


def test_a_missing_setting_fails_in_one_line_instead_of_a_default():
    with pytest.raises(SettingMissing, match="no warehouse for this run.*ogi_warehouse.*OGI_WAREHOUSE"):
        resolve({"sources": "s.yaml", "warehouse": ""}, variable=no_variables, environ={})
