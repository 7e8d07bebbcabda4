-- One row per extracted fact; the metric "<group>.<key>" is also split into its two parts.
select
    cast(document_id as varchar) as document_id,
    cast(metric as varchar) as metric,
    split_part(metric, '.', 1) as metric_group,
    split_part(metric, '.', 2) as metric_key,
    cast(applicant as varchar) as applicant,
    cast(value as double) as value,
    cast(method as varchar) as method,
    cast(evidence as varchar) as evidence,
    cast("start" as integer) as start_offset,
    cast("end" as integer) as end_offset,
    -- rows loaded before the extractor reported confidence hold null: nothing backed them either
    coalesce(cast(confidence as varchar), 'unverified') as confidence
from {{ source('raw', 'facts') }}
