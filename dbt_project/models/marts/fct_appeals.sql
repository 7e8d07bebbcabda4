-- Appeals (行政复议 / 行政诉讼), one row per chosen agency-year (all metrics null when the document states none).
with

chosen as (
    select document_id, agency_id, agency_name, report_year
    from {{ ref('int_documents_ranked') }}
    where is_chosen
),

pivoted as (
    select * from {{ ref('int_appeal_facts_pivoted') }}
)

select
    chosen.agency_id,
    chosen.agency_name,
    chosen.report_year,
    chosen.document_id,
    {{ metric_column_list('appeals', 'pivoted') }},
    cast('unchecked' as varchar) as quality_status,
    cast(null as varchar) as quality_failures
from chosen
left join pivoted on pivoted.document_id = chosen.document_id
