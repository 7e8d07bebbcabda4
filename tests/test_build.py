"""`dbt build` as the pipeline runs it (warehouse/build.py): a failing dbt test fails the build and is named,
and one build reuses the last one's parse of the project although each builds another file."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from sample_warehouse import SAMPLE_DOCUMENTS, sample_warehouse

from warehouse.build import DATABASE_LINK, BuildFailed, dbt_build
from warehouse.pipeline import AFTER_VALIDATION

pytestmark = pytest.mark.slow


def test_a_failing_dbt_test_fails_the_build_by_name_and_the_next_build_reuses_the_parse(tmp_path_factory, tmp_path):
    published = sample_warehouse(tmp_path_factory)
    broken, clean = tmp_path / "broken.duckdb", tmp_path / "clean.duckdb"
    shutil.copyfile(published, broken)
    shutil.copyfile(published, clean)
    con = duckdb.connect(str(broken))
    con.execute("UPDATE raw.facts SET method = 'ocr' WHERE rowid = (SELECT min(rowid) FROM raw.facts)")
    con.close()
    cache = tmp_path / "parse"

    with pytest.raises(BuildFailed, match=r"accepted_values_stg_raw__facts_method.*: fail"):
        dbt_build(broken, tmp_path / "broken_run", exclude=AFTER_VALIDATION, parse_cache=cache)
    assert (cache / "partial_parse.msgpack").is_file()

    parsed = (cache / "partial_parse.msgpack").read_bytes()
    result = dbt_build(clean, tmp_path / "clean_run", exclude=AFTER_VALIDATION, parse_cache=cache)
    assert result.models > 20 and result.tests > 100
    # dbt opened both files through a link of one name, so its settings matched and it kept the parse as it
    # was (a new parse is written with its own time and invocation id)
    assert (cache / "partial_parse.msgpack").read_bytes() == parsed
    assert not (tmp_path / "clean_run" / DATABASE_LINK).exists()  # the link is gone, the file is built
    con = duckdb.connect(str(clean), read_only=True)
    assert con.execute("SELECT count(*) FROM marts.dim_document").fetchone()[0] == SAMPLE_DOCUMENTS
    con.close()
