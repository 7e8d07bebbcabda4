"""`ogi refresh` against a local site that behaves like a government site, through Airflow: the
warehouse fills from listing pages alone, and a second refresh costs only 304s and extracts nothing."""

from __future__ import annotations

import pytest
from govsite import GOVOFFICE, HUAIAN_PDF, LISTING, LISTING_2, MISSING, GovSite

from warehouse.cli import main as ogi
from warehouse.readonly import rows as query

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    with GovSite() as site:
        catalogue = site.write_catalogue(tmp / "sources.yaml")
        warehouse = tmp / "wh" / "ogi.duckdb"
        assert ogi(["refresh", "--sources", str(catalogue), "--warehouse", str(warehouse)]) == 0
        first_hits = sum(site.hits.values())
        site.reset_counts()
        assert ogi(["refresh", "--sources", str(catalogue), "--warehouse", str(warehouse)]) == 0
        yield site, warehouse, first_hits


def test_first_refresh_logs_every_request(refreshed):
    site, warehouse, _ = refreshed
    (run_id,) = query(warehouse, "SELECT run_id FROM meta.runs ORDER BY started_at LIMIT 1")[0]
    log = query(warehouse, "SELECT url, status, bytes, error FROM raw.fetch_log WHERE run_id = ?", [run_id])
    by_url = {}
    for url, status, size, error in log:
        by_url.setdefault(url, []).append((status, size, error))
    assert by_url[site.url(LISTING)][0][0] == 200 and by_url[site.url(LISTING_2)][0][0] == 200
    assert by_url[site.url(GOVOFFICE)] == [(200, len(site.body(GOVOFFICE)), None)]
    assert by_url[site.url(HUAIAN_PDF)][0][:2] == (200, 412842)
    assert [s for s, _, _ in by_url[site.url(MISSING)]] == [404]  # a 4xx is not retried
    assert any(s is None and e and "timeout" in e for entries in by_url.values() for s, _, e in entries)
    assert any(s == 500 for entries in by_url.values() for s, _, _ in entries)


def test_documents_and_marts_come_from_the_listing_pages(refreshed):
    site, warehouse, _ = refreshed
    documents = dict(query(warehouse, "SELECT source, media_type FROM raw.documents"))
    assert documents[site.url(GOVOFFICE)] == "text/html"
    assert documents[site.url(HUAIAN_PDF)] == "application/pdf"
    govoffice = query(warehouse, """SELECT new_received, carried_over, closed_total, carried_forward, balance_ok
                                    FROM marts.fct_requests WHERE agency_name = '杭州市人民政府办公厅'
                                    AND report_year = 2024 AND applicant = 'total'""")
    assert govoffice == [(227, 18, 229, 16, True)]
    huaian = query(warehouse, """SELECT new_received FROM marts.fct_requests WHERE agency_name = '淮安市人民政府'
                                 AND report_year = 2024 AND applicant = 'natural_person'""")
    assert huaian == [(3001,)]
    errors = query(warehouse, "SELECT source_name, error FROM meta.source_errors")
    assert errors and all(name == "hangzhou_site" for name, _ in errors)


def test_second_refresh_fetches_only_304s_and_extracts_nothing(refreshed):
    site, warehouse, first_hits = refreshed
    runs = query(warehouse, "SELECT run_id, documents_seen, documents_extracted FROM meta.runs ORDER BY started_at")
    assert len(runs) == 2
    first, second = runs
    assert first[2] == first[1] > 3
    assert second[1] == first[1] and second[2] == 0
    log = query(warehouse, "SELECT status, error FROM raw.fetch_log WHERE run_id = ?", [second[0]])
    answered = [status for status, error in log if error is None]
    assert answered and set(answered) == {304}  # every response that succeeded was a 304
    # what failed the first time fails again the same way (404, 500 then 304, timeouts, refusals,
    # oversized bodies aborted before they are stored)
    assert {s for s, e in log if e is not None} <= {404, 500, 302, 200, None}
    # no full body was sent for a report or a listing the second time
    assert site.hits[GOVOFFICE] == 1 and site.hits[LISTING] == 1
    assert sum(site.hits.values()) <= first_hits


def test_two_successful_refreshes_log_no_error(refreshed):
    """An operator looks for errors first: reading a mapped task's values, or a skipped task's, must not log
    Airflow's `XCom not found` (the second refresh skips extract, build and validate)."""
    _, warehouse, _ = refreshed
    log = (warehouse.parent / "logs" / "refresh.log").read_text("utf-8")
    assert log.count("[DAG TEST] end task task_id=publish") == 2
    assert [line for line in log.splitlines() if "[error" in line] == []
    # nor a pass with nothing to run, after which dag.test sleeps a second: plan skips an empty extract itself
    assert "No tasks to run" not in log
