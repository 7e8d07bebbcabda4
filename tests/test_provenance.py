"""Provenance decides what a source may say (issue 10, finding 1): a page of one source that names another
agency is quarantined — kept, visible with its reason, never chosen — instead of overwriting that agency's
figures; the disagreement is visible in marts.document_conflicts; and when a catalogue lets such a source
report for any agency, the change of the agency's figures against the last published run fails
`changes.chosen_figures_stable`. Runs the steps in-process (dbt and GX, no Airflow)."""

from __future__ import annotations

import shutil
from pathlib import Path

import hostile
import pytest
from steps import refresh

from warehouse.cli import main as ogi
from warehouse.readonly import rows as query

pytestmark = pytest.mark.slow

REAL = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "real"
HUAIAN = "淮安市人民政府"


def _corpus(folder: Path) -> None:
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(REAL / "huaian_city_2024.pdf", corpus / "huaian_city_2024.pdf")
    # Another source's report (2021 tables, a publication date) rewritten to name 淮安市人民政府 2024.
    text = (REAL / "shuyang_county_2025.md").read_text("utf-8")
    text = text.replace("沐阳县人民政府", HUAIAN).replace("沭阳县人民政府", HUAIAN).replace("2025", "2024")
    (corpus / "other_site.md").write_text(text, "utf-8")


def _sources(folder: Path, *, allow_other: bool) -> Path:
    hostile_entry = {"name": "other_site", "agency": "沭阳县人民政府", "paths": ["corpus/other_site.md"]}
    if allow_other:
        hostile_entry["allow_other_agencies"] = True
    return hostile.catalogue(folder, [{"name": "huaian", "agency": HUAIAN, "paths": ["corpus/huaian_city_2024.pdf"]},
                                      hostile_entry])


def _new_received(warehouse: Path) -> tuple:
    return query(warehouse, """SELECT new_received, document_id FROM marts.fct_requests
                               WHERE agency_name = ? AND report_year = 2024 AND applicant = 'total'""", [HUAIAN])[0]


def test_a_page_naming_another_agency_is_quarantined_and_a_permitted_one_trips_the_change_check(tmp_path, capsys):
    _corpus(tmp_path)
    warehouse = tmp_path / "wh" / "ogi.duckdb"
    state = refresh(str(_sources(tmp_path, allow_other=False)), str(warehouse), "first")
    assert state["status"] == "published", state

    documents = query(warehouse, """SELECT source_name, agency_name, is_chosen, is_quarantined, quarantine_reason
                                    FROM marts.dim_document ORDER BY source_name""")
    assert [(d[0], d[1], d[2], d[3]) for d in documents] == [
        ("huaian", HUAIAN, True, False), ("other_site", HUAIAN, False, True)]
    assert documents[1][4].startswith("agency_not_in_source: the document names 淮安市人民政府; source other_site")
    received, chosen = _new_received(warehouse)
    huaian_doc = query(warehouse, "SELECT document_id FROM marts.dim_document WHERE source_name = 'huaian'")[0][0]
    assert chosen == huaian_doc
    conflicts = query(warehouse, """SELECT count(*), bool_and(other_is_quarantined), any_value(chosen_document_id)
                                    FROM marts.document_conflicts WHERE agency_name = ?""", [HUAIAN])[0]
    assert conflicts[0] > 0 and conflicts[1] and conflicts[2] == huaian_doc
    assert ogi(["status", "--warehouse", str(warehouse)]) == 0
    assert "quarantined documents: 1" in capsys.readouterr().out

    # The catalogue now lets that source report for any agency: its newer report is chosen, and the
    # figures of 淮安 2024 move without a new document from 淮安's own source.
    state = refresh(str(_sources(tmp_path, allow_other=True)), str(warehouse), "second")
    assert state["status"] == "published", state
    moved, chosen = _new_received(warehouse)
    assert chosen != huaian_doc and moved != received
    failed = query(warehouse, """SELECT count(*) FROM quality.validation_results v
                                 JOIN marts.dim_agency a USING (agency_id)
                                 WHERE v.run_id = 'second' AND v.expectation = 'changes.chosen_figures_stable'
                                   AND NOT v.success AND a.agency_name = ? AND v.report_year = 2024""", [HUAIAN])
    assert failed == [(1,)]
