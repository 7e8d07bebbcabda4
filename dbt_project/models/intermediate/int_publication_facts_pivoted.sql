-- Publications facts (主动公开) of the chosen documents, wide: one row per document, one column per
-- `publications` key. The group has no applicant breakdown: only applicant 'total' facts count.
select
    document_id,
    {{ pivot_metrics('publications') }}
from {{ ref('int_facts_chosen') }}
where metric_group = 'publications' and applicant = 'total'
group by document_id
