{#- The state every fact mart row starts in: the validation step, not dbt, judges the figures. -#}
{% macro unchecked_quality_columns() %}
    cast('unchecked' as varchar) as quality_status,
    cast(null as varchar) as quality_failures
{%- endmacro %}


{#- A fact mart at the agency-year grain (a group without applicant breakdown): one row per chosen
    agency-year, the metric columns of `metric_group` from `pivoted` (one row per document), all null when
    the chosen document states none of them. -#}
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
    {{ metric_column_list(metric_group, 'pivoted') }},
    {{ unchecked_quality_columns() }}
from chosen
left join pivoted on pivoted.document_id = chosen.document_id
{%- endmacro %}
