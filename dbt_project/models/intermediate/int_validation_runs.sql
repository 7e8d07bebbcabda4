-- One row per validation run recorded in the warehouse, the latest marked: the run whose verdict the marts
-- carry. Empty before any validation (the marts then say 'unchecked').
with

runs as (
    select
        run_id,
        max(validated_at) as validated_at,
        count(*) filter (where agency_id is null) as expectations,
        count(*) filter (where agency_id is null and not is_success) as expectations_failed
    from {{ ref('stg_quality__validation_results') }}
    group by run_id
)

select
    *,
    row_number() over (order by validated_at desc nulls last, run_id desc) = 1 as is_latest
from runs
