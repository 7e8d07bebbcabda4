"""`ogi report`: a static HTML site of charts and a quality report, built from the published warehouse.

    report/index.html     charts: year totals and change, received vs closed, agencies ranked, outcome mix,
                          appeal outcomes and corrected rates, per-agency trends, quality and coverage
    report/quality.html   the latest validation in plain sentences, extraction checks, document issues
    report/data/*.csv     every chart's and table's data (UTF-8 with BOM, so Excel reads the Chinese)
    report/assets/        the chart library (Apache ECharts, vendored): nothing is loaded from the network

Rebuilt at every publish (warehouse/pipeline.py) into the run's folder, `report` beside the warehouse
being a link switched like `data_docs`; `ogi report --out DIR` builds it anywhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from warehouse import readonly
from warehouse.render import write_csv
from warehouse.report import data, page
from warehouse.report.page import Section, bars, lines

ASSETS = Path(__file__).with_name("assets")
NAV = [("index.html", "图表 Charts"), ("quality.html", "数据质量 Quality"), ("../data_docs/index.html",
       "GX Data Docs (needs network for its styles)")]


def _label(row: dict) -> str:
    return f"{row['agency_name']} {row['report_year']}" + (" (非全年)" if row.get("partial_period") else "")


def _records(table: data.Table) -> list[dict]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def _pct(part, whole) -> float | None:
    return None if part is None or not whole else round(100 * part / whole, 1)


def chart_sections(con) -> list[Section]:
    sections = []

    years = data.fetch(con, data.YEAR_TOTALS)
    option = bars([str(y) for y in years.column("report_year")],
                  {"本年新收 received": years.column("new_received"), "办结 closed": years.column("closed_total")},
                  horizontal=False)
    option["yAxis"] = [{"type": "value", "name": "件"},
                       {"type": "value", "name": "同比", "axisLabel": {"formatter": "{value}%"}}]
    # The line is the like-for-like change (agencies reporting in both years): the change of the sums mixes
    # in agencies that start or stop reporting, and is in the table only.
    option["series"].append({"name": "可比机关同比 like-for-like %", "type": "line", "yAxisIndex": 1,
                             "data": [None if v is None else round(100 * v, 1)
                                      for v in years.column("new_received_like_for_like_pct")]})
    sections.append(Section(
        "year_totals", "年度总量与变化", "Year totals and change",
        "All agencies together, full-year reports only (marts.region_year, province = level = 'all'). A sum covers "
        "only the agencies that state the figure (agencies_reporting_requests), so the change of the sums "
        "(new_received_change) mixes in agencies that start or stop reporting; the line is the like-for-like "
        "change over the agencies that report in both years (agencies_comparable), absent where there are none.",
        years.columns, years.rows, option))

    pairs = _records(data.fetch(con, data.RECEIVED_VS_CLOSED))
    table = data.fetch(con, data.RECEIVED_VS_CLOSED)
    sections.append(Section(
        "received_vs_closed", "收到与办结申请", "Requests received vs closed, per agency-year",
        "本年新收 (new_received) and 办结 (closed_total) of every agency-year that states either (marts.agency_year). "
        "An empty bar is a figure the report does not state, not a zero.",
        table.columns, table.rows,
        bars([_label(r) for r in pairs], {"本年新收 received": [r["new_received"] for r in pairs],
                                          "办结 closed": [r["closed_total"] for r in pairs]}),
        height=120 + 44 * len(pairs)))

    ranking = data.fetch(con, data.RANKING)
    ranked = _records(ranking)
    sections.append(Section(
        "ranking", "机关申请量排名", "Agencies ranked by requests received",
        "Each agency's latest year with a request figure; years differ between agencies, so compare with care.",
        ranking.columns, ranking.rows,
        bars([_label(r) for r in ranked], {"本年新收 received": [r["new_received"] for r in ranked]}),
        height=100 + 32 * len(ranked)))

    outcomes = data.fetch(con, data.OUTCOMES)
    mix = _records(outcomes)
    parts = {"予以公开 granted": "granted", "部分公开 partly": "partially_granted", "不予公开 denied": "denied_total",
             "无法提供 unavailable": "unavailable_total", "不予处理 not processed": "not_processed_total",
             "其他处理 other": "other_total"}
    sections.append(Section(
        "outcomes", "办理结果构成", "Outcome mix of closed requests (% of closed_total)",
        "Each outcome as a share of 办结 (closed_total). Categories the report does not state are left out, so a "
        "bar may not reach 100%.",
        outcomes.columns, outcomes.rows,
        bars([_label(r) for r in mix], {name: [_pct(r[key], r["closed_total"]) for r in mix]
                                        for name, key in parts.items()}, stack="share", percent_axis=True),
        height=120 + 40 * len(mix)))

    appeals = data.fetch(con, data.APPEALS)
    cases = _records(appeals)
    series = {}
    for kind, zh in (("reconsideration", "复议"), ("litigation", "诉讼")):
        for outcome, name in (("upheld", "维持"), ("corrected", "纠正"), ("other", "其他"), ("pending", "未审结")):
            series[f"{zh}{name}"] = [r[f"{kind}_{outcome}"] for r in cases]
    option = bars([_label(r) for r in cases], series, stack=None)
    for s in option["series"]:
        s["stack"] = "复议" if s["name"].startswith("复议") else "诉讼"
        s["label"] = {"show": False}
    sections.append(Section(
        "appeals", "行政复议与行政诉讼结果", "Appeal outcomes and corrected rates",
        "Upper bar of each pair: 行政复议 (reconsideration); lower: 行政诉讼 (lawsuits). The table gives the "
        "corrected rates (纠错率 = corrected / concluded cases).",
        appeals.columns, appeals.rows, option, height=120 + 56 * len(cases)))

    trends = data.fetch(con, data.TRENDS)
    points = _records(trends)
    all_years = sorted({r["report_year"] for r in points})
    by_agency: dict[str, dict[int, int]] = {}
    for r in points:
        by_agency.setdefault(r["agency_name"], {})[r["report_year"]] = r["new_received"]
    sections.append(Section(
        "trends", "各机关申请量趋势", "Requests received per agency over the years",
        "One line per agency; a gap is a year without a report or without the figure.",
        trends.columns, trends.rows,
        lines([str(y) for y in all_years], {a: [v.get(y) for y in all_years] for a, v in by_agency.items()})))

    quality = data.fetch(con, data.QUALITY)
    rows = _records(quality)
    colours = {"failed": "#b00020", "no_figures": "#e0a000", "passed": "#2e7d32", "unchecked": "#888888"}
    option = bars([_label(r) for r in rows], {"完整度 coverage %": [
        {"value": round(100 * (r["coverage"] or 0), 1), "itemStyle": {"color": colours.get(r["quality_status"])}}
        for r in rows]}, percent_axis=True)
    counts = data.fetch(con, data.QUALITY_COUNTS)
    summary = ", ".join(f"{status}: {n}" for status, n in counts.rows)
    sections.append(Section(
        "quality", "数据质量与完整度", "Quality and coverage per agency-year",
        f"Coverage = share of the headline figures the report states; bar colour = quality_status (green passed, "
        f"red failed, amber no_figures, grey unchecked). Agency-years by status: {summary}.",
        quality.columns, quality.rows, option, height=120 + 32 * len(rows)))
    return sections


def quality_sections(con) -> tuple[str, list[Section]]:
    run = con.execute(data.LATEST_RUN).fetchone()
    if run is None:
        return "没有校验记录 (no validation has run on this warehouse).", []
    run_id, validated_at, expectations, failed = run
    intro = (f"最近一次校验 (latest validation): run {run_id} at {validated_at}: {expectations} expectations, "
             f"{failed} failed.")
    failures = data.fetch(con, data.FAILURES, [run_id])
    mart_rows = [r for r in failures.rows if r[3] != "extraction_checks"]
    check_rows = [r for r in failures.rows if r[3] == "extraction_checks"]
    issues = data.fetch(con, data.DOCUMENT_ISSUES)
    gaps = data.fetch(con, data.GAPS)
    return intro, [
        Section("gaps", "需要留意的机关年度", "Agency-years to read with care",
                "Rows that failed a check, state no figure (no_figures), have a figure in conflict with the "
                "report's own sums, cover part of the year only, or state less than half the headline figures.",
                gaps.columns, gaps.rows),
        Section("failures", "校验未通过的数据", "Rows failing a Great Expectations check",
                "One line per failing row and check, as a sentence: the figures of the report and the sum that does "
                "not hold. The row keeps its figures, flagged quality_status = 'failed' in the marts.",
                failures.columns, mart_rows),
        Section("extraction_checks", "抽取核对未成立", "Extraction identities that did not hold",
                "The extractor's own arithmetic on each document (raw.checks): identities the printed figures, as "
                "read, break. Their figures carry confidence = 'conflict'.",
                failures.columns, check_rows),
        Section("document_issues", "文档抽取问题", "Extraction warnings and errors by document",
                "Every warning and error the extraction reported, with the document it concerns "
                "(raw.extraction_issues).",
                issues.columns, issues.rows),
    ]


def build_site(warehouse: Path, out: Path) -> Path:
    """Write the site for `warehouse` into `out` (replaced); return the path of its index.html."""
    con = readonly.connect(warehouse)
    try:
        charts = chart_sections(con)
        intro, checks = quality_sections(con)
        # The run that built and validated these marts: a later run that changed nothing keeps this report.
        (run,) = con.execute("SELECT coalesce(arg_max(run_id, validated_at), max(run_id), '?') "
                             "FROM quality.validation_results").fetchone()
    finally:
        con.close()
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    shutil.copytree(ASSETS, out / "assets", ignore=shutil.ignore_patterns("README.md"))
    for s in charts + checks:
        write_csv(out / "data" / f"{s.key}.csv", s.columns, s.rows)
    nav = [(href, text) for href, text in NAV]
    (out / "index.html").write_text(page.page(
        "政府信息公开年报数据 · Open-government-information annual reports",
        f"Built from {warehouse.name} (marts of run {run}). Every chart has its table and a CSV download; "
        "figures a report does not state are missing, never zero.", charts, nav), encoding="utf-8")
    (out / "quality.html").write_text(page.page("数据质量报告 · Quality report", intro, checks, nav), encoding="utf-8")
    return out / "index.html"
