-- One row per document read (every distinct content), its agency-year and whether it is the one chosen:
-- the ranked documents without the choice rule's own inputs, plus what the extraction says about them
-- (identities held and failed, warnings).
with

ranked as (
    select * exclude (has_standard_tables, feeds_facts)
    from {{ ref('int_documents_ranked') }}
),

diagnostics as (
    select * from {{ ref('int_document_diagnostics') }}
)

select
    ranked.*,
    diagnostics.checks_held,
    diagnostics.checks_failed,
    diagnostics.failed_checks,
    diagnostics.warning_issues,
    diagnostics.issue_codes
from ranked
left join diagnostics on diagnostics.document_id = ranked.document_id
