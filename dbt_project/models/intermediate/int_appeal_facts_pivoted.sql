-- Appeals facts (行政复议/行政诉讼) of the chosen documents, wide: one row per document, one column per
-- `appeals` key. The group has no applicant breakdown: only applicant 'total' facts count.
select
    document_id,
    {{ pivot_metrics('appeals') }}
from {{ ref('int_facts_chosen') }}
where metric_group = 'appeals' and applicant = 'total'
group by document_id
