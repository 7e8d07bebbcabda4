-- Requests facts of the chosen documents, wide: one row per document × applicant, one column per
-- `requests` key of extract/metrics.yaml (via the metric_keys seed).
select
    document_id,
    applicant,
    {{ pivot_metrics('requests') }}
from {{ ref('int_facts_chosen') }}
where metric_group = 'requests'
group by document_id, applicant
