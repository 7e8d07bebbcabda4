-- Appeals (行政复议 / 行政诉讼), one row per chosen agency-year (all metrics null when the document states none).
{{ agency_year_facts('appeals', ref('int_appeal_facts_pivoted')) }}
