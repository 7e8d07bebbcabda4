"""The `ogi` command's error handling: one clear line, no traceback, nothing written."""

import json

from warehouse.cli import main as ogi

SAMPLE = "samples/corpus/real/hangzhou_govoffice_2024.txt"


def test_bad_catalogue_is_one_line(tmp_path, capsys):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - agency: 某局\n    listing: [ftp://example.org/x]\n", encoding="utf-8")
    assert ogi(["refresh", "--sources", str(bad), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ogi: ") and "\n" not in err and "sources[0]" in err
    assert not (tmp_path / "w.duckdb").exists()


def test_missing_catalogue_and_missing_warehouse(tmp_path, capsys):
    assert ogi(["refresh", "--sources", str(tmp_path / "nope.yaml")]) == 2
    assert "not found" in capsys.readouterr().err
    assert ogi(["status", "--warehouse", str(tmp_path / "w.duckdb")]) == 1  # scripts can tell
    assert "no warehouse published" in capsys.readouterr().out
    assert ogi(["query", "SELECT 1", "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert "run `ogi refresh`" in capsys.readouterr().err


def test_extract_prints_one_json_object_per_file(capsys):
    assert ogi(["extract", SAMPLE, "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["document"]["agency"] == "杭州市人民政府办公厅" and record["document"]["year"] == 2024
    facts = {(f["metric"], f["applicant"]): f["value"] for f in record["facts"]}
    assert facts[("requests.new_received", "total")] == 227
    assert ogi(["extract", "no/such/file.txt"]) == 2
