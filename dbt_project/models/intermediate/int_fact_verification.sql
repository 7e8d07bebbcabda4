-- A table, not a view like the other intermediates: its dbt tests, the validation step and the marts each
-- read it, and as a view every one of them recomputed it (≈ 1–1.5 s a read at 10k documents).
{{ config(materialized='table') }}
-- How far each chosen document's own arithmetic backs its figures, per metric group × applicant (the grain
-- of the fact mart rows) and per document over all its figures (metric_group 'all', applicant 'total').
-- The 'organization' row the request mart derives from the five organisation columns is judged on their
-- facts, when the document states no 'organization' figure itself.
with

facts as (
    select document_id, metric_group, applicant, confidence
    from {{ ref('int_facts_chosen') }}
),

organization_parts as (
    select parts.document_id, parts.metric_group, 'organization' as applicant, parts.confidence
    from facts as parts
    where
        parts.applicant in (
            'commercial_enterprise', 'research_institution', 'public_interest_org', 'legal_service_org', 'other_org'
        )
        and not exists (
            select 1 from facts as stated
            where stated.document_id = parts.document_id
                and stated.metric_group = parts.metric_group
                and stated.applicant = 'organization'
        )
),

whole_documents as (
    select document_id, 'all' as metric_group, 'total' as applicant, confidence
    from facts
),

judged as (
    select * from facts
    union all
    select * from organization_parts
    union all
    select * from whole_documents
)

select
    document_id,
    metric_group,
    applicant,
    count(*) as facts_stated,
    count(*) filter (where confidence = 'verified') as facts_verified,
    count(*) filter (where confidence = 'conflict') as facts_conflict,
    case
        when count(*) filter (where confidence = 'conflict') > 0 then 'conflict'
        when count(*) filter (where confidence = 'verified') = count(*) then 'verified'
        when count(*) filter (where confidence = 'verified') > 0 then 'partly_verified'
        else 'unverified'
    end as verification_status
from judged
group by document_id, metric_group, applicant
