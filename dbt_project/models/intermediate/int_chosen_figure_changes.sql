-- A table (one row per agency-year, small), not a view like most intermediates: its dbt tests and the
-- validation each read it, and as a view every read recomputed the chosen facts under it (≈ 1–1.5 s a
-- read at 10k documents).
{{ config(materialized='table') }}
-- How far each agency-year's chosen figures moved since the last published run (meta.previous_figures, a
-- snapshot `load` takes of the published facts_long), and whether a new
-- document from the agency's own source explains it. The expectation `changes.chosen_figures_stable`
-- (expectations/changes.py) fails an agency-year that moved by more than its threshold unexplained.
with

previous as (
    select * from {{ source('meta', 'previous_figures') }}
),

current_figures as (
    select agency_id, agency_name, report_year, document_id, metric, applicant, value
    from {{ ref('int_facts_chosen') }}
),

documents as (
    select * from {{ ref('int_documents_resolved') }}
),

sources as (
    select * from {{ ref('stg_raw__sources') }}
),

paired as (
    select
        current_figures.agency_id,
        current_figures.agency_name,
        current_figures.report_year,
        current_figures.document_id,
        previous.document_id as previous_document_id,
        current_figures.metric || '@' || current_figures.applicant as figure,
        abs(current_figures.value - previous.value) / greatest(abs(previous.value), 1) as change_share
    from current_figures
    inner join previous
        on previous.agency_id = current_figures.agency_id
        and previous.report_year = current_figures.report_year
        and previous.metric = current_figures.metric
        and previous.applicant = current_figures.applicant
),

by_agency_year as (
    select
        agency_id,
        any_value(agency_name) as agency_name,
        report_year,
        any_value(document_id) as document_id,
        any_value(previous_document_id) as previous_document_id,
        count(*) as figures_compared,
        max(change_share) as max_change_share,
        arg_max(figure, change_share) as most_changed_figure
    from paired
    group by agency_id, report_year
)

select
    by_agency_year.*,
    by_agency_year.document_id <> by_agency_year.previous_document_id as document_changed,
    -- the agency's own source: its catalogue entry names the agency (not merely allow_other_agencies)
    coalesce(list_contains(sources.source_agencies, by_agency_year.agency_name), false) as from_own_source,
    (by_agency_year.document_id <> by_agency_year.previous_document_id)
        and coalesce(list_contains(sources.source_agencies, by_agency_year.agency_name), false) as explained
from by_agency_year
left join documents on documents.document_id = by_agency_year.document_id
left join sources on sources.source_name = documents.source_name
