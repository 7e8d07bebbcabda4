-- Proactive disclosure (主动公开), one row per chosen agency-year (all metrics null when the document states none).
{{ agency_year_facts('publications', ref('int_publication_facts_pivoted')) }}
