-- Every document with its agency and report year resolved: what the extractor read wins, the catalogue's
-- expected agency and the year written in the file name fill the gaps (a PDF text-layer fragment names
-- neither). Also counts each document's facts and error issues, which the choice rule and dim_document use.
with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

fact_counts as (
    select document_id, count(*) as facts
    from {{ ref('stg_raw__facts') }}
    group by document_id
),

error_counts as (
    select document_id, count(*) as error_issues
    from {{ ref('stg_raw__extraction_issues') }}
    where severity = 'error'
    group by document_id
),

resolved as (
    select
        documents.document_id,
        coalesce(nullif(trim(documents.extracted_agency), ''), nullif(trim(documents.expected_agency), ''))
            as agency_name,
        coalesce(documents.extracted_year, documents.year_hint) as report_year,
        documents.kind,
        documents.template,
        documents.published,
        documents.source,
        documents.source_name,
        documents.script,
        documents.partial_period,
        documents.fetched_at,
        documents.media_type,
        coalesce(fact_counts.facts, 0) as facts,
        coalesce(error_counts.error_issues, 0) as error_issues
    from documents
    left join fact_counts on fact_counts.document_id = documents.document_id
    left join error_counts on error_counts.document_id = documents.document_id
)

select
    document_id,
    substr(md5(agency_name), 1, 12) as agency_id,
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
    coalesce(template in ('2021', '2019'), false) as has_standard_tables,
    coalesce(
        kind in ('annual_report', 'work_summary') and agency_name is not null and report_year is not null,
        false
    ) as feeds_facts
from resolved
