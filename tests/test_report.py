"""The sample-corpus warehouse as an analyst meets it: marts.agency_year, `ogi status`, and the report
site rebuilt at publish — drawn in headless Chromium with no network, screenshots saved and checked.

Screenshots: warehouse_data/test_screenshots/report_{index,quality}.png (kept for a person to look at).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sample_warehouse import REPO, sample_warehouse

from warehouse.cli import main as ogi
from warehouse.layout import Layout
from warehouse.readonly import rows as query

pytestmark = pytest.mark.slow

SCREENSHOTS = REPO / "warehouse_data" / "test_screenshots"
CHARTS = ("year_totals", "received_vs_closed", "ranking", "outcomes", "appeals", "trends", "quality")
WIDTH, HEIGHT = 1200, 2400


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory)


def test_agency_year_answers_without_a_join(warehouse):
    rows = {(a, y): rest for a, y, *rest in query(warehouse, """
        SELECT agency_name, report_year, new_received, carried_over, closed_total, carried_forward, quality_status,
               coverage, partial_period
        FROM marts.agency_year""")}
    assert rows[("杭州市城乡建设委员会", 2023)] == [615, 12, 591, 36, "passed", 0.3667, False]
    assert rows[("杭州市人民政府", 2017)][:5] == [None, None, None, None, "no_figures"]
    assert rows[("杭州市临平区人民政府", 2024)][-1] is True  # 截至11月底: the flag travels with the row
    assert len(rows) == len(query(warehouse, "SELECT 1 FROM marts.dim_document WHERE is_chosen"))


def test_status_counts_warnings_and_names_the_documents(warehouse, capsys):
    assert ogi(["status", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    (warnings,) = query(warehouse, "SELECT count(*) FROM raw.extraction_issues WHERE severity = 'warning'")[0]
    assert warnings > 0 and f"extraction issues: 0 errors, {warnings} warnings" in out
    listed = re.findall(r"^  (\S+) \((.+?) (\d{4}|\?)\): (\d+) errors, (\d+) warnings — (.+)$", out, re.MULTILINE)
    documents = query(warehouse, "SELECT count(DISTINCT document_id) FROM raw.extraction_issues")[0][0]
    assert len(listed) == min(20, documents)  # the twenty with most errors, then by name; the rest counted
    if documents > 20:
        assert f"… and {documents - 20} more documents" in out
    by_source = {source: (agency, year, int(w), codes) for source, agency, year, _, w, codes in listed}
    (hangzhou,) = query(warehouse, """SELECT count(*) FROM raw.extraction_issues i JOIN marts.dim_document d
                                      USING (document_id) WHERE d.source_name = 'hangzhou_city_2017'""")
    assert hangzhou == (1,)  # its one warning: no figures in a report with no tables
    if "hangzhou_city_2017" in by_source:
        assert by_source["hangzhou_city_2017"] == ("杭州市人民政府", "2017", 1, "no_facts")
    assert "no_figures" in out


def test_report_is_built_at_publish_beside_the_warehouse(warehouse):
    site = Layout.at(warehouse).root / "report"
    assert site.is_symlink()  # switched at publish, like data_docs
    for page in ("index.html", "quality.html", "assets/echarts.min.js"):
        assert (site / page).is_file(), page
    for chart in CHARTS:
        csv = (site / "data" / f"{chart}.csv").read_bytes()
        assert csv.startswith(b"\xef\xbb\xbf"), chart  # Excel reads the Chinese
        assert f'href="data/{chart}.csv" download' in (site / "index.html").read_text("utf-8")
    received = (site / "data" / "received_vs_closed.csv").read_text("utf-8-sig").splitlines()
    assert received[0].startswith("agency_name,report_year,new_received,closed_total")
    assert any(line.startswith("杭州市城乡建设委员会,2023,615,591") for line in received)


def test_report_pages_load_nothing_from_the_network(warehouse):
    site = Layout.at(warehouse).root / "report"
    for page in ("index.html", "quality.html"):
        html = (site / page).read_text("utf-8")
        links = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert links and not [u for u in links if re.match(r"^(https?:)?//", u)], page


def test_quality_report_tells_failures_in_sentences_with_agency_names(tmp_path_factory, warehouse):
    # the sample corpus validates clean: break one balance in a copy and rebuild the report from it
    import duckdb

    from warehouse.report import build_site

    copy = tmp_path_factory.mktemp("broken") / "ogi.duckdb"
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy))
    (run,) = con.execute("SELECT run_id FROM quality.validation_results ORDER BY validated_at DESC LIMIT 1"
                         ).fetchone()
    con.execute("""INSERT INTO quality.validation_results (run_id, suite, expectation, agency_id, report_year,
                       success, observed, mart, applicant, message, validated_at)
                   SELECT ?, 'requests', 'requests.balance_identity', agency_id, 2025, false, '{}', 'fct_requests',
                          'total', '新收+上年结转 813+36=849 ≠ 办结+结转下年 718+31=749 (received + carried over ≠ '
                          'closed + carried forward)', now()
                   FROM marts.dim_agency WHERE agency_name = '沭阳县人民政府'""", [run])
    con.close()
    index = build_site(copy, tmp_path_factory.mktemp("site") / "report")
    quality = index.with_name("quality.html").read_text("utf-8")
    assert "沭阳县人民政府" in quality and "新收+上年结转 813+36=849 ≠ 办结+结转下年 718+31=749" in quality
    failures = index.parent.joinpath("data", "failures.csv").read_text("utf-8-sig")
    assert "沭阳县人民政府,2025,total,requests,requests.balance_identity," in failures


# --- in a browser ----------------------------------------------------------------------------------------

def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium not installed: `make system-deps` installs it (make test runs that)")
    return path


def _browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium on a file:// page with every network request refused (no proxy answers, no host
    resolves): what renders, renders offline."""
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
           f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=10000", *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_charts_draw_offline_in_headless_chromium(warehouse, tmp_path):
    index = Layout.at(warehouse).root / "report" / "index.html"
    dom = _browse(index, tmp_path / "profile", "--dump-dom").stdout
    assert f'data-charts-drawn="{len(CHARTS)}"' in dom  # the boot script ran: echarts loaded from assets/
    for chart in CHARTS:
        drawn = re.search(rf'id="chart-{chart}"[^>]*>(.*?)</svg>', dom, re.S)
        assert drawn and drawn.group(1).count("<path") > 3, chart
    assert "杭州市城乡建设委员会 2023" in dom  # a category label, drawn as SVG text


@pytest.mark.parametrize("page", ["index", "quality"])
def test_screenshots_are_the_expected_size_and_not_blank(warehouse, tmp_path, page):
    from PIL import Image, ImageStat

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"report_{page}.png"
    shot.unlink(missing_ok=True)
    source = Layout.at(warehouse).root / "report" / f"{page}.html"
    _browse(source, tmp_path / "profile", f"--screenshot={shot}")
    assert shot.is_file(), f"chromium wrote no screenshot of {page}"
    with Image.open(shot) as image:
        assert image.size == (WIDTH, HEIGHT)
        grey = image.convert("L")
        stddev = ImageStat.Stat(grey).stddev[0]
        colours = len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
    assert stddev > 20, f"{shot} looks blank (pixel stddev {stddev:.1f})"
    # charts draw in several colours; a text-only page is nearly two-tone with anti-aliasing
    assert colours > (200 if page == "index" else 20), (shot, colours)
