-- Every document with its agency and report year resolved: what the extractor read wins, the catalogue's
-- expected agency and the year written in the file name fill the gaps (a PDF text-layer fragment names
-- neither). Also counts each document's facts and error issues, which the choice rule and dim_document use.
--
-- Provenance decides what a source may say: a document is quarantined — kept, visible in dim_document with
-- its reason, never chosen for a mart — when it names an agency its catalogue entry does not (`agency`,
-- `agencies`; `allow_other_agencies: true` opts out), or when its extraction record could not be loaded.
-- Without this, any page could overwrite any agency's figures by naming it.
with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

fact_counts as (
    select document_id, count(*) as facts
    from {{ ref('stg_raw__facts') }}
    group by document_id
),

sources as (
    select * from {{ ref('stg_raw__sources') }}
),

load_errors as (
    select * from {{ ref('stg_raw__load_errors') }}
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
        coalesce(error_counts.error_issues, 0) as error_issues,
        nullif(trim(documents.extracted_agency), '') as named_agency,
        -- a source not in raw.sources (loaded before it existed) may report for its expected agency
        coalesce(
            sources.source_agencies,
            list_filter([documents.expected_agency], lambda a: a is not null and trim(a) <> '')
        ) as source_agencies,
        coalesce(sources.allow_other_agencies, false) as allow_other_agencies,
        load_errors.load_error
    from documents
    left join fact_counts on fact_counts.document_id = documents.document_id
    left join error_counts on error_counts.document_id = documents.document_id
    left join sources on sources.source_name = documents.source_name
    left join load_errors on load_errors.document_id = documents.document_id
),

provenance as (
    select
        *,
        case
            when load_error is not null then 'unreadable_record: ' || load_error
            when named_agency is not null
                and not allow_other_agencies
                and len(source_agencies) > 0
                and not list_contains(
                    list_transform(source_agencies, lambda a: replace(trim(a), ' ', '')), replace(named_agency, ' ', '')
                )
                then 'agency_not_in_source: the document names ' || named_agency || '; source '
                    || coalesce(source_name, source) || ' may report for ' || array_to_string(source_agencies, ', ')
        end as quarantine_reason
    from resolved
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
    quarantine_reason is not null as is_quarantined,
    quarantine_reason,
    coalesce(
        kind in ('annual_report', 'work_summary') and agency_name is not null and report_year is not null,
        false
    ) and quarantine_reason is null as feeds_facts
from provenance
