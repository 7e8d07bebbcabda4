-- What the extraction says about each document beside its figures: the identities it tested and how many
-- held or failed (raw.checks), its warnings and errors (raw.extraction_issues) in one readable column, and
-- its partial-year flag — the things that must travel with a document's figures into the marts.
with

documents as (
    select document_id, partial_period
    from {{ ref('stg_raw__documents') }}
),

checks as (
    select
        document_id,
        count(*) filter (where is_ok) as checks_held,
        count(*) filter (where not is_ok) as checks_failed,
        string_agg(check_name, ', ' order by check_name) filter (where not is_ok) as failed_checks
    from {{ ref('stg_raw__checks') }}
    group by document_id
),

issues as (
    select
        document_id,
        count(*) filter (where severity = 'warning') as warning_issues,
        count(*) filter (where severity = 'error') as error_issues,
        string_agg(distinct issue_code, ', ' order by issue_code) as issue_codes,
        string_agg(issue_code || ': ' || coalesce(message, ''), ' | ' order by severity, issue_code, message)
            as extraction_issues
    from {{ ref('stg_raw__extraction_issues') }}
    group by document_id
)

select
    documents.document_id,
    coalesce(documents.partial_period, false) as partial_period,
    coalesce(checks.checks_held, 0) as checks_held,
    coalesce(checks.checks_failed, 0) as checks_failed,
    checks.failed_checks,
    coalesce(issues.warning_issues, 0) as warning_issues,
    coalesce(issues.error_issues, 0) as error_issues,
    issues.issue_codes,
    issues.extraction_issues
from documents
left join checks on checks.document_id = documents.document_id
left join issues on issues.document_id = documents.document_id
