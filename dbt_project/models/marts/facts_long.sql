-- One row per agency × year × metric × applicant as the chosen document states it: the figure with its
-- Chinese label and English description, how it was read (table cell or prose), how far the report's own
-- arithmetic backs it, and the exact text it was read from. Figures the marts derive (a total from its
-- parts) are not here: only what the report prints.
with

facts as (
    select * from {{ ref('int_facts_chosen') }}
),

labels as (
    select * from {{ ref('metric_keys') }}
),

documents as (
    select document_id, partial_period from {{ ref('int_document_diagnostics') }}
),

quality as (
    select * from {{ ref('int_quality_flags') }}
),

validation as (
    select * from {{ ref('int_validation_runs') }} where is_latest
)

select
    facts.agency_id,
    facts.agency_name,
    facts.report_year,
    facts.document_id,
    facts.metric_group,
    facts.metric_key,
    facts.applicant,
    labels.label,
    labels.description,
    facts.value,
    labels.is_amount,
    facts.method,
    facts.confidence,
    facts.evidence,
    facts.start_offset,
    facts.end_offset,
    documents.partial_period,
    case
        when quality.failures is not null then 'failed'
        when validation.run_id is not null then 'passed'
        else 'unchecked'
    end as quality_status,
    quality.failures as quality_failures
from facts
left join labels on labels.metric_group = facts.metric_group and labels.metric_key = facts.metric_key
left join documents on documents.document_id = facts.document_id
left join quality
    on quality.mart = 'fct_' || facts.metric_group
    and quality.agency_id = facts.agency_id
    and quality.report_year = facts.report_year
    and quality.applicant is not distinct from (case when facts.metric_group = 'requests' then facts.applicant end)
left join validation on true
