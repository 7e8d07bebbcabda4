-- The verdict of the latest validation run on each fact row it found failing: one row per mart × agency ×
-- year × applicant (applicant null outside fct_requests) with the failing expectations and their sentences.
-- The fact marts join this; rows without a flag passed (when a run exists) — nothing writes into a mart.
with

latest as (
    select run_id from {{ ref('int_validation_runs') }} where is_latest
),

failures as (
    -- a failing fact row flags its mart row; a failing agency-year of the `changes` suite (chosen figures
    -- that jumped against the last published run) flags the agency-year as a whole (mart 'agency_year');
    -- the extractor's own checks flag nothing here: their figures say confidence = 'conflict'
    select results.* replace (coalesce(results.mart, 'agency_year') as mart)
    from {{ ref('stg_quality__validation_results') }} as results
    inner join latest on latest.run_id = results.run_id
    where
        not results.is_success
        and results.agency_id is not null
        and (results.mart is not null or results.suite = 'changes')
)

select
    mart,
    agency_id,
    report_year,
    applicant,
    string_agg(distinct expectation, ',' order by expectation) as failures,
    string_agg(message, ' | ' order by expectation) as messages
from failures
group by mart, agency_id, report_year, applicant
