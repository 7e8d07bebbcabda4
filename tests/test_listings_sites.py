"""Crawling sites built like the platforms portals run (tests/platform_sites.py): every in-year report
of every listing page (JCMS records reachable only by POST included), none outside the years, nothing
robots.txt disallows, 429 / 503 retried after Retry-After; `ogi discover` finds the column."""

import pytest
from govsite import write_catalogue
from platform_sites import (
    JCMS_AGENCY,
    JCMS_COLUMN,
    JCMS_FORM,
    JCMS_HOME,
    JCMS_OGI,
    JCMS_PROXIES,
    PDF_2022,
    TRS_AGENCY,
    TRS_COLUMN,
    TRS_OGI,
    YEARS,
    in_year_jcms,
    in_year_trs,
    jcms_records,
    jcms_site,
    trs_site,
)

from fetching.catalogue import load_catalogue
from fetching.fetch import fetch_source
from fetching.store import RawStore
from warehouse.cli import main as ogi


def _fetch(site, tmp_path, listing_path, **settings):
    path = write_catalogue(tmp_path / "sources.yaml", listing=[site.url(listing_path)], years=YEARS,
                           name="site", **settings)
    catalogue = load_catalogue(path)
    return fetch_source(catalogue.sources[0], catalogue.settings, RawStore(tmp_path / "store"), run_id="run-1")


def _paths(site, urls):
    return [u.replace(site.base_url, "") for u in urls]


@pytest.mark.parametrize("proxy", JCMS_PROXIES)
def test_jcms_column_every_in_year_report_including_post_only_records(tmp_path, proxy):
    with jcms_site(proxy) as site:
        result = _fetch(site, tmp_path, JCMS_COLUMN)
        posts = [r for r in site.requests if r.method == "POST"]
        hits, robots = dict(site.hits), list(site.robots_requests)
    records = jcms_records()
    wanted = in_year_jcms(records)
    reports = [d for d in result.documents if d.role == "report"]
    assert _paths(site, [d.url for d in reports]) == [r.path for r in wanted]
    assert any(records.index(r) >= 3 for r in wanted)  # some only reachable by POST
    # every POST carried the column's own form, to the page's proxy, one per group of 6 records
    assert len(posts) == 4 and all(r.form == JCMS_FORM and r.path.startswith(proxy + "?") for r in posts)
    assert hits.get(proxy + "?startrecord=4&endrecord=9&perpage=3") == 1
    # none outside the years, nothing robots.txt disallows, the work plan skipped
    outside = [r.path for r in records if r not in wanted]
    assert all(hits.get(path, 0) == 0 for path in outside)
    assert len(robots) == 1  # read once per run
    log = [(e.url.replace(site.base_url, ""), e.status, e.error, e.method) for e in result.log]
    refused = [row for row in log if row[2] and "robots.txt" in row[2]]
    assert {row[0] for row in refused} == {r.path for r in records if r.path.startswith("/art/2020/")}
    assert all(row[1] is None for row in refused)  # refused without a request
    # the 429 was retried after its Retry-After and both answers are in the log
    busy = next(r.path for r in records if r.title == f"{JCMS_AGENCY}2020年政府信息公开工作年度报告")
    assert [row[1:3] for row in log if row[0] == busy] == [(429, "HTTP 429, Retry-After 1 s"), (200, None)]
    # the PDF listed directly and linked from the 2022 page is fetched once, as that listed report
    assert hits[PDF_2022] == 1
    assert result.error is None


def test_jcms_attachment_duplicates_and_correction(tmp_path):
    with jcms_site() as site:
        result = _fetch(site, tmp_path, JCMS_COLUMN)
    by_title = {d.title: d for d in result.documents}
    correction = by_title[f"{JCMS_AGENCY}2023年政府信息公开工作年度报告（更正）"]
    original = by_title[f"{JCMS_AGENCY}2023年政府信息公开工作年度报告"]
    assert correction.document_id != original.document_id  # two contents: both kept, dbt chooses
    ids = [d.document_id for d in result.documents]
    assert len(ids) == len(set(ids))  # each content once


def test_attachment_records_its_report_page(tmp_path):
    with trs_site() as site:
        result = _fetch(site, tmp_path, TRS_COLUMN)
    reports = {d.url: d for d in result.documents if d.role == "report"}
    attachments = [d for d in result.documents if d.role == "attachment"]
    assert attachments and len(attachments) == len(reports)
    for attachment in attachments:
        parent = reports[attachment.referrer]
        assert attachment.parent_document_id == parent.document_id
        assert attachment.media_type == "application/pdf" and attachment.title.endswith(".pdf")


