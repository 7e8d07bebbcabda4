{#- A fact group at the agency-year grain before validation (a group without applicant breakdown): one row
    per chosen agency-year, the metric columns of `metric_group` from `pivoted` (one row per document), all
    null when the chosen document states none of them. -#}
{% macro agency_year_facts(metric_group, pivoted) %}
with

chosen as (
    select * from {{ ref('int_chosen_documents') }}
),

pivoted as (
    select * from {{ pivoted }}
)

select
    chosen.agency_id,
    chosen.agency_name,
    chosen.report_year,
    chosen.document_id,
    {{ metric_column_list(metric_group, 'pivoted') }}
from chosen
left join pivoted on pivoted.document_id = chosen.document_id
{%- endmacro %}
