-- Appeals (行政复议 / 行政诉讼), one row per chosen agency-year (all metrics null when the document states none),
-- with coverage, verification and quality verdict.
{{ fact_mart('appeals', ref('int_appeals_agency_year')) }}
