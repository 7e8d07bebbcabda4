"""HTML of the report: sections of a chart (an ECharts option), its table and a CSV download, in pages that
load nothing from the network (the chart library sits beside them in assets/)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from warehouse.render import cell

STYLE = """
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0 auto; max-width: 1100px; padding: 1em 2em; color: #222; background: #fff; }
nav a { margin-right: 1.2em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
.en { color: #666; font-weight: normal; font-size: 0.85em; }
.note { color: #444; font-size: 0.9em; }
.chart { width: 100%; border: 1px solid #eee; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.failed { color: #b00020; } .no_figures { color: #a15c00; } .passed { color: #1b6e20; }
.missing { color: #aaa; }
"""
FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"


@dataclass
class Section:
    key: str                      # id of the chart element and name of the CSV file
    title: str                    # Chinese
    title_en: str
    note: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    option: dict[str, Any] | None = None   # the ECharts option; None for a table-only section
    height: int = 360
    extra: list[str] = field(default_factory=list)  # raw HTML after the note (already escaped)


def _td(value: Any) -> str:
    if value is None:
        return '<td class="missing">—</td>'
    text = html.escape(cell(value))
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    css = ' class="num"' if numeric else (f' class="{text}"' if text in ("failed", "no_figures", "passed") else "")
    return f"<td{css}>{text}</td>"


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section(s: Section) -> str:
    parts = [f'<section id="{s.key}"><h2>{html.escape(s.title)} <span class="en">{html.escape(s.title_en)}</span></h2>',
             f'<p class="note">{html.escape(s.note)}</p>', *s.extra]
    if s.option is not None:
        parts.append(f'<div class="chart" id="chart-{s.key}" style="height:{s.height}px"></div>')
    parts.append(f'<p><a href="data/{s.key}.csv" download>CSV 下载 (download)</a> · {len(s.rows)} rows</p>')
    if s.rows:
        parts.append(f"<details{' open' if s.option is None else ''}><summary>表格 (table)</summary>"
                     f"{table(s.columns, s.rows)}</details>")
    else:
        parts.append('<p class="note">没有数据 (no data)</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _json_script(element_id: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


_BOOT = """
<script>
(function () {
  var options = JSON.parse(document.getElementById('chart-options').textContent);
  var drawn = 0;
  Object.keys(options).forEach(function (key) {
    var element = document.getElementById('chart-' + key);
    var chart = echarts.init(element, null, {renderer: 'svg'});
    chart.setOption(options[key]);
    window.addEventListener('resize', function () { chart.resize(); });
    drawn += 1;
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
</script>
"""


def page(title: str, intro: str, sections: list[Section], nav: list[tuple[str, str]]) -> str:
    charts = {s.key: s.option for s in sections if s.option is not None}
    links = "".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in nav)
    toc = " · ".join(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in sections)
    scripts = ('<script src="assets/echarts.min.js"></script>\n' + _json_script("chart-options", charts) + _BOOT
               if charts else "")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<nav>{links}</nav>
<h1>{html.escape(title)}</h1>
<p class="note">{html.escape(intro)}</p>
<p class="note">{toc}</p>
{"".join(section(s) for s in sections)}
{scripts}
</body></html>
"""


# --- ECharts options ------------------------------------------------------------------------------------

def _base(height_rows: int | None = None) -> dict[str, Any]:
    return {"animation": False, "textStyle": {"fontFamily": FONT}, "tooltip": {"trigger": "axis"},
            "legend": {"top": 0}, "grid": {"left": 10, "right": 40, "top": 40, "bottom": 10, "containLabel": True}}


def bars(categories: list[str], series: dict[str, list[Any]], *, horizontal: bool = True, stack: str | None = None,
         percent_axis: bool = False) -> dict[str, Any]:
    option = _base()
    value_axis: dict[str, Any] = {"type": "value"}
    if percent_axis:
        value_axis["axisLabel"] = {"formatter": "{value}%"}
        value_axis["max"] = 100
    category_axis = {"type": "category", "data": categories, "inverse": horizontal}
    option["xAxis"], option["yAxis"] = (value_axis, category_axis) if horizontal else (category_axis, value_axis)
    option["series"] = [{"name": name, "type": "bar", "data": data, **({"stack": stack} if stack else {}),
                         "label": {"show": not stack, "position": "right" if horizontal else "top"}}
                        for name, data in series.items()]
    return option


def lines(categories: list[str], series: dict[str, list[Any]]) -> dict[str, Any]:
    option = _base()
    option["xAxis"] = {"type": "category", "data": categories}
    option["yAxis"] = {"type": "value"}
    option["legend"] = {"top": 0, "type": "scroll"}
    option["series"] = [{"name": name, "type": "line", "data": data, "connectNulls": False, "symbolSize": 8,
                         "label": {"show": True}} for name, data in series.items()]
    return option
