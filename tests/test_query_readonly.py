"""`ogi query` is side-effect free (issue 10, finding 8): read-only, no file access, no extensions, its
configuration locked; `--allow-files DIR` opens one folder for analysts' local CSVs."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.cli import main as ogi


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "ogi.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 1 AS a")
    con.close()
    return path


@pytest.mark.parametrize("sql", [
    "COPY marts.t TO '{dir}/out.csv'",
    "EXPORT DATABASE '{dir}/export'",
    "ATTACH '{dir}/new.duckdb' AS n",
    "SELECT * FROM read_csv('{dir}/local.csv')",
    "SELECT * FROM read_text('/etc/hostname')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "CREATE TABLE marts.x (i INT)",
])
def test_query_cannot_write_read_files_or_change_its_settings(warehouse, tmp_path, capsys, sql):
    (tmp_path / "local.csv").write_text("a\n1\n")
    before = warehouse.read_bytes()
    assert ogi(["query", sql.format(dir=tmp_path), "--warehouse", str(warehouse)]) == 2
    assert "query failed" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.csv", "ogi.duckdb"]
    assert warehouse.read_bytes() == before


def test_allow_files_reads_local_csvs_in_that_folder_only(warehouse, tmp_path, capsys):
    (tmp_path / "local.csv").write_text("a\n7\n")
    sql = f"SELECT t.a + l.a AS s FROM marts.t t, read_csv('{tmp_path}/local.csv') l"
    assert ogi(["query", sql, "--warehouse", str(warehouse), "--allow-files", str(tmp_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "8"
    assert ogi(["query", "SELECT * FROM read_text('/etc/hostname')", "--warehouse", str(warehouse),
                "--allow-files", str(tmp_path)]) == 2
