-- One figure per document × metric × applicant for every document that names an agency-year, chosen or not
-- (quarantined ones too): the standard table's figure over the prose's, the first in the text among equals
-- — the same preference int_facts_chosen applies to the chosen documents. The input of document_conflicts.
with

documents as (
    select document_id, agency_id, agency_name, report_year, source_name, is_chosen, choice_rank, is_quarantined
    from {{ ref('int_documents_ranked') }}
    where agency_name is not null and report_year is not null
),

facts as (
    select
        facts.document_id,
        facts.metric,
        facts.applicant,
        facts.value,
        {{ fact_preference('facts') }} as preference
    from {{ ref('stg_raw__facts') }} as facts
)

select
    documents.*,
    facts.metric,
    facts.applicant,
    facts.value
from facts
inner join documents on documents.document_id = facts.document_id
where facts.preference = 1
