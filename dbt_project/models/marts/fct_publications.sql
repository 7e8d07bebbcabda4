-- Proactive disclosure (主动公开), one row per chosen agency-year (all metrics null when the document states
-- none), with coverage, verification and quality verdict.
{{ fact_mart('publications', ref('int_publications_agency_year')) }}
