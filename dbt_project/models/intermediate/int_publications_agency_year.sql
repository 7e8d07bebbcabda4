-- A table, like int_requests_agency_year and for the same reason: its dbt tests, the validation step and
-- the marts each read it, and as a view each read recomputed the chosen facts (≈ 0.5–0.7 s at 10k documents).
{{ config(materialized='table') }}
-- Proactive disclosure (主动公开) before validation, one row per chosen agency-year (all metrics null when
-- the document states none). marts.fct_publications is these rows plus the verdict.
{{ agency_year_facts('publications', ref('int_publication_facts_pivoted')) }}
