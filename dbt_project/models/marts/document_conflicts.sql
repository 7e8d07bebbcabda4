-- Where two documents for one agency-year disagree: one row per agency-year × figure × other document whose
-- figure differs from the chosen document's. Shows the choice (chosen_document_id) next to what it
-- overruled, including quarantined documents (a page of another source that names this agency), so a
-- disagreement is never silent.
with

figures as (
    select * from {{ ref('int_document_figures') }}
),

chosen as (
    select * from figures where is_chosen
),

others as (
    select * from figures where not is_chosen
)

select
    chosen.agency_id,
    chosen.agency_name,
    chosen.report_year,
    chosen.metric,
    chosen.applicant,
    chosen.document_id as chosen_document_id,
    chosen.source_name as chosen_source_name,
    chosen.value as chosen_value,
    others.document_id as other_document_id,
    others.source_name as other_source_name,
    others.value as other_value,
    others.choice_rank as other_choice_rank,
    others.is_quarantined as other_is_quarantined
from chosen
inner join others
    on others.agency_name = chosen.agency_name
    and others.report_year = chosen.report_year
    and others.metric = chosen.metric
    and others.applicant = chosen.applicant
where others.value <> chosen.value
