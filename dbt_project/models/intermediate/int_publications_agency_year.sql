-- Proactive disclosure (主动公开) before validation, one row per chosen agency-year (all metrics null when
-- the document states none). marts.fct_publications is these rows plus the verdict.
{{ agency_year_facts('publications', ref('int_publication_facts_pivoted')) }}
