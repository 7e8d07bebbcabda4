-- One row per expectation per validation run (agency_id null: its summary) plus one per failing fact row
-- (the mart row it flags: mart, agency_id, report_year, applicant), as warehouse/validate.py writes them.
select
    cast(run_id as varchar) as run_id,
    cast(validated_at as timestamp) as validated_at,
    cast(suite as varchar) as suite,
    cast(expectation as varchar) as expectation,
    cast(mart as varchar) as mart,
    cast(agency_id as varchar) as agency_id,
    cast(report_year as integer) as report_year,
    cast(applicant as varchar) as applicant,
    cast(success as boolean) as is_success,
    cast(message as varchar) as message,
    cast(observed as varchar) as observed
from {{ source('quality', 'validation_results') }}
