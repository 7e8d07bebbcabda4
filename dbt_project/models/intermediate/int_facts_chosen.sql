-- The facts of the chosen documents, one per document × metric × applicant: when the standard table and the
-- prose both state a figure, the table wins (the extractor reports both, plus a warning, when they
-- disagree); among facts of the same method the first one in the text wins.
with

chosen as (
    select * from {{ ref('int_chosen_documents') }}
),

facts as (
    select
        chosen.agency_id,
        chosen.agency_name,
        chosen.report_year,
        facts.document_id,
        facts.metric,
        facts.metric_group,
        facts.metric_key,
        facts.applicant,
        facts.value,
        facts.method,
        facts.evidence,
        facts.start_offset,
        facts.end_offset,
        facts.confidence,
        {{ fact_preference('facts') }} as preference
    from {{ ref('stg_raw__facts') }} as facts
    inner join chosen on chosen.document_id = facts.document_id
)

select * exclude (preference)
from facts
where preference = 1
