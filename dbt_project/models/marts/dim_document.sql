-- One row per document read (every distinct content), its agency-year and whether it is the one chosen.
select
    document_id,
    agency_id,
    agency_name,
    report_year,
    kind,
    template,
    published,
    source,
    source_name,
    script,
    partial_period,
    fetched_at,
    media_type,
    facts,
    error_issues,
    is_chosen,
    choice_rank
from {{ ref('int_documents_ranked') }}
