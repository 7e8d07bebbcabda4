"""Test-session settings: Airflow must never touch ~/airflow, and GX/dbt send no usage statistics."""

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="ogi-test-airflow-")
os.environ.setdefault("AIRFLOW_HOME", _HOME)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
