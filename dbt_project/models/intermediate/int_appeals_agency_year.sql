-- Appeals (行政复议 / 行政诉讼) before validation, one row per chosen agency-year (all metrics null when the
-- document states none). marts.fct_appeals is these rows plus the verdict.
{{ agency_year_facts('appeals', ref('int_appeal_facts_pivoted')) }}