def test_trs_column_pages_every_in_year_report(tmp_path):
    with trs_site() as site:
        result = _fetch(site, tmp_path, TRS_COLUMN)
        hits = dict(site.hits)
        requests = list(site.requests)
    wanted = [r.path for r in in_year_trs()]
    reports = [d for d in result.documents if d.role == "report"]
    assert _paths(site, [d.url for d in reports]) == wanted
    assert hits["/zwgk/zfxxgk/ndbg/index_1.html"] == hits["/zwgk/zfxxgk/ndbg/index_2.html"] == 1
    assert all(TRS_AGENCY in d.title for d in reports)
    # robots.txt disallows the 2019 report for ogi-warehouse (our agent's first word) only
    assert not any(r.path.startswith("/zwgk/zfxxgk/ndbg/202001/") for r in requests)
    # the 503 was retried no sooner than its Retry-After
    busy = [r for r in requests if r.path.startswith("/zwgk/zfxxgk/ndbg/202101/t")]
    assert [r.status for r in busy] == [503, 200] and busy[1].at - busy[0].at >= 0.95
    assert not any("2017" in d.title or "2016" in d.title for d in result.documents)


def test_listing_link_cap_is_logged(tmp_path):
    with jcms_site() as site:
        result = _fetch(site, tmp_path, JCMS_COLUMN, max_listing_links=4)
        posts = [r for r in site.requests if r.method == "POST"]
    reports = [d for d in result.documents if d.role == "report"]
    assert len(reports) <= 4 and len(posts) == 1  # stopped paging once the cap was reached
    [note] = [e for e in result.log if e.method == "NOTE"]
    assert note.url == site.url(JCMS_COLUMN) and note.status is None
    assert note.error.startswith("capped: kept the first 4 report links of this listing (max_listing_links)")
    assert result.error is None  # a cap is a note, not a failure of the source


def test_pipeline_fetch_manifest_keeps_roles_and_parents(tmp_path):
    from warehouse import runstore
    from warehouse.pipeline import discover, fetch

    with trs_site() as site:
        catalogue = write_catalogue(tmp_path / "sources.yaml", listing=[site.url(TRS_COLUMN)], years=YEARS,
                                    name="trs", agency=TRS_AGENCY)
        warehouse = str(tmp_path / "wh" / "ogi.duckdb")
        assert discover(str(catalogue), warehouse, "run-1") == ["trs"]  # the DAG's first step takes the lock
        [manifest] = runstore.read_json([fetch(str(catalogue), warehouse, "run-1", "trs")])
    roles = {d["role"] for d in manifest["documents"]}
    assert roles == {"report", "attachment"}
    assert all(d["parent_document_id"] for d in manifest["documents"] if d["role"] == "attachment")
    assert {e["method"] for e in manifest["log"]} == {"GET"}
    assert sum(e["status"] == 503 for e in manifest["log"]) == 1  # the retried 503 is counted


# --- ogi discover -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("site_factory", "start", "column", "agency"), [
    (jcms_site, JCMS_HOME, JCMS_COLUMN, JCMS_AGENCY),  # portal home → 政务公开 → 政府信息公开年报
    (jcms_site, JCMS_OGI, JCMS_COLUMN, JCMS_AGENCY),  # the 政府信息公开 page
    (trs_site, TRS_OGI, TRS_COLUMN, TRS_AGENCY),  # 信息公开年报 in the menu, relative link
    (trs_site, TRS_COLUMN, TRS_COLUMN, TRS_AGENCY),  # already the column
])
def test_discover_finds_the_column_and_prints_an_entry(tmp_path, capsys, site_factory, start, column, agency):
    with site_factory() as site:
        settings = write_catalogue(tmp_path / "settings.yaml", listing=[site.url(start)], years=YEARS)
        assert ogi(["discover", site.url(start), "--settings", str(settings)]) == 0
    out = capsys.readouterr().out
    entry = next(line for line in out.splitlines() if line.startswith("    listing:"))
    assert entry == f'    listing: ["{site.url(column)}"]'
    assert f"  - agency: {agency}\n" in out
    # ready to paste: it loads as a catalogue
    pasted = tmp_path / "pasted.yaml"
    pasted.write_text("sources:\n" + out, encoding="utf-8")
    assert load_catalogue(pasted).sources[0].listing == (site.url(column),)


def test_discover_reports_when_nothing_is_found(tmp_path, capsys):
    with trs_site() as site:
        settings = write_catalogue(tmp_path / "settings.yaml", listing=[site.url(TRS_OGI)], years=YEARS)
        code = ogi(["discover", site.url("/zwgk/zfxxgk/ndbg/202501/t20250115_7001.html"), "--settings",
                    str(settings)])
    assert code == 2 and "no annual-report column found" in capsys.readouterr().err
