"""`ogi refresh --rebuild` after the published file was damaged (issue 10, finding 6), through Airflow."""

from __future__ import annotations

from pathlib import Path

import hostile
import pytest

from warehouse.cli import main as ogi
from warehouse.readonly import rows as query

pytestmark = pytest.mark.slow


def test_a_damaged_warehouse_is_refused_then_rebuilt_with_the_damaged_file_kept(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(hostile.sample_text(), "utf-8")
    sources = hostile.catalogue(tmp_path, [{"name": "a", "agency": "杭州市城市管理局", "paths": ["corpus/a.txt"]}])
    warehouse = tmp_path / "wh" / "ogi.duckdb"
    warehouse.parent.mkdir()
    warehouse.write_bytes(b"\0garbage" * 4096)
    args = ["refresh", "--sources", str(sources), "--warehouse", str(warehouse)]
    assert ogi(args) == 2
    assert "--rebuild" in capsys.readouterr().err
    assert ogi([*args, "--rebuild"]) == 0
    kept = list(warehouse.parent.glob("ogi.duckdb.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\0garbage" * 4096
    assert query(warehouse, "SELECT count(*) FROM marts.dim_document")[0][0] == 1
    assert ogi(["status", "--warehouse", str(warehouse)]) == 0
    assert "published" in capsys.readouterr().out
    assert not Path(warehouse.parent / ".refresh.lock").exists()
