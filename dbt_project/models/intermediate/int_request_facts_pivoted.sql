-- Requests facts of the chosen documents, wide: one row per document × applicant, one column per
-- `requests` key of extract/metrics.yaml (via the metric_keys seed).
-- The standard table breaks 法人或其他组织 into five columns while narratives give only their sum: a
-- document with the five columns and no 'organization' figures gets that row as their sum, so the two
-- kinds of report compare. (A blank table cell may be absent; it counts as the zero it stands for.)
with

by_applicant as (
    {{ pivot_chosen_facts('requests', by_applicant=true) }}
),

organization_sums as (
    select
        document_id,
        'organization' as applicant,
        {%- for key, amount in metric_keys('requests') %}
        cast(sum({{ key }}) as {{ 'double' if amount else 'bigint' }}) as {{ key }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from by_applicant
    where applicant in (
        'commercial_enterprise', 'research_institution', 'public_interest_org', 'legal_service_org', 'other_org'
    )
    group by document_id
    having
        count(*) = 5
        and document_id not in (select document_id from by_applicant where applicant = 'organization')
)

select * from by_applicant
union all by name
select * from organization_sums
