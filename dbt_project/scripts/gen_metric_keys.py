"""Generate the dbt artefacts that restate extract/metrics.yaml, so the vocabulary has one source.

Writes `seeds/metric_keys.csv` (the seed the pivot macros read the metric columns from) and rewrites
the marked blocks of the model yml files (column docs of the 78 metric columns, the accepted applicant
values). A block is the lines between `# >>> generated: <name>` and `# <<< generated: <name>`; it is
re-indented to its marker, so the hand-written yml around it stays hand-written.

    python dbt_project/scripts/gen_metric_keys.py          # write
    python dbt_project/scripts/gen_metric_keys.py --check  # exit 1 when anything is stale
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

from extract import metrics

PROJECT = Path(__file__).resolve().parents[1]
SEED = PROJECT / "seeds" / "metric_keys.csv"
SEED_COLUMNS = ("metric_group", "metric_key", "position", "label", "description", "is_amount")
_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)# >>> generated: (?P<name>[\w-]+)\n(?P<body>.*?)^[ \t]*# <<< generated: (?P=name)\n",
    re.M | re.S,
)

_APPEAL_PREFIXES = {
    "reconsideration": "administrative reconsiderations",
    "litigation_direct": "lawsuits filed without prior reconsideration",
    "litigation_after_reconsideration": "lawsuits filed after reconsideration",
    "litigation": "lawsuits of both kinds",
}
_APPEAL_OUTCOMES = {
    "upheld": "decision upheld",
    "corrected": "decision corrected (revoked, found unlawful)",
    "other": "other outcome (withdrawn, terminated, dismissed)",
    "pending": "not yet concluded",
    "total": "all cases",
}
ENGLISH = {
    # requests (依申请公开)
    "new_received": "requests received this year",
    "carried_over": "requests carried over from the previous year",
    "granted": "information disclosed in full",
    "partially_granted": "information disclosed in part",
    "denied_state_secret": "not disclosed: state secret",
    "denied_prohibited_by_law": "not disclosed: prohibited by other laws and regulations",
    "denied_three_safeties": "not disclosed: would endanger national, public, economic security or stability",
    "denied_third_party": "not disclosed: protects a third party's lawful rights",
    "denied_internal_affairs": "not disclosed: internal affairs information",
    "denied_process_info": "not disclosed: process (deliberation) information",
    "denied_enforcement_file": "not disclosed: administrative enforcement case file",
    "denied_query_matter": "not disclosed: administrative enquiry matter",
    "denied_total": "not disclosed, all reasons",
    "unavailable_not_held": "cannot be provided: the agency does not hold the information",
    "unavailable_needs_creation": "cannot be provided: the information would have to be created",
    "unavailable_unclear": "cannot be provided: the request is still unclear after correction",
    "unavailable_total": "cannot be provided, all reasons",
    "not_processed_petition": "not processed: a petition, report or complaint",
    "not_processed_repeated": "not processed: a repeated request",
    "not_processed_publication": "not processed: asks for a public publication",
    "not_processed_excessive": "not processed: excessive repeated requests without good reason",
    "not_processed_confirmation": "not processed: asks to confirm or reissue information already obtained",
    "not_processed_total": "not processed, all reasons",
    "other_overdue_correction": "other handling: the applicant did not complete the request in time",
    "other_overdue_fee": "other handling: the applicant did not pay the fee in time",
    "other_other": "other handling: other",
    "other_total": "other handling, all reasons",
    "closed_total": "requests answered (closed) this year",
    "carried_forward": "requests carried forward to next year",
    "legacy_already_public": "pre-2019 form: already proactively published",
    "legacy_not_this_agency": "pre-2019 form: not this agency's information",
    "legacy_not_exist": "pre-2019 form: the information does not exist",
    "legacy_asked_to_amend": "pre-2019 form: applicant told to amend or supplement the request",
    "legacy_redirected": "pre-2019 form: applicant told to use another channel",
    "received_in_person": "requests received in person",
    "received_by_fax": "requests received by fax",
    "received_online": "requests received online or by e-mail",
    "received_by_letter": "requests received by letter",
    # appeals (复议/诉讼) are generated from _APPEAL_PREFIXES x _APPEAL_OUTCOMES
    # publications (主动公开)
    "regulations_issued": "government rules (规章) issued this year",
    "regulations_repealed": "government rules repealed this year",
    "regulations_in_force": "government rules in force (2019 form: total published)",
    "regulations_published": "government rules newly published this year (2019 form)",
    "normative_docs_issued": "administrative normative documents issued this year",
    "normative_docs_repealed": "administrative normative documents repealed this year",
    "normative_docs_in_force": "administrative normative documents in force (2019 form: total published)",
    "normative_docs_published": "administrative normative documents newly published this year (2019 form)",
    "licensing_decisions": "administrative licensing decisions this year",
    "other_services_decisions": "decisions on other external management services (2019 form)",
    "penalty_decisions": "administrative penalty decisions this year",
    "coercion_decisions": "administrative coercion decisions this year",
    "fees_amount_wan_yuan": "administrative fees collected, in 10,000 yuan",
    "procurement_projects": "government centralised procurement projects (2019 form)",
    "procurement_amount_wan_yuan": "government centralised procurement amount, in 10,000 yuan",
    "proactive_items_total": "items of government information proactively published, all channels",
    "website_posts": "items published on the portal website",
    "new_media_posts": "items published on government new-media accounts",
    "policy_interpretations": "policy interpretations published",
    "processing_fees_yuan": "information processing fees charged, in yuan",
}
ENGLISH |= {
    f"{prefix}_{outcome}": f"{who}: {what}"
    for prefix, who in _APPEAL_PREFIXES.items()
    for outcome, what in _APPEAL_OUTCOMES.items()
}


def is_amount(key: str) -> bool:
    """Money columns are DOUBLE (万元 amounts may be decimal); every other metric is a count."""
    return key.endswith("_yuan")


def metric_rows() -> list[dict[str, str | int | bool]]:
    """One row per metric of metrics.yaml, in file order (the mart column order)."""
    labels = metrics.vocabulary()
    return [
        {"metric_group": group, "metric_key": key, "position": position, "label": labels[group][key],
         "description": ENGLISH[key], "is_amount": is_amount(key)}
        for group in metrics.GROUPS
        for position, key in enumerate(metrics.keys(group), start=1)
    ]


def seed_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SEED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in metric_rows():
        writer.writerow(row | {"is_amount": str(row["is_amount"]).lower()})
    return out.getvalue()


def _column_block(group: str) -> list[str]:
    lines = []
    for row in metric_rows():
        if row["metric_group"] != group:
            continue
        # The Chinese label first: BI tools show a column's comment cut to its first words.
        doc = f"{row['label']} — {row['description']}"
        lines += [
            f"- name: {row['metric_key']}",
            f"  description: {json.dumps(doc, ensure_ascii=False)}",
            f"  data_type: {'double' if row['is_amount'] else 'bigint'}",
        ]
    return lines


def blocks() -> dict[str, list[str]]:
    """The generated yml blocks by marker name (lines without indentation)."""
    generated = {f"{group}_columns": _column_block(group) for group in metrics.GROUPS}
    generated["applicants"] = [f"- {name}" for name in metrics.applicants()]
    return generated


def render_yml(text: str) -> str:
    """`text` with every marked block replaced by its generated lines."""
    generated = blocks()

    def fill(match: re.Match[str]) -> str:
        indent, name = match["indent"], match["name"]
        if name not in generated:
            raise KeyError(f"unknown generated block {name!r}")
        body = "".join(f"{indent}{line}\n" for line in generated[name])
        return f"{indent}# >>> generated: {name}\n{body}{indent}# <<< generated: {name}\n"

    return _BLOCK.sub(fill, text)


def targets() -> dict[Path, str]:
    """Every generated file and its expected content."""
    expected = {SEED: seed_csv()}
    for yml in sorted((PROJECT / "models").rglob("*.yml")):
        text = yml.read_text(encoding="utf-8")
        if "# >>> generated:" in text:
            expected[yml] = render_yml(text)
    return expected


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, content in targets().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(path)
        if not check:
            path.write_text(content, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if check else 'wrote'}: {path.relative_to(PROJECT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
