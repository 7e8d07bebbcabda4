"""`ogi tables`, `describe`, `export`, `query --format json`, and the CLI's promises to scripts (exit codes,
DuckDB's hints kept, a closed pipe is no traceback), on the sample-corpus warehouse."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import duckdb
import pytest
from sample_warehouse import sample_warehouse

from warehouse.cli import main as ogi
from warehouse.layout import Layout
from warehouse.readonly import rows as query
from warehouse.status import next_steps

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory)


def test_tables_lists_the_marts_first_with_their_descriptions(warehouse, capsys):
    assert ogi(["tables", "--warehouse", str(warehouse), "--format", "json"]) == 0
    tables = json.loads(capsys.readouterr().out)
    assert tables[0]["table"].startswith("marts.")
    by_name = {t["table"]: t for t in tables}
    assert by_name["marts.agency_year"]["comment"].startswith("机关年度总表")
    assert by_name["reference.metric_keys"]["comment"].startswith("指标字典")
    assert {"marts.facts_long", "marts.region_year", "quality.validation_results", "raw.checks"} <= set(by_name)


def test_describe_shows_each_columns_comment(warehouse, capsys):
    assert ogi(["describe", "agency_year", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("marts.agency_year: 机关年度总表")
    assert any(line.split()[:3] == ["new_received", "BIGINT", "本年新收申请"] for line in out.splitlines())
    assert ogi(["describe", "agency_yr", "--warehouse", str(warehouse)]) == 2
    assert "no table agency_yr" in capsys.readouterr().err


def test_export_csv_parquet_xlsx_json(warehouse, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert ogi(["export", "agency_year", "--warehouse", str(warehouse)]) == 0
    csv = (tmp_path / "agency_year.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbfagency_id,agency_name,") and "杭州市城乡建设委员会".encode() in csv
    ((count,),) = query(warehouse, "SELECT count(*) FROM marts.agency_year")

    sql = "SELECT agency_name, report_year, new_received, closed_total FROM marts.agency_year ORDER BY 1, 2"
    assert ogi(["export", sql, "--format", "parquet", "--out", "rc.parquet", "--warehouse", str(warehouse)]) == 0
    parquet = duckdb.sql(f"SELECT * FROM read_parquet('{tmp_path / 'rc.parquet'}')").fetchall()
    assert len(parquet) == count and ("杭州市城乡建设委员会", 2023, 615, 591) in parquet

    assert ogi(["export", "marts.agency_year", "--format", "xlsx", "--warehouse", str(warehouse)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "agency_year.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("agency_id", "agency_name", "province") and len(rows) == count + 1
    assert any(r[1] == "杭州市城乡建设委员会" for r in rows)

    assert ogi(["export", "region_year", "--format", "json", "--out", "r.json", "--warehouse", str(warehouse)]) == 0
    records = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert isinstance(records, list) and {"province", "level", "report_year"} <= set(records[0])
    capsys.readouterr()

    # a query needs a file name; the query itself can write nothing (it runs sandboxed)
    assert ogi(["export", "SELECT 1", "--warehouse", str(warehouse)]) == 2
    assert "--out" in capsys.readouterr().err
    assert ogi(["export", f"SELECT * FROM read_csv('{tmp_path / 'agency_year.csv'}')", "--out", "x.csv",
                "--warehouse", str(warehouse)]) == 2
    assert not (tmp_path / "x.csv").exists()


def test_query_json_is_a_list_of_objects_and_errors_keep_duckdbs_hint(warehouse, capsys):
    assert ogi(["query", "SELECT agency_name, report_year FROM marts.agency_year ORDER BY 1, 2 LIMIT 2",
                "--format", "json", "--warehouse", str(warehouse)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 2 and set(records[0]) == {"agency_name", "report_year"}
    assert ogi(["query", "SELECT * FROM marts.fct_request", "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and 'Did you mean "fct_requests"?' in err


class _ClosedPipe:
    """stdout of `ogi … | head` once head has exited."""

    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly_with_sigpipes_exit_code(warehouse, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert ogi(["query", "SELECT * FROM raw.facts", "--warehouse", str(warehouse)]) == 141
    assert capsys.readouterr().err == ""


def test_the_closing_message_of_a_refresh_names_commands_that_work(warehouse, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    message = next_steps(Layout.at(warehouse))
    commands = re.findall(r"(\.venv/bin/ogi .*)$", message, re.M)
    assert len(commands) >= 5
    for command in commands:
        assert ogi(shlex.split(command)[1:]) == 0, command
    report = Path(message.split("needed): ")[1].splitlines()[0])
    assert report.is_file()
    capsys.readouterr()


def test_report_command_writes_the_site_anywhere(warehouse, tmp_path, capsys):
    assert ogi(["report", "--out", str(tmp_path / "site"), "--warehouse", str(warehouse)]) == 0
    assert str(tmp_path / "site" / "index.html") in capsys.readouterr().out
    site = tmp_path / "site"
    assert (site / "quality.html").is_file() and (site / "assets" / "echarts.min.js").is_file()
