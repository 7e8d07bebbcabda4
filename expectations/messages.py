"""Plain bilingual sentences for failed expectations, so a reader sees the arithmetic that does not hold:

    新收+上年结转 813+36=849 ≠ 办结+结转下年 718+31=749 (received + carried over ≠ closed + carried forward)

`describe(name, row)` takes the expectation's stable name and the failing row of the suite's frame (the
mart columns plus the suite's helper columns) and returns one line. Missing figures print as "—"; in the
standard tables a blank cell counts as 0 in the sums, as the suites do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from expectations.base import helper
from extract import metrics

Row = Mapping[str, Any]

SHORT = {"new_received": "新收", "carried_over": "上年结转", "closed_total": "办结", "carried_forward": "结转下年",
         "granted": "予以公开", "partially_granted": "部分公开", "denied": "不予公开", "unavailable": "无法提供",
         "not_processed": "不予处理", "other": "其他处理"}
APPEAL_GROUPS = {"reconsideration": "行政复议", "litigation_direct": "行政诉讼(未经复议直接起诉)",
                 "litigation_after_reconsideration": "行政诉讼(复议后起诉)", "litigation": "行政诉讼"}
APPEAL_OUTCOMES = {"upheld": "维持", "corrected": "纠正", "other": "其他", "pending": "尚未审结"}
OUTCOME_TERMS = ("granted", "partially_granted", "denied", "unavailable", "not_processed", "other")


def figure(value: Any) -> str:
    """A figure as printed: whole numbers without '.0', missing as '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def label(key: str) -> str:
    for group in metrics.GROUPS:
        if key in metrics.vocabulary()[group]:
            return metrics.vocabulary()[group][key].split(",")[0].strip()
    return key


def _balance(row: Row) -> str:
    return (f"新收+上年结转 {figure(row['new_received'])}+{figure(row['carried_over'])}="
            f"{figure(row[helper('balance_lhs')])} ≠ 办结+结转下年 {figure(row['closed_total'])}+"
            f"{figure(row['carried_forward'])}={figure(row[helper('balance_rhs')])} "
            "(received + carried over ≠ closed + carried forward)")


def _outcomes(row: Row) -> str:
    names = "+".join(SHORT[t] for t in OUTCOME_TERMS)
    terms = "+".join(figure(row.get(helper(f"outcome__{t}"))) for t in OUTCOME_TERMS)
    return (f"{names} {terms}={figure(row[helper('outcomes_sum')])} ≠ 办结总计 "
            f"{figure(row[helper('outcomes_closed_total')])} (the outcomes do not add up to closed_total)")


def _reasons_within(category: str) -> Callable[[Row], str]:
    def sentence(row: Row) -> str:
        return (f"{SHORT[category]}各项理由之和 {figure(row[helper(f'{category}_reasons')])} > {SHORT[category]}总数 "
                f"{figure(row[f'{category}_total'])} (the {category} reasons add up to more than {category}_total)")
    return sentence


def _applicants(metric: str) -> Callable[[Row], str]:
    def sentence(row: Row) -> str:
        return (f"{label(metric)}: 自然人+五类法人或其他组织 {figure(row[helper(f'applicants_sum__{metric}')])} ≠ 总计 "
                f"{figure(row[helper(f'applicants_total__{metric}')])} (the applicant columns do not add up to the "
                f"total of {metric})")
    return sentence


def _carried_over(row: Row) -> str:
    year = row.get("report_year")
    previous = f"{int(year) - 1}年" if year is not None and not _missing(year) else "上一年度"
    return (f"上年结转 {figure(row['carried_over'])} ≠ {previous}报告的结转下年 "
            f"{figure(row[helper('previous_carried_forward')])} (carried_over ≠ last year's carried_forward)")


def _appeal_sum(group: str) -> Callable[[Row], str]:
    def sentence(row: Row) -> str:
        names = "+".join(APPEAL_OUTCOMES.values())
        terms = "+".join(figure(row.get(f"{group}_{o}")) for o in APPEAL_OUTCOMES)
        return (f"{APPEAL_GROUPS[group]}: {names} {terms}={figure(row[helper(f'{group}_outcomes_sum')])} ≠ 总计 "
                f"{figure(row.get(f'{group}_total'))} ({group}: upheld + corrected + other + pending ≠ total)")
    return sentence


def _appeal_within(group: str) -> Callable[[Row], str]:
    def sentence(row: Row) -> str:
        return (f"{APPEAL_GROUPS[group]}: 已知结果之和 {figure(row[helper(f'{group}_known_outcomes')])} > 总计 "
                f"{figure(row.get(f'{group}_total'))} ({group}: the known outcomes exceed the total)")
    return sentence


def _litigation_kinds(row: Row) -> str:
    return (f"行政诉讼总计 {figure(row['litigation_total'])} ≠ 直接起诉 {figure(row['litigation_direct_total'])} + "
            f"复议后起诉 {figure(row['litigation_after_reconsideration_total'])} = "
            f"{figure(row[helper('litigation_kinds_sum')])} (litigation_total ≠ direct + after reconsideration)")


def _extraction_check(row: Row) -> str:
    return (f"抽取核对 {row.get('check_name')} 不成立: {row.get('figures')} "
            "(an identity the report should satisfy does not hold in the figures as read)")


def _figure_jump(row: Row) -> str:
    share = row.get("max_change_share")
    moved = "—" if _missing(share) else f"{100 * float(share):.0f}%"
    return (f"选用数字 {row.get('most_changed_figure') or '?'} 较上次发布变动 {moved}, 且无本机关来源的新文档 "
            f"(a chosen figure moved by {moved} against the last published run without a new document from "
            "the agency's own source)")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _sentences() -> dict[str, Callable[[Row], str]]:
    table: dict[str, Callable[[Row], str]] = {
        "requests.balance_identity": _balance,
        "requests.outcomes_sum_to_closed_total": _outcomes,
        "requests.carried_over_matches_previous_year": _carried_over,
        "appeals.litigation_kinds_sum_to_total": _litigation_kinds,
        "extraction.identities_hold": _extraction_check,
        "changes.chosen_figures_stable": _figure_jump,
    }
    table |= {f"requests.{c}_reasons_within_total": _reasons_within(c)
              for c in ("denied", "unavailable", "not_processed", "other")}
    table |= {f"requests.applicants_sum_to_total.{m}": _applicants(m) for m in metrics.keys("requests")}
    for group in APPEAL_GROUPS:
        table[f"appeals.{group}_outcomes_sum_to_total"] = _appeal_sum(group)
        table[f"appeals.{group}_outcomes_within_total"] = _appeal_within(group)
    return table


_SENTENCES = _sentences()


def describe(name: str, row: Row) -> str:
    """One line saying what does not hold on `row` for the expectation `name`."""
    if name in _SENTENCES:
        return _SENTENCES[name](row)
    if ".non_negative." in name:
        column = name.rsplit(".", 1)[1]
        return f"{label(column)} = {figure(row.get(column))}: 负数 (negative figure in {column})"
    if name.endswith(".report_year_in_range"):
        return f"报告年度 {figure(row.get('report_year'))} 超出范围 (report year outside 2008 – the current year)"
    checked = {k: figure(v) for k, v in row.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return f"{name} 不成立 (failed): {checked}"
